package io.isoflop.scheduler.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * One run of the fitter through a launcher, waited for: it succeeded when it exited 0 and wrote
 * {@value #FRONTIER_FILE}. The CLI and the cluster service both fit this way.
 */
public record FitterRun(String name, int exitCode, Path frontier) {
    public static final String FRONTIER_FILE = "frontier.json";

    public boolean succeeded() {
        return exitCode == 0 && Files.exists(frontier);
    }

    /** Starts the fitter over {@code input}, writing to {@code target}, and waits until it ends. */
    public static FitterRun await(Launcher launcher, FitInput input, FitTarget target)
            throws IOException, InterruptedException {
        RunHandle fitter = launcher.startFitter(input, target);
        int code;
        try {
            code = fitter.exit().get();
        } catch (ExecutionException e) {
            code = RunHandle.UNKNOWN_EXIT;
        }
        return new FitterRun(fitter.name(), code, code == 0 ? target.frontier() : target.localDir().resolve(FRONTIER_FILE));
    }
}
