package io.isoflop.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where metric files live: a sweep's {@code metrics/} directory ({@link #ofSweep}), then {@code <metricsDir>/<runId>/attempt-<attempt>-part-<seq>.parquet} while a run
 * trains and {@code attempt-<attempt>-final.parquet} with its summary row. A run is done exactly when a final
 * file exists; files appear only complete (temporary name, then rename).
 */
public final class MetricsLayout {
    public static final String FINAL_SUFFIX = "-final.parquet";

    /** The name of a sweep's metrics directory, beside its {@code runs/} and {@code fit/}. */
    public static final String METRICS_DIR = "metrics";

    private MetricsLayout() {}

    /** The metrics directory of the sweep whose directory is {@code sweepDir}. */
    public static Path ofSweep(Path sweepDir) {
        return sweepDir.resolve(METRICS_DIR);
    }

    public static Path runDir(Path metricsDir, String runId) {
        return metricsDir.resolve(runId);
    }

    public static Path partFile(Path metricsDir, String runId, long attempt, int sequence) {
        return runDir(metricsDir, runId).resolve(String.format("attempt-%d-part-%05d.parquet", attempt, sequence));
    }

    public static Path finalFile(Path metricsDir, String runId, long attempt) {
        return runDir(metricsDir, runId).resolve("attempt-" + attempt + FINAL_SUFFIX);
    }

    /** The {@link ProcessLock} a worker holds while it trains the run (a hidden file, so Spark skips it). */
    public static Path lockFile(Path metricsDir, String runId) {
        return runDir(metricsDir, runId).resolve(".worker.lock");
    }

    /** True when some attempt of the run has written its final summary file. */
    public static boolean isFinished(Path metricsDir, String runId) {
        Path dir = runDir(metricsDir, runId);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(FINAL_SUFFIX));
        } catch (IOException e) {
            return false;
        }
    }
}
