package io.isoflop.scheduler.cli;

import io.isoflop.contracts.ProcessLock;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.LocalLauncher;
import io.isoflop.scheduler.launch.local.LocalProcessLauncher;
import io.isoflop.scheduler.launch.simulate.SimulationLauncher;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.store.MetricsStore;
import io.isoflop.scheduler.store.RunStore;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * This machine: the sweep directory as the record, its lock held for the life of the process, and the attempts
 * stopped with the scheduler (Ctrl-C). The embedded default runs worker and fitter JVMs of this installation;
 * {@code --backend simulate} draws the runs in this process instead ({@link SimulationLauncher}).
 */
final class LocalBackend implements SweepBackend {
    private final SweepStore store;
    private final ProcessLock lock;
    private final LocalLauncher launcher;
    private final FitTarget fit;
    private final Thread stopWorkers;

    private LocalBackend(SweepStore store, ProcessLock lock, LocalLauncher launcher, FitTarget fit) {
        this.store = store;
        this.fit = fit;
        this.lock = lock;
        this.launcher = launcher;
        this.stopWorkers = new Thread(launcher::stopAll, "isoflop-stop-workers");
        Runtime.getRuntime().addShutdownHook(stopWorkers);
    }

    /**
     * Worker and fitter processes of this installation.
     *
     * @throws BusyException if another process drives this sweep directory
     * @throws io.isoflop.scheduler.plan.PlanConflictException if the directory holds another plan
     * @throws IllegalArgumentException if the sweep directory cannot be created
     * @throws IllegalStateException if the worker or fitter module is not built
     */
    static LocalBackend open(IsoFlopPlan plan, Path specFile, SweepPolicy policy) throws IOException {
        return open(plan, specFile, policy, store -> LocalProcessLauncher.ofInstallation(store, IsoflopHome.resolve()));
    }

    /**
     * Every run drawn in this process from the law in the spec's {@code simulate} section; the fitter as a process.
     *
     * @throws IllegalArgumentException if the spec has no {@code simulate} section (its runs would train)
     */
    static LocalBackend simulated(IsoFlopPlan plan, Path specFile, SweepPolicy policy) throws IOException {
        if (plan.runs().stream().anyMatch(r -> r.simulation() == null)) {
            throw new IllegalArgumentException("--backend simulate draws runs from a law: add a `simulate` section to"
                    + " the spec (e.g. simulate: {law: {E: 1.69, A: 406.4, alpha: 0.34, B: 410.7, beta: 0.28},"
                    + " noise: {run: 0.01, eval: 0.01}})");
        }
        return open(plan, specFile, policy, store -> new SimulationLauncher(Runtime.getRuntime().availableProcessors(),
                LocalProcessLauncher.ofInstallation(store, IsoflopHome.resolve())));
    }

    private static LocalBackend open(IsoFlopPlan plan, Path specFile, SweepPolicy policy,
            Function<SweepStore, LocalLauncher> launcher) throws IOException {
        SweepStore store = new SweepStore(plan.sweepDir(), MetricsStore.of(plan.metricsLocation()));
        ProcessLock lock;
        try {
            lock = store.tryLock().orElseThrow(() -> new BusyException(
                    "another isoflop process is driving this sweep (lock " + store.lockFile() + " is held)"));
        } catch (IOException | RuntimeException e) {
            store.metrics().close();
            throw e;
        }
        try {
            SweepSetup.bind(plan, policy, store, specFile);
            return new LocalBackend(store, lock, launcher.apply(store), plan.fitTarget());
        } catch (IOException | RuntimeException e) {
            lock.close();
            store.metrics().close();
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
    public String metricsLocation() {
        return store.metrics().location();
    }

    @Override
    public FitTarget fitTarget() {
        return fit;
    }

    @Override
    public String fitterLog() {
        return fit.localDir().resolve("fitter.log").toString();
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
        store.metrics().close();
    }
}
