package io.isoflop.scheduler.launch.simulate;

import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.LocalLauncher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.worker.simulate.SimulatedRun;
import io.isoflop.worker.store.RunOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The simulate backend: each attempt draws its run from the run spec's law in this process, with the worker's own
 * {@link SimulatedRun} (the rows and files a worker writes), on a pool of {@code threads}; thousands of runs a
 * minute. Nothing outlives the scheduler, so there is nothing to adopt. The fitter runs as {@code fitter} does.
 */
public final class SimulationLauncher implements LocalLauncher {
    private final ExecutorService pool;
    private final Launcher fitter;
    private final Set<CompletableFuture<Integer>> drawing = ConcurrentHashMap.newKeySet();

    public SimulationLauncher(int threads, Launcher fitter) {
        ThreadPoolExecutor threadsThatIdleOut = new ThreadPoolExecutor(Math.max(1, threads), Math.max(1, threads),
                10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "isoflop-simulate");
                    thread.setDaemon(true);
                    return thread;
                });
        threadsThatIdleOut.allowCoreThreadTimeOut(true); // nothing lingers once the sweep is drawn
        this.pool = threadsThatIdleOut;
        this.fitter = fitter;
    }

    @Override
    public RunHandle start(RunSpec spec, int attempt) {
        if (spec.simulation() == null) {
            throw new IllegalArgumentException("run " + spec.runId() + " trains (its spec has no simulate section);"
                    + " the simulate backend only draws simulated runs");
        }
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                try (RunOutput output = RunOutput.of(spec, System.getenv())) { // an object store: a local copy, stored
                    SimulatedRun.write(output.localSpec(), System.currentTimeMillis());
                    output.publish();
                }
                return Exit.DONE.code();
            } catch (IOException | RuntimeException e) {
                System.err.println("simulated run " + spec.runId() + " failed: " + e.getMessage());
                return Exit.FAILED.code();
            }
        }, pool);
        drawing.add(exit);
        exit.whenComplete((code, error) -> drawing.remove(exit));
        return RunHandle.of(spec.runId(), exit, () -> exit.complete(Exit.PREEMPTED.code())); // stopped: drawn again later
    }

    @Override
    public Optional<RunHandle> adopt(RunSpec spec, int attempt) {
        return Optional.empty();
    }

    @Override
    public RunHandle startFitter(FitInput input, FitTarget target) throws IOException {
        return fitter.startFitter(input, target);
    }

    /** Stops drawing: every attempt not drawn yet ends as stopped (drawn again by the next start). */
    @Override
    public void stopAll() {
        drawing.forEach(exit -> exit.complete(Exit.PREEMPTED.code()));
        pool.shutdownNow();
    }
}
