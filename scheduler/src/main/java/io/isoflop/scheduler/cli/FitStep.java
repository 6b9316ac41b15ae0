package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.FitterRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Runs the fitter through the launcher and prints what it found. */
final class FitStep {
    private FitStep() {}

    /** @param log where a person reads the fitter's output */
    static int run(Launcher launcher, FitInput input, Path outputDir, String log, PrintWriter out)
            throws IOException, InterruptedException {
        out.println("fitting " + input.path() + " → " + outputDir + " (Spark; log in " + log + ")");
        FitterRun fit = FitterRun.await(launcher, input, outputDir);
        if (!fit.succeeded()) {
            out.println("the fitter failed (exit " + fit.exitCode() + "); see " + log);
            return ExitCodes.FIT_FAILED;
        }
        FrontierSummary.print(fit.frontier(), out);
        out.println("report: " + outputDir.resolve("report.html"));
        return ExitCodes.OK;
    }
}
