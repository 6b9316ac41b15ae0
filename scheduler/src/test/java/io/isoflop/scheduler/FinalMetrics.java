package io.isoflop.scheduler;

import io.isoflop.contracts.MetricsLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For tests that stand in for a worker: writes a run's final metrics file as the scheduler judges one, a whole
 * Parquet frame ({@code PAR1}, a one-byte footer, its length, {@code PAR1}); the scheduler never reads the rows.
 */
public final class FinalMetrics {
    private FinalMetrics() {}

    public static Path write(Path metricsDir, String runId, long attempt) throws IOException {
        Path file = MetricsLayout.finalFile(metricsDir, runId, attempt);
        Files.createDirectories(file.getParent());
        ByteBuffer frame = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
        frame.put("PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0).putInt(1)
                .put("PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.write(file, frame.array());
        return file;
    }
}
