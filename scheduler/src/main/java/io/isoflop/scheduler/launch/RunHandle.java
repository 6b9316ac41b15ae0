package io.isoflop.scheduler.launch;

import java.util.concurrent.CompletableFuture;

/** One started attempt of a run (or the fitter), followed until it ends. */
public interface RunHandle {

    String name();

    /** Completes with the exit code when the attempt ends; {@link #UNKNOWN_EXIT} if it cannot be known. */
    CompletableFuture<Integer> exit();

    /** Asks the attempt to stop. */
    void cancel();

    int UNKNOWN_EXIT = Integer.MIN_VALUE;
}
