package io.isoflop.scheduler.launch;

import java.nio.file.Path;
import java.util.List;

/** What the fitter reads: a sweep's metric Parquet files, or a plain table of (N, D, loss[, C]) runs. */
public record FitInput(String flag, Path path) {

    public static FitInput metrics(Path metricsDir) {
        return new FitInput("--metrics", metricsDir);
    }

    public static FitInput table(Path file) {
        return new FitInput("--table", file);
    }

    /** The fitter's command-line arguments for this input and an output directory. */
    public List<String> arguments(Path outputDir) {
        return List.of(flag, path.toString(), "--out", outputDir.toString());
    }
}
