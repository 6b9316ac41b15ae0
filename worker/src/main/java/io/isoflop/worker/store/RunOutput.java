package io.isoflop.worker.store;

import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.WorkerProtocol;
import java.nio.file.Path;
import java.util.Map;
import io.isoflop.contracts.RunSpec;
import java.io.IOException;

/**
 * Where a run's metric files and checkpoints are kept: the run spec's {@code metricsDir}, a directory (shared
 * volume, local disk) or {@code s3://bucket/prefix} on an object store. The worker always writes into a local
 * directory ({@link #localSpec()}); for a store that directory is a working copy, filled from the store when the
 * run starts and published to it at every checkpoint and at the end.
 */
public interface RunOutput extends AutoCloseable {

    /**
     * The output of {@code spec}'s run: a directory as it is, or the store its {@code metricsDir} names (which store,
     * and where the working copy goes, from {@code environment}: {@link ObjectStore}'s variables and
     * {@link WorkerProtocol#WORK_DIR_ENV}).
     */
    static RunOutput of(RunSpec spec, Map<String, String> environment) throws IOException {
        if (!ObjectStore.isObjectStore(spec.metricsDir())) {
            return new DirectoryRunOutput(spec);
        }
        String workDir = environment.get(WorkerProtocol.WORK_DIR_ENV);
        return StoreRunOutput.open(spec, StoreClients.s3(ObjectStore.Settings.fromEnvironment(environment)),
                workDir == null || workDir.isBlank() ? null : Path.of(workDir));
    }

    /** The spec the worker runs: the same, with {@code metricsDir} a local directory. */
    RunSpec localSpec();

    /** Brings into the local directory what earlier attempts left: metric files, and the newest checkpoint. */
    void restore() throws IOException;

    /**
     * Makes the local directory's state the kept one: files not yet kept are stored (the final metric file last, so
     * that a run counts as finished only when everything else is there), files removed locally are removed.
     */
    void publish() throws IOException;

    /** Where the output is kept, for messages. */
    String location();

    @Override
    void close();
}
