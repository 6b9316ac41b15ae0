package io.isoflop.scheduler.store;

import io.isoflop.contracts.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a sweep's workers keep their metric files ({@link io.isoflop.contracts.MetricsLayout}): a directory, or a
 * prefix on an object store. What the scheduler asks of it is the one meaning of done (a whole final file exists)
 * and to move files that are not whole Parquet out of the readers' way.
 */
public interface MetricsStore extends AutoCloseable {

    /** The store for a run spec's {@code metricsDir}: {@code s3://bucket/prefix} or a directory. */
    static MetricsStore of(String location) {
        return ObjectStore.isObjectStore(location) ? ObjectMetricsStore.fromEnvironment(location)
                : new DirectoryMetricsStore(Path.of(location));
    }

    /** The location as run specs and the fitter name it. */
    String location();

    /** Whether the files live on an object store (workers then keep a local working copy). */
    boolean onObjectStore();

    /** A whole final metrics file of the run exists. */
    boolean isFinished(String runId);

    /**
     * Renames the run's metric files that are not whole Parquet files to {@code <name>.unreadable}; returns their new
     * names.
     */
    List<String> setAsideUnreadable(String runId) throws IOException;

    @Override
    default void close() {}
}
