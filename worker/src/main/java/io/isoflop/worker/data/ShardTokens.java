package io.isoflop.worker.data;

import io.isoflop.contracts.DataSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pre-tokenized shard files, memory-mapped read-only and concatenated in the given order: flat little-endian
 * uint16 or uint32 token ids with no header (nanoGPT's {@code train.bin} / {@code val.bin}), or llm.c's GPT-2
 * shards (a header of 256 int32: magic 20240520, version 1, token count; then uint16 tokens from byte 1024),
 * recognised by their magic number. Files are mapped in chunks of at most {@value #CHUNK_BYTES} bytes, so shards
 * larger than 2 GiB work; the mappings live as long as this object (the files are not held open).
 *
 * <p>Token ids must be below the vocabulary. Opening scans the first {@value #SCAN_TOKENS} tokens of every shard
 * (which catches a wrong dtype or vocabulary at once), and every token read afterwards is checked too (one
 * comparison), so training fails with the file and position of the first bad id rather than feeding it to the
 * model.
 */
public final class ShardTokens implements TokenSequence {
    /** Bytes mapped at once: a multiple of both token widths, below the 2 GiB limit of one mapping. */
    static final long CHUNK_BYTES = 1L << 30;
    /** Tokens of each shard checked against the vocabulary when it is opened. */
    static final int SCAN_TOKENS = 1 << 16;
    /** llm.c's data shards: {@code dev/data/data_common.py}, GPT-2 tokens. */
    static final int LLMC_MAGIC = 20240520;
    static final int LLMC_VERSION = 1;
    static final int LLMC_HEADER_BYTES = 256 * 4;

    /** One shard: where its tokens start in the file and how many there are. */
    record Shard(Path file, long firstByte, long tokens) {}

    private record Chunk(Shard shard, long firstToken, long startInShard, ByteBuffer bytes) {}

    private final int width;
    private final int vocabulary;
    private final Chunk[] chunks;
    /** The first token of each chunk, ascending and distinct (chunks are never empty). */
    private final long[] starts;
    private final long length;

    private ShardTokens(int width, int vocabulary, List<Chunk> chunks, long length) {
        this.width = width;
        this.vocabulary = vocabulary;
        this.chunks = chunks.toArray(Chunk[]::new);
        this.starts = chunks.stream().mapToLong(Chunk::firstToken).toArray();
        this.length = length;
    }

    /**
     * Maps {@code files} in order.
     *
     * @param dtype {@link DataSpec#UINT16} or {@link DataSpec#UINT32}
     * @throws IOException naming the file, for a size that is not a whole number of tokens, an llm.c header that
     *     does not match the file or the dtype, a token id at or above {@code vocabulary} among the first
     *     {@value #SCAN_TOKENS} of a shard, or when the files hold no tokens at all
     */
    public static ShardTokens open(List<Path> files, String dtype, int vocabulary) throws IOException {
        return open(files, dtype, vocabulary, CHUNK_BYTES);
    }

    static ShardTokens open(List<Path> files, String dtype, int vocabulary, long chunkBytes) throws IOException {
        int width = DataSpec.tokenWidth(dtype);
        if (vocabulary < 2) {
            throw new IllegalArgumentException("vocabulary must be at least 2, got " + vocabulary);
        }
        long tokensPerChunk = Math.max(1, chunkBytes / width);
        List<Chunk> chunks = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            Shard shard = inspect(file, dtype, width);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                for (long start = 0; start < shard.tokens(); start += tokensPerChunk) {
                    long count = Math.min(tokensPerChunk, shard.tokens() - start);
                    ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY,
                            shard.firstByte() + start * width, count * width).order(ByteOrder.LITTLE_ENDIAN);
                    chunks.add(new Chunk(shard, total + start, start, bytes));
                }
            }
            total += shard.tokens();
        }
        if (total == 0) {
            throw new IOException(files.isEmpty() ? "no token shards to read"
                    : "the token shards " + files + " hold no tokens");
        }
        ShardTokens tokens = new ShardTokens(width, vocabulary, chunks, total);
        tokens.scanShardStarts();
        return tokens;
    }

    /** The shard's token count and where its tokens start, from its size and (for llm.c shards) its header. */
    static Shard inspect(Path file, String dtype, int width) throws IOException {
        long size = Files.size(file);
        if (size >= LLMC_HEADER_BYTES) {
            ByteBuffer header = ByteBuffer.allocate(3 * 4).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (header.hasRemaining()) {
                    if (channel.read(header, header.position()) < 0) {
                        break;
                    }
                }
            }
            if (header.getInt(0) == LLMC_MAGIC) {
                int version = header.getInt(4);
                long count = Integer.toUnsignedLong(header.getInt(8));
                if (version != LLMC_VERSION) {
                    throw new IOException(file + ": an llm.c shard (magic " + LLMC_MAGIC + ") of version " + version
                            + "; only version " + LLMC_VERSION + " (GPT-2, uint16 tokens) is supported");
                }
                if (!DataSpec.UINT16.equals(dtype)) {
                    throw new IOException(file + ": an llm.c GPT-2 shard holds uint16 tokens, but the dataset's dtype"
                            + " is " + dtype);
                }
                if (size != LLMC_HEADER_BYTES + 2 * count) {
                    throw new IOException(file + ": an llm.c shard whose header says " + count + " tokens, but "
                            + size + " bytes hold " + (size - LLMC_HEADER_BYTES) / 2.0 + " after the header");
                }
                return new Shard(file, LLMC_HEADER_BYTES, count);
            }
        }
        if (size % width != 0) {
            throw new IOException(file + ": " + size + " bytes is not a whole number of " + dtype + " tokens ("
                    + width + " bytes each); is the dtype right?");
        }
        return new Shard(file, 0, size / width);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public int get(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("token " + index + " of " + length);
        }
        int c = Arrays.binarySearch(starts, index);
        Chunk chunk = chunks[c >= 0 ? c : -c - 2];
        int at = (int) ((index - chunk.firstToken()) * width);
        long id = width == 2 ? Short.toUnsignedLong(chunk.bytes().getShort(at))
                : Integer.toUnsignedLong(chunk.bytes().getInt(at));
        if (id >= vocabulary) {
            throw new IllegalStateException(outOfVocabulary(chunk.shard(), chunk.startInShard()
                    + (index - chunk.firstToken()), id));
        }
        return (int) id;
    }

    /** The vocabulary check of the first {@value #SCAN_TOKENS} tokens of every shard. */
    private void scanShardStarts() throws IOException {
        for (Chunk chunk : chunks) {
            if (chunk.startInShard() != 0) {
                continue;
            }
            long end = Math.min(chunk.firstToken() + Math.min(SCAN_TOKENS, chunk.shard().tokens()), length);
            try {
                for (long i = chunk.firstToken(); i < end; i++) {
                    get(i);
                }
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private String outOfVocabulary(Shard shard, long tokenInShard, long id) {
        return shard.file() + ": token " + tokenInShard + " is " + id + ", not below the vocabulary size "
                + vocabulary + " (is the dtype or vocab_size wrong?)";
    }
}
