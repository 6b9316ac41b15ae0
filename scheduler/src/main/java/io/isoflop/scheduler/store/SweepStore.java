package io.isoflop.scheduler.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.isoflop.contracts.AtomicFiles;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ProcessLock;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The sweep directory is the local truth: {@code plan.json} and {@code policy.json} (what the sweep runs and how),
 * {@code runs/<id>/run.json} (the spec handed to the worker),
 * {@code runs/<id>/state.json} (attempts), {@code runs/<id>/attempt-<n>.log}, {@code metrics/} (written by
 * workers; a final file means done; or a prefix on an object store, see {@link MetricsStore}) and {@code fit/}. Every file is written atomically, so a crash at any
 * point leaves a state that the next start completes.
 */
public final class SweepStore implements RunStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path sweepDir;
    private final MetricsStore metrics;

    /** A sweep whose metrics are in its own {@code metrics/} directory. */
    public SweepStore(Path sweepDir) {
        this(sweepDir, new DirectoryMetricsStore(MetricsLayout.ofSweep(sweepDir.toAbsolutePath())));
    }

    /** A sweep whose workers keep their metrics in {@code metrics} (an object store, say). */
    public SweepStore(Path sweepDir, MetricsStore metrics) {
        this.sweepDir = sweepDir.toAbsolutePath();
        this.metrics = metrics;
    }

    public Path sweepDir() {
        return sweepDir;
    }

    /** Where the workers keep the metric files. */
    public MetricsStore metrics() {
        return metrics;
    }

    public Path fitDir() {
        return sweepDir.resolve("fit");
    }

    public Path planFile() {
        return sweepDir.resolve("plan.json");
    }

    /** How the sweep is driven (see {@code SweepPolicy}). */
    public Path policyFile() {
        return sweepDir.resolve("policy.json");
    }

    public Path runDir(String runId) {
        return sweepDir.resolve("runs").resolve(runId);
    }

    public Path specFile(String runId) {
        return runDir(runId).resolve("run.json");
    }

    /** Where a local worker of a run whose metrics are on an object store keeps its working copy. */
    public Path workDir(String runId) {
        return runDir(runId).resolve("work");
    }

    /** The lock a local worker holds while it trains the run (in its working copy when metrics are on a store). */
    public Path workerLockFile(String runId) {
        Path metricsDir = metrics instanceof DirectoryMetricsStore directory ? directory.directory()
                : MetricsLayout.workingCopy(workDir(runId));
        return MetricsLayout.lockFile(metricsDir, runId);
    }

    public Path logFile(String runId, int attempt) {
        return runDir(runId).resolve("attempt-" + attempt + ".log");
    }

    @Override
    public String attemptLog(String runId, int attempt) {
        return logFile(runId, attempt).toString();
    }

    @Override
    public List<String> setAsideUnreadableMetrics(String runId) throws IOException {
        return metrics.setAsideUnreadable(runId);
    }

    @Override
    public boolean isFinished(String runId) {
        return metrics.isFinished(runId);
    }

    /** Writes the run spec the worker will read (unchanged content on every attempt). */
    public Path writeSpec(RunSpec spec) throws IOException {
        Path file = specFile(spec.runId());
        RunSpecCodec.write(spec, file);
        return file;
    }

    @Override
    public RunRecord load(String runId) throws IOException {
        Path file = runDir(runId).resolve("state.json");
        if (!Files.exists(file)) {
            return RunRecord.empty(runId);
        }
        try {
            return JSON.readValue(file.toFile(), RunRecord.class);
        } catch (IOException e) {
            return rebuilt(runId, file, e);
        }
    }

    /**
     * A state file that cannot be read (a disk filled up, a hand edit) is set aside as {@code state.json.unreadable}
     * and the run's state is rebuilt from what cannot lie: its metrics (a final file means done, and the runner
     * records that) and its worker's lock (a live worker is followed). The attempts before are forgotten, so the
     * run gets its full number of attempts again. Said on standard error.
     */
    private RunRecord rebuilt(String runId, Path file, IOException cause) throws IOException {
        Path aside = file.resolveSibling("state.json.unreadable");
        Files.copy(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        boolean training = ProcessLock.isHeld(workerLockFile(runId));
        RunRecord record = !isFinished(runId) && training
                ? RunRecord.empty(runId).with(AttemptRecord.started(1, null)) : RunRecord.empty(runId);
        System.err.printf("isoflop: run state %s is unreadable (%s); copied to %s and rebuilt from the run's metrics:"
                + " %s%n", file, cause.getMessage().lines().findFirst().orElse(""), aside.getFileName(),
                isFinished(runId) ? "finished" : training ? "a worker is training it" : "not finished, to be trained");
        return record;
    }

    @Override
    public void save(RunRecord record) throws IOException {
        AtomicFiles.writeString(runDir(record.runId()).resolve("state.json"), JSON.writeValueAsString(record));
    }

    /**
     * Takes the sweep's lock for the life of this process, so two schedulers never drive one sweep; empty when
     * another process holds it.
     *
     * @throws IllegalArgumentException naming {@code sweep.output} when the sweep directory cannot be created
     */
    public Optional<ProcessLock> tryLock() throws IOException {
        try {
            Files.createDirectories(sweepDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("sweep.output: cannot create the sweep directory " + sweepDir + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        return ProcessLock.tryAcquire(lockFile());
    }

    public Path lockFile() {
        return sweepDir.resolve("sweep.lock");
    }
}
