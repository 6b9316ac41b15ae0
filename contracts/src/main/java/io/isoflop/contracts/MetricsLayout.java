package io.isoflop.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Where metric files live: a sweep's {@code metrics/} directory ({@link #ofSweep}), then
 * {@code <metricsDir>/<runId>/attempt-<attempt>-part-<step>.parquet} (the rows up to a checkpoint's step) while a
 * run trains and {@code attempt-<attempt>-final.parquet} with the rest and its summary row. A run is done exactly
 * when a whole final file exists; files appear only complete (temporary name, then rename).
 */
public final class MetricsLayout {
    public static final String FINAL_SUFFIX = "-final.parquet";

    /** The name of a sweep's metrics directory, beside its {@code runs/} and {@code fit/}. */
    public static final String METRICS_DIR = "metrics";
    /** Appended to the name of a metric file that is not a whole Parquet file (see {@link #setAsideUnreadable}). */
    public static final String UNREADABLE_SUFFIX = ".unreadable";

    private MetricsLayout() {}

    /** The metrics directory of the sweep whose directory is {@code sweepDir}. */
    public static Path ofSweep(Path sweepDir) {
        return sweepDir.resolve(METRICS_DIR);
    }

    /**
     * The local metrics directory of a worker's working copy in {@code workDir} (see
     * {@link WorkerProtocol#WORK_DIR_ENV}), laid out as any metrics directory; the run's lock lies in it.
     */
    public static Path workingCopy(Path workDir) {
        return workDir.resolve(METRICS_DIR);
    }

    public static Path runDir(Path metricsDir, String runId) {
        return metricsDir.resolve(runId);
    }

    /** The rows of one attempt up to and including {@code lastStep}, written when a checkpoint is saved. */
    public static Path partFile(Path metricsDir, String runId, long attempt, long lastStep) {
        return runDir(metricsDir, runId).resolve(String.format("attempt-%d-part-%09d.parquet", attempt, lastStep));
    }

    public static Path finalFile(Path metricsDir, String runId, long attempt) {
        return runDir(metricsDir, runId).resolve("attempt-" + attempt + FINAL_SUFFIX);
    }

    /**
     * Where a run's checkpoints live while it trains: beside its metric files, in a hidden directory (Spark skips
     * it), {@code .checkpoints/step-<step>.ckpt}, each written whole or not at all.
     */
    public static Path checkpointDir(Path metricsDir, String runId) {
        return runDir(metricsDir, runId).resolve(".checkpoints");
    }

    public static Path checkpointFile(Path metricsDir, String runId, long step) {
        return checkpointDir(metricsDir, runId).resolve(String.format("step-%09d.ckpt", step));
    }

    /**
     * The last step a part file holds, parsed from its name ({@code attempt-<a>-part-<step>.parquet}); empty for
     * any other file.
     */
    public static OptionalLong partLastStep(Path file) {
        String name = file.getFileName().toString();
        int at = name.lastIndexOf("-part-");
        if (!name.startsWith("attempt-") || at < 0 || !name.endsWith(".parquet")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(at + 6, name.length() - 8)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The {@link ProcessLock} a worker holds while it trains the run (a hidden file, so Spark skips it). */
    public static Path lockFile(Path metricsDir, String runId) {
        return runDir(metricsDir, runId).resolve(".worker.lock");
    }

    /**
     * True when some attempt of the run has written its final summary file, whole: a final file cut short or
     * overwritten does not make a run finished.
     */
    public static boolean isFinished(Path metricsDir, String runId) {
        return finalFiles(metricsDir, runId).stream().anyMatch(ParquetFiles::isComplete);
    }

    /**
     * Renames the run's metric files that are not whole Parquet files to {@code <name>.unreadable}, out of the way
     * of readers (which take {@code *.parquet}) and kept for a person to look at; returns the new names.
     */
    public static List<Path> setAsideUnreadable(Path metricsDir, String runId) throws IOException {
        Path dir = runDir(metricsDir, runId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> setAside = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                if (!ParquetFiles.isComplete(file)) {
                    Path aside = file.resolveSibling(file.getFileName() + UNREADABLE_SUFFIX);
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    setAside.add(aside);
                }
            }
        }
        return setAside;
    }

    private static List<Path> finalFiles(Path metricsDir, String runId) {
        Path dir = runDir(metricsDir, runId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(FINAL_SUFFIX)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
