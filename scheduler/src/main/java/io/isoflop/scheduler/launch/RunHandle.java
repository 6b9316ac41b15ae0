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

    /** A handle whose attempt ends when {@code exit} completes and is stopped by {@code onCancel}. */
    static RunHandle of(String name, CompletableFuture<Integer> exit, Runnable onCancel) {
        return new Followed(name, exit, onCancel);
    }

    /** The one implementation: every backend differs only in how it learns the exit and how it stops. */
    record Followed(String name, CompletableFuture<Integer> exit, Runnable onCancel) implements RunHandle {
        @Override
        public void cancel() {
            onCancel.run();
        }
    }
}
