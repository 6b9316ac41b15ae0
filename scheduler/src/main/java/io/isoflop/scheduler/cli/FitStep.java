package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.FitterRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Runs the fitter through the launcher and prints what it found. */
final class FitStep {
    /** How the fitter starts the lines that explain a failure (FitterMain). */
    private static final String FITTER_SAYS = "isoflop-fitter:";
    private static final int ERRORS_SHOWN = 5;

    private FitStep() {}

    /** @param log where a person reads the fitter's output */
    static int run(Launcher launcher, FitInput input, FitTarget target, String log, PrintWriter out)
            throws IOException, InterruptedException {
        out.println("fitting " + input.location() + " → " + target.output() + " (Spark; log in " + log + ")");
        FitterRun fit = FitterRun.await(launcher, input, target);
        if (!fit.succeeded()) {
            out.println("the fitter failed (exit " + fit.exitCode() + "); see " + log);
            fitterErrors(log).forEach(line -> out.println("  " + line));
            return ExitCodes.FIT_FAILED;
        }
        FrontierSummary.print(fit.frontier(), out);
        out.println("report: " + target.report());
        return ExitCodes.OK;
    }

    /** What the fitter said of its failure (its {@code isoflop-fitter:} lines), when its log is a file here. */
    static List<String> fitterErrors(String log) {
        try {
            Path file = Path.of(log);
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                List<String> said = lines.filter(line -> line.startsWith(FITTER_SAYS)).toList();
                return said.subList(Math.max(0, said.size() - ERRORS_SHOWN), said.size());
            }
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            return List.of(); // a command rather than a file (a Job's log), or unreadable: the pointer is enough
        }
    }
}
