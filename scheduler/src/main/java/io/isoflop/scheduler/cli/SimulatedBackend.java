package io.isoflop.scheduler.cli;

import io.isoflop.contracts.ProcessLock;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.local.LocalProcessLauncher;
import io.isoflop.scheduler.launch.simulate.SimulationLauncher;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.store.RunStore;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepSetup;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --backend simulate}: the sweep directory as the record, as locally, but every run drawn in this process
 * from the law in the spec's {@code simulate} section (the worker's simulate mode, without a JVM per run); the
 * fitter is this installation's, as a process.
 */
final class SimulatedBackend implements SweepBackend {
    private final SweepStore store;
    private final ProcessLock lock;
    private final SimulationLauncher launcher;

    private SimulatedBackend(SweepStore store, ProcessLock lock, SimulationLauncher launcher) {
        this.store = store;
        this.lock = lock;
        this.launcher = launcher;
    }

    /**
     * @throws BusyException if another process drives this sweep directory
     * @throws IllegalArgumentException if the spec has no {@code simulate} section (its runs would train)
     */
    static SimulatedBackend open(IsoFlopPlan plan, Path specFile, SweepPolicy policy) throws IOException {
        if (plan.runs().stream().anyMatch(r -> r.simulation() == null)) {
            throw new IllegalArgumentException("--backend simulate draws runs from a law: add a `simulate` section to"
                    + " the spec (e.g. simulate: {law: {E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28},"
                    + " noise: {run: 0.01, eval: 0.01}})");
        }
        SweepStore store = new SweepStore(plan.sweepDir());
        ProcessLock lock = store.tryLock().orElseThrow(() -> new BusyException(
                "another isoflop process is driving this sweep (lock " + store.lockFile() + " is held)"));
        try {
            SweepSetup.bind(plan, policy, store, specFile);
            return new SimulatedBackend(store, lock, new SimulationLauncher(Runtime.getRuntime().availableProcessors(),
                    LocalProcessLauncher.ofInstallation(store, IsoflopHome.resolve())));
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
        launcher.close();
        lock.close();
    }
}
