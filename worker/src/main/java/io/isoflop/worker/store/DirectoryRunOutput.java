package io.isoflop.worker.store;

import io.isoflop.contracts.RunSpec;

/** A run whose {@code metricsDir} is a directory: the worker writes there, and there is nothing to copy. */
final class DirectoryRunOutput implements RunOutput {
    private final RunSpec spec;

    DirectoryRunOutput(RunSpec spec) {
        this.spec = spec;
    }

    @Override
    public RunSpec localSpec() {
        return spec;
    }

    @Override
    public void restore() {}

    @Override
    public void publish() {}

    @Override
    public String location() {
        return spec.metricsDir();
    }

    @Override
    public void close() {}
}
