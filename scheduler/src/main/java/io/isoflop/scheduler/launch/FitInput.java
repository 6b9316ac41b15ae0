package io.isoflop.scheduler.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fitter reads (a sweep's metric Parquet files, or a plain table of (N, D, loss[, C]) runs) and the
 * fitter options passed through unchanged (e.g. {@code --bootstrap 200}, {@code --target-budgets 1e21}).
 */
public record FitInput(String flag, Path path, List<String> options) {

    public FitInput {
        options = List.copyOf(options);
    }

    public static FitInput metrics(Path metricsDir) {
        return new FitInput("--metrics", metricsDir, List.of());
    }

    public static FitInput table(Path file) {
        return new FitInput("--table", file, List.of());
    }

    /** The same input with these fitter options. */
    public FitInput with(List<String> fitterOptions) {
        return new FitInput(flag, path, fitterOptions);
    }

    /** The fitter's command-line arguments for this input and an output directory. */
    public List<String> arguments(Path outputDir) {
        List<String> arguments = new ArrayList<>(List.of(flag, path.toString(), "--out", outputDir.toString()));
        arguments.addAll(options);
        return arguments;
    }
}
