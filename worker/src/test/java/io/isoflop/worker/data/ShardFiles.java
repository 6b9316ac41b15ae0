package io.isoflop.worker.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes token shards as nanoGPT and llm.c do, for tests. */
final class ShardFiles {
    private ShardFiles() {}

    /** Flat little-endian uint16 tokens, no header (nanoGPT's {@code np.uint16(ids).tofile(path)}). */
    static Path uint16(Path file, int... tokens) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(tokens.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int token : tokens) {
            bytes.putShort((short) token);
        }
        return Files.write(file, bytes.array());
    }

    /** Flat little-endian uint32 tokens, no header. */
    static Path uint32(Path file, long... tokens) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(tokens.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long token : tokens) {
            bytes.putInt((int) token);
        }
        return Files.write(file, bytes.array());
    }

    /** An llm.c shard: 256 int32 of header (magic, version, token count), then uint16 tokens. */
    static Path llmc(Path file, int version, int declaredCount, int... tokens) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(1024 + tokens.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, ShardTokens.LLMC_MAGIC).putInt(4, version).putInt(8, declaredCount);
        bytes.position(1024);
        for (int token : tokens) {
            bytes.putShort((short) token);
        }
        return Files.write(file, bytes.array());
    }

    static int[] range(int from, int to) {
        int[] tokens = new int[to - from];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = from + i;
        }
        return tokens;
    }
}
