package io.isoflop.scheduler.launch.simulate;

import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.worker.simulate.SimulatedRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The simulate backend: each attempt draws its run from the run spec's law in this process, with the worker's own
 * {@link SimulatedRun} (the rows and files a worker writes), on a pool of {@code threads}; thousands of runs a
 * minute. Nothing outlives the scheduler, so there is nothing to adopt. The fitter runs as {@code fitter} does.
 */
public final class SimulationLauncher implements Launcher, AutoCloseable {
    private final ExecutorService pool;
    private final Launcher fitter;

    public SimulationLauncher(int threads, Launcher fitter) {
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread thread = new Thread(r, "isoflop-simulate");
            thread.setDaemon(true);
            return thread;
        });
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
                SimulatedRun.write(spec, System.currentTimeMillis());
                return Exit.DONE.code();
            } catch (IOException | RuntimeException e) {
                System.err.println("simulated run " + spec.runId() + " failed: " + e.getMessage());
                return Exit.FAILED.code();
            }
        }, pool);
        return RunHandle.of(spec.runId(), exit, () -> exit.complete(Exit.PREEMPTED.code())); // stopped: drawn again later
    }

    @Override
    public Optional<RunHandle> adopt(RunSpec spec, int attempt) {
        return Optional.empty();
    }

    @Override
    public RunHandle startFitter(FitInput input, Path outputDir) throws IOException {
        return fitter.startFitter(input, outputDir);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
