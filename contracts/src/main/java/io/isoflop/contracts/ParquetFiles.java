package io.isoflop.contracts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether a file is a whole Parquet file, judged from its frame alone: the magic {@code PAR1} at both ends and, just
 * before the last one, a footer length that fits in the file. A file cut short (a full disk, a copy interrupted)
 * or overwritten with anything else fails; checking costs two small reads, not a Parquet reader.
 */
public final class ParquetFiles {
    private static final int MAGIC = 0x31524150; // "PAR1" read little-endian
    private static final int FRAME = 4 + 4 + 4; // leading magic, footer length, trailing magic

    private ParquetFiles() {}

    public static boolean isComplete(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < FRAME) {
                return false;
            }
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (channel.read(head, 0) != 4 || channel.read(tail, size - 8) != 8) {
                return false;
            }
            return isFrame(size, head.array(), tail.array());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The same judgement from a file's (or object's) size, its first 4 bytes and its last 8, however they were read.
     */
    public static boolean isFrame(long size, byte[] first4, byte[] last8) {
        if (size < FRAME || first4.length != 4 || last8.length != 8) {
            return false;
        }
        ByteBuffer head = ByteBuffer.wrap(first4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer tail = ByteBuffer.wrap(last8).order(ByteOrder.LITTLE_ENDIAN);
        long footer = Integer.toUnsignedLong(tail.getInt(0));
        return head.getInt(0) == MAGIC && tail.getInt(4) == MAGIC && footer > 0 && footer <= size - FRAME;
    }
}
