package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the fitter through the launcher and prints what it found. */
final class FitStep {
    private FitStep() {}

    /** @param log where a person reads the fitter's output */
    static int run(Launcher launcher, FitInput input, Path outputDir, String log, PrintWriter out)
            throws IOException {
        out.println("fitting " + input.path() + " → " + outputDir + " (Spark; log in " + log + ")");
        RunHandle fitter = launcher.startFitter(input, outputDir);
        int code = fitter.exit().join();
        Path frontier = outputDir.resolve("frontier.json");
        if (code != 0 || !Files.exists(frontier)) {
            out.println("the fitter failed (exit " + code + "); see " + log);
            return ExitCodes.FIT_FAILED;
        }
        FrontierSummary.print(frontier, out);
        out.println("report: " + outputDir.resolve("report.html"));
        return ExitCodes.OK;
    }
}
