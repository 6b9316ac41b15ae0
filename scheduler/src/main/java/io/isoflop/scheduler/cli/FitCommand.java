package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.local.LocalProcessLauncher;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit the compute-optimal frontier from a sweep directory's metric Parquet files (Spark,"
                + " local[*]); writes frontier.json, frontier.csv, isoflop.png, frontier.png and report.html.")
final class FitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SWEEP_DIR", description = "a sweep directory (holds metrics/)")
    Path sweepDir;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write the results (default: SWEEP_DIR/fit)")
    Path out;

    @Override
    public Integer call() throws IOException {
        SweepStore store = new SweepStore(sweepDir);
        if (!Files.isDirectory(store.metricsDir())) {
            spec.commandLine().getErr().println("isoflop: " + store.metricsDir()
                    + " does not exist: SWEEP_DIR must be a sweep directory (e.g. sweeps/quickstart)");
            return ExitCodes.BAD_INPUT;
        }
        try {
            LocalProcessLauncher launcher = Backends.local(store);
            return FitStep.run(launcher, store.metricsDir(), out != null ? out.toAbsolutePath() : store.fitDir(),
                    spec.commandLine().getOut());
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("isoflop: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
