package io.isoflop.scheduler.store;

import io.isoflop.contracts.MetricsLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Metric files in a directory (this machine's disk, or a volume every worker mounts at the same path). */
public record DirectoryMetricsStore(Path directory) implements MetricsStore {

    @Override
    public String location() {
        return directory.toString();
    }

    @Override
    public boolean onObjectStore() {
        return false;
    }

    @Override
    public boolean isFinished(String runId) {
        return MetricsLayout.isFinished(directory, runId);
    }

    @Override
    public List<String> setAsideUnreadable(String runId) throws IOException {
        return MetricsLayout.setAsideUnreadable(directory, runId).stream().map(Path::toString).toList();
    }
}
