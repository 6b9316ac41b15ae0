package io.isoflop.fitter.spark;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A file on a Hadoop filesystem (S3A) whose length is known from the listing, opened without asking the store for
 * its status again: Parquet's {@code HadoopInputFile} sends a HEAD request to learn the length and the filesystem's
 * {@code open} another: two round trips per file before the first byte, which on S3 itself cost tens of milliseconds
 * (against the s3proxy on loopback of the benchmark they made no measurable difference).
 */
final class StoreInputFile implements InputFile {
    /** Hadoop's standard {@code openFile} options (Hadoop 3.3.5+): the length, and a read pattern of few ranges. */
    private static final String LENGTH_OPTION = "fs.option.openfile.length";
    private static final String READ_POLICY_OPTION = "fs.option.openfile.read.policy";

    private final Path path;
    private final long length;
    private final Configuration hadoop;

    StoreInputFile(Path path, long length, Configuration hadoop) {
        this.path = path;
        this.length = length;
        this.hadoop = hadoop;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        try {
            return HadoopStreams.wrap(path.getFileSystem(hadoop).openFile(path)
                    .opt(LENGTH_OPTION, Long.toString(length))
                    .opt(READ_POLICY_OPTION, "random")
                    .build().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted opening " + path);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("cannot open " + path, e.getCause());
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
