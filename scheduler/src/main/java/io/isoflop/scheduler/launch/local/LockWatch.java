package io.isoflop.scheduler.launch.local;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ProcessLock;
import io.isoflop.scheduler.launch.RunHandle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Follows a worker known only by the run lock it holds: its attempt ends when the lock is released. */
final class LockWatch {
    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "isoflop-lock-watch");
        thread.setDaemon(true);
        return thread;
    });

    private LockWatch() {}

    /** The process is not ours to signal, so cancelling does nothing: it ends on its own. */
    static RunHandle follow(String runId, Path metricsDir) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ScheduledFuture<?> poll = POLLER.scheduleWithFixedDelay(() -> {
            try {
                if (!ProcessLock.isHeld(MetricsLayout.lockFile(metricsDir, runId))) {
                    exit.complete(RunHandle.UNKNOWN_EXIT);
                }
            } catch (IOException e) {
                exit.complete(RunHandle.UNKNOWN_EXIT);
            }
        }, 1, 1, TimeUnit.SECONDS);
        exit.whenComplete((code, error) -> poll.cancel(false));
        return RunHandle.of(runId, exit, () -> { });
    }
}
