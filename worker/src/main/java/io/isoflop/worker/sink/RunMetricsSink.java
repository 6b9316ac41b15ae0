package io.isoflop.worker.sink;

import io.isoflop.contracts.MetricsLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Buffers one attempt's rows and writes them in few files: a part file with the rows up to each checkpoint
 * ({@code attempt-<a>-part-<step>}), written just before the checkpoint, and the final file with the rest and the
 * summary row, whose existence marks the run as done. A resumed attempt first removes part files of any attempt
 * beyond the checkpoint it resumes from (their rows are computed again), so rows stay unique per (run, step).
 */
public final class RunMetricsSink {
    private final Path metricsDir;
    private final RunConstants run;
    private final List<MetricRow> buffer = new ArrayList<>();

    public RunMetricsSink(Path metricsDir, RunConstants run) {
        this.metricsDir = metricsDir;
        this.run = run;
    }

    /** Deletes part files holding rows after {@code step}: training resumes from there. */
    public void discardAfter(long step) throws IOException {
        Path dir = MetricsLayout.runDir(metricsDir, run.runId());
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                OptionalLong last = MetricsLayout.partLastStep(file);
                if (last.isPresent() && last.getAsLong() > step) {
                    Files.delete(file);
                }
            }
        }
    }

    public void add(MetricRow row) {
        buffer.add(row);
    }

    /** Writes the buffered rows, the last of which is {@code step}'s, as a part file (nothing if none). */
    public void writePart(long step) throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        ParquetMetricsWriter.write(MetricsLayout.partFile(metricsDir, run.runId(), run.attempt(), step), run, buffer);
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
