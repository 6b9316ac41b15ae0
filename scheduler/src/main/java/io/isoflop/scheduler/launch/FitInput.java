package io.isoflop.scheduler.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fitter reads (a sweep's metric Parquet files, or a plain table of (N, D, loss[, C]) runs) and the
 * fitter options passed through unchanged (e.g. {@code --bootstrap 200}, {@code --target-budgets 1e21}).
 */
public record FitInput(String flag, String location, List<String> options) {

    public FitInput {
        options = List.copyOf(options);
    }

    /** A sweep's metrics: a directory or {@code s3://bucket/prefix}. */
    public static FitInput metrics(String location) {
        return new FitInput("--metrics", location, List.of());
    }

    public static FitInput table(Path file) {
        return new FitInput("--table", file.toString(), List.of());
    }

    /** The same input with these fitter options. */
    public FitInput with(List<String> fitterOptions) {
        return new FitInput(flag, location, fitterOptions);
    }

    /** The fitter's command-line arguments for this input and an output (a directory or {@code s3://…}). */
    public List<String> arguments(String output) {
        List<String> arguments = new ArrayList<>(List.of(flag, location, "--out", output));
        arguments.addAll(options);
        return arguments;
    }
}
