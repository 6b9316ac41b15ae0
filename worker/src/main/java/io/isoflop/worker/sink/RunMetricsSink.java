package io.isoflop.worker.sink;

import io.isoflop.contracts.MetricsLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Buffers one attempt's rows and writes them as numbered part files at each flush; the summary row goes,
 * with whatever is still buffered, into the final file whose existence marks the run as done.
 */
public final class RunMetricsSink {
    private final Path metricsDir;
    private final RunConstants run;
    private final List<MetricRow> buffer = new ArrayList<>();
    private int nextPart;

    public RunMetricsSink(Path metricsDir, RunConstants run) {
        this.metricsDir = metricsDir;
        this.run = run;
    }

    public void add(MetricRow row) {
        buffer.add(row);
    }

    /** Writes the buffered rows as the next part file (nothing if the buffer is empty). */
    public void flush() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        ParquetMetricsWriter.write(MetricsLayout.partFile(metricsDir, run.runId(), run.attempt(), nextPart++), run,
                buffer);
        buffer.clear();
    }

    /** Writes the buffered rows plus the summary row into the final file; returns its path. */
    public Path finish(MetricRow summary) throws IOException {
        buffer.add(summary);
        Path target = MetricsLayout.finalFile(metricsDir, run.runId(), run.attempt());
        ParquetMetricsWriter.write(target, run, buffer);
        buffer.clear();
        return target;
    }
}
