package io.isoflop.scheduler.launch.local;

import io.isoflop.contracts.ProcessLock;
import io.isoflop.scheduler.launch.RunHandle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Follows a worker this process did not start, known by the run lock it holds: its attempt ends when the lock is
 * released (the exit code is not ours to read). Cancelling signals the process whose id the lock file names.
 */
final class LockWatch {
    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "isoflop-lock-watch");
        thread.setDaemon(true);
        return thread;
    });

    private LockWatch() {}

    static RunHandle follow(String runId, Path lockFile) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ScheduledFuture<?> poll = POLLER.scheduleWithFixedDelay(() -> {
            try {
                if (!ProcessLock.isHeld(lockFile)) {
                    exit.complete(RunHandle.UNKNOWN_EXIT);
                }
            } catch (IOException e) {
                exit.complete(RunHandle.UNKNOWN_EXIT);
            }
        }, 1, 1, TimeUnit.SECONDS);
        exit.whenComplete((code, error) -> poll.cancel(false));
        return RunHandle.of(runId, exit, () -> ProcessLock.holder(lockFile)
                .flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroy));
    }
}
