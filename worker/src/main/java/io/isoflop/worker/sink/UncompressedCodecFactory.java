package io.isoflop.worker.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet's stock codec factory loads Hadoop classes even for UNCOMPRESSED; metric files are small, so the
 * worker writes them uncompressed through this factory and needs no Hadoop at run time.
 */
public final class UncompressedCodecFactory implements CompressionCodecFactory {

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        requireUncompressed(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) {
                return bytes;
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.UNCOMPRESSED;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        requireUncompressed(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
                return bytes;
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                ByteBuffer slice = input.duplicate();
                slice.limit(slice.position() + compressedSize);
                output.put(slice);
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    private static void requireUncompressed(CompressionCodecName codec) {
        if (codec != CompressionCodecName.UNCOMPRESSED) {
            throw new IllegalArgumentException("only UNCOMPRESSED is supported by this factory, got " + codec);
        }
    }
}
