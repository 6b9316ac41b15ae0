package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.store.RunStore;
import java.io.IOException;

/**
 * Where a sweep's attempts run and where they are recorded: local worker processes with the sweep directory, or
 * Kubernetes Jobs with the per-sweep ConfigMap. Picked once, from {@code --backend}; nothing else asks which.
 */
interface SweepBackend extends AutoCloseable {

    Launcher launcher();

    RunStore store();

    /** Where the workers keep metrics (the fitter's input): a directory or {@code s3://…}. */
    String metricsLocation();

    /** Where the fit goes. */
    FitTarget fitTarget();

    /** Where a person reads the fitter's output. */
    String fitterLog();

    /**
     * Whether the attempts end with this process (local workers are its children, so a stopped sweep stops them
     * and records how they ended) or go on without it (Jobs on a cluster, adopted by the next start).
     */
    boolean attemptsEndWithTheScheduler();

    /** Lets go of the sweep; attempts on a cluster go on running, local worker processes are stopped. */
    @Override
    void close() throws IOException;

    /** Another scheduler drives the sweep. */
    final class BusyException extends IOException {
        BusyException(String message) {
            super(message);
        }
    }
}
