package io.isoflop.scheduler.launch.local;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ProcessLock;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.LocalLauncher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded default backend: each run attempt is a separate worker JVM started with the same entrypoint
 * and run spec file a Kubernetes Job would get, its output in {@code runs/<id>/attempt-<n>.log}. A worker that
 * outlived an earlier scheduler is recognised by the run lock it holds (see {@link MetricsLayout#lockFile}) and
 * followed until it lets go of it, never started a second time.
 */
public final class LocalProcessLauncher implements LocalLauncher {
    private final SweepStore store;
    private final ProcessCommand worker;
    private final ProcessCommand fitter;
    private final Set<RunHandle> live = ConcurrentHashMap.newKeySet();

    public LocalProcessLauncher(SweepStore store, ProcessCommand worker, ProcessCommand fitter) {
        this.store = store;
        this.worker = worker;
        this.fitter = fitter;
    }

    /**
     * Worker and fitter JVMs of the isoflop installation at {@code home}.
     *
     * @throws IllegalStateException if the worker or fitter module is not built
     */
    public static LocalProcessLauncher ofInstallation(SweepStore store, Path home) {
        return new LocalProcessLauncher(store, ProcessCommand.worker(home), ProcessCommand.fitter(home));
    }

    @Override
    public RunHandle start(RunSpec spec, int attempt) throws IOException {
        Optional<RunHandle> alive = adopt(spec, attempt);
        if (alive.isPresent()) {
            return alive.get();
        }
        Path specFile = store.writeSpec(spec);
        Path log = store.logFile(spec.runId(), attempt);
        ProcessBuilder builder = new ProcessBuilder(worker.command(List.of("--spec", specFile.toString())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        threadsFor(builder.environment(), spec);
        if (store.metrics().onObjectStore()) { // the working copy, and the lock in it, where adopt() looks
            builder.environment().put(WorkerProtocol.WORK_DIR_ENV, store.workDir(spec.runId()).toString());
        }
        return track(started(spec.runId(), builder.start()));
    }

    /** The worker holding the run's lock, whichever attempt started it: it ends when it lets go of the lock. */
    @Override
    public Optional<RunHandle> adopt(RunSpec spec, int attempt) throws IOException {
        Path lockFile = store.workerLockFile(spec.runId());
        if (!ProcessLock.isHeld(lockFile)) {
            return Optional.empty();
        }
        return Optional.of(track(LockWatch.follow(spec.runId(), lockFile)));
    }

    @Override
    public RunHandle startFitter(FitInput input, FitTarget target) throws IOException {
        Files.createDirectories(target.localDir());
        ProcessBuilder builder = new ProcessBuilder(fitter.command(input.arguments(target.output())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(target.localDir().resolve("fitter.log").toFile()));
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // one machine: Spark stays on loopback
        return track(started("fitter", builder.start()));
    }

    /** Stops every process this launcher started or adopted (on scheduler shutdown). */
    @Override
    public void stopAll() {
        live.forEach(RunHandle::cancel);
    }

    private static RunHandle started(String name, Process process) {
        return RunHandle.of(name, process.onExit().thenApply(Process::exitValue), process::destroy);
    }

    private RunHandle track(RunHandle handle) {
        live.add(handle);
        handle.exit().whenComplete((code, error) -> live.remove(handle));
        return handle;
    }

    /** One native thread pool per worker, sized by the run's CPU request. */
    private static void threadsFor(Map<String, String> environment, RunSpec spec) {
        int threads = spec.resources() == null ? 1 : Math.max(1, (int) Math.floor(spec.resources().cpu()));
        environment.put("OMP_NUM_THREADS", Integer.toString(threads));
        environment.put("MKL_NUM_THREADS", Integer.toString(threads));
    }
}
