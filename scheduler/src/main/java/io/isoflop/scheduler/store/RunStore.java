package io.isoflop.scheduler.store;

import java.io.IOException;
import java.util.List;

/**
 * Where a sweep keeps what it knows of each run: the attempt records (a file per run in the sweep directory, or
 * the per-sweep ConfigMap on Kubernetes) and whether the run's final metrics exist, the one meaning of done.
 */
public interface RunStore {

    RunRecord load(String runId) throws IOException;

    void save(RunRecord record) throws IOException;

    /** A whole final metrics file of the run exists. */
    boolean isFinished(String runId);

    /**
     * Renames the run's metric files that are not whole Parquet files out of the readers' way (a final file that
     * cannot be read does not make a run done); returns their new names.
     */
    List<String> setAsideUnreadableMetrics(String runId) throws IOException;

    /**
     * Makes every save so far durable before returning. A store that writes each save at once has nothing to do; the
     * Kubernetes ledger, which batches its writes, writes them now.
     */
    default void flush() throws IOException {}

    /** Where a person reads what the attempt printed (a file, or the command that shows a Job's log). */
    String attemptLog(String runId, int attempt);

    /** Where a run stands, derived from its metrics and its attempt records (never stored on its own). */
    default RunPhase phase(String runId, int maxAttempts) throws IOException {
        return RunPhase.of(isFinished(runId), load(runId), maxAttempts);
    }
}
