package io.isoflop.scheduler.launch.local;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ProcessLock;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded default backend: each run attempt is a separate worker JVM started with the same entrypoint
 * and run spec file a Kubernetes Job would get, its output in {@code runs/<id>/attempt-<n>.log}. The attempt
 * (with the process id and start time) is recorded before the scheduler waits on it, so a restarted scheduler
 * recognises a worker that outlived it and follows it instead of starting a duplicate; a worker whose record
 * was lost is still recognised by the run lock it holds.
 */
public final class LocalProcessLauncher implements Launcher {
    private final SweepStore store;
    private final ProcessCommand worker;
    private final ProcessCommand fitter;
    private final Set<RunHandle> live = ConcurrentHashMap.newKeySet();

    public LocalProcessLauncher(SweepStore store, ProcessCommand worker, ProcessCommand fitter) {
        this.store = store;
        this.worker = worker;
        this.fitter = fitter;
    }

    @Override
    public RunHandle start(RunSpec spec) throws IOException {
        Path specFile = store.writeSpec(spec);
        RunRecord record = store.load(spec.runId());
        int attempt = record.attempts().size() + 1;
        Path log = store.logFile(spec.runId(), attempt);
        ProcessBuilder builder = new ProcessBuilder(worker.command(List.of("--spec", specFile.toString())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        threadsFor(builder.environment(), spec);
        Process process = builder.start();
        RunHandle handle = track(started(spec.runId(), process));
        String processStart = process.info().startInstant().map(Instant::toString).orElse(null);
        store.save(record.with(new AttemptRecord(attempt, process.pid(), processStart, Instant.now().toString(), null,
                null, AttemptRecord.Outcome.RUNNING)));
        return handle;
    }

    @Override
    public Optional<RunHandle> adopt(RunSpec spec) throws IOException {
        Optional<AttemptRecord> last = store.load(spec.runId()).last();
        if (last.isEmpty() || last.get().outcome() != AttemptRecord.Outcome.RUNNING) {
            return Optional.empty();
        }
        AttemptRecord attempt = last.get();
        Optional<RunHandle> byPid = ProcessHandle.of(attempt.pid())
                .filter(ProcessHandle::isAlive)
                .filter(p -> sameProcess(p, attempt))
                .map(p -> track(RunHandle.of(spec.runId(), p.onExit().thenApply(gone -> RunHandle.UNKNOWN_EXIT),
                        p::destroy)));
        if (byPid.isPresent()) {
            return byPid;
        }
        Path metricsDir = Path.of(spec.metricsDir());
        if (ProcessLock.isHeld(MetricsLayout.lockFile(metricsDir, spec.runId()))) {
            return Optional.of(LockWatch.follow(spec.runId(), metricsDir));
        }
        return Optional.empty();
    }

    @Override
    public RunHandle startFitter(FitInput input, Path outputDir) throws IOException {
        Files.createDirectories(outputDir);
        ProcessBuilder builder = new ProcessBuilder(fitter.command(input.arguments(outputDir)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(outputDir.resolve("fitter.log").toFile()));
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // one machine: Spark stays on loopback
        return track(started("fitter", builder.start()));
    }

    /** Stops every process this launcher started or adopted (on scheduler shutdown). */
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

    /** A pid can be reused: the recorded start time must match too. */
    private static boolean sameProcess(ProcessHandle process, AttemptRecord attempt) {
        return attempt.processStart() != null && process.info().startInstant()
                .map(Instant::toString).map(attempt.processStart()::equals).orElse(false);
    }

    /** One native thread pool per worker, sized by the run's CPU request. */
    private static void threadsFor(Map<String, String> environment, RunSpec spec) {
        int threads = spec.resources() == null ? 1 : Math.max(1, (int) Math.floor(spec.resources().cpu()));
        environment.put("OMP_NUM_THREADS", Integer.toString(threads));
        environment.put("MKL_NUM_THREADS", Integer.toString(threads));
    }
}
