package io.isoflop.scheduler.cli;

import io.isoflop.contracts.ProcessLock;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.local.LocalProcessLauncher;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.store.RunStore;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepSetup;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The embedded default: worker and fitter JVMs of this installation, the sweep directory as the record, its
 * lock held for the life of the process, and the workers stopped with the scheduler (Ctrl-C).
 */
final class LocalBackend implements SweepBackend {
    private final SweepStore store;
    private final ProcessLock lock;
    private final LocalProcessLauncher launcher;
    private final Thread stopWorkers;

    private LocalBackend(SweepStore store, ProcessLock lock, LocalProcessLauncher launcher) {
        this.store = store;
        this.lock = lock;
        this.launcher = launcher;
        this.stopWorkers = new Thread(launcher::stopAll, "isoflop-stop-workers");
        Runtime.getRuntime().addShutdownHook(stopWorkers);
    }

    /**
     * @throws BusyException if another process drives this sweep directory
     * @throws io.isoflop.scheduler.plan.PlanConflictException if the directory holds another plan
     * @throws IllegalArgumentException if the sweep directory cannot be created
     * @throws IllegalStateException if the worker or fitter module is not built
     */
    static LocalBackend open(IsoFlopPlan plan, Path specFile, SweepPolicy policy) throws IOException {
        SweepStore store = new SweepStore(plan.sweepDir());
        ProcessLock lock = store.tryLock().orElseThrow(() -> new BusyException(
                "another isoflop process is driving this sweep (lock " + store.lockFile() + " is held)"));
        try {
            SweepSetup.bind(plan, policy, store, specFile);
            return new LocalBackend(store, lock, LocalProcessLauncher.ofInstallation(store, IsoflopHome.resolve()));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public Launcher launcher() {
        return launcher;
    }

    @Override
    public RunStore store() {
        return store;
    }

    @Override
    public Path metricsDir() {
        return store.metricsDir();
    }

    @Override
    public Path fitDir() {
        return store.fitDir();
    }

    @Override
    public String fitterLog() {
        return store.fitDir().resolve("fitter.log").toString();
    }

    @Override
    public boolean attemptsEndWithTheScheduler() {
        return true;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopWorkers);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: the workers are being stopped
        }
        lock.close();
    }
}
