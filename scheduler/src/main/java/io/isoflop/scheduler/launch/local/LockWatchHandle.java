package io.isoflop.scheduler.launch.local;

import io.isoflop.contracts.RunLock;
import io.isoflop.scheduler.launch.RunHandle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Follows a worker known only by the run lock it holds: ends when the lock is released. */
final class LockWatchHandle implements RunHandle {
    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "isoflop-lock-watch");
        thread.setDaemon(true);
        return thread;
    });

    private final String runId;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    LockWatchHandle(String runId, Path metricsDir) {
        this.runId = runId;
        ScheduledFuture<?> poll = POLLER.scheduleWithFixedDelay(() -> {
            try {
                if (!exit.isDone() && !RunLock.isHeld(metricsDir, runId)) {
                    exit.complete(UNKNOWN_EXIT);
                }
            } catch (IOException e) {
                exit.complete(UNKNOWN_EXIT);
            }
        }, 1, 1, TimeUnit.SECONDS);
        exit.whenComplete((code, error) -> poll.cancel(false));
    }

    @Override
    public String name() {
        return runId;
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public void cancel() {
        // the process is not ours to signal; it ends on its own
    }
}
