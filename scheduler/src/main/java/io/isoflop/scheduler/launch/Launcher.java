package io.isoflop.scheduler.launch;

import io.isoflop.contracts.RunSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts workers and the fitter somewhere: local processes or Kubernetes Jobs. Every backend hands the worker
 * the same {@link RunSpec} document and starts the same entrypoint; the sweep logic never asks which backend
 * it has.
 */
public interface Launcher {

    /** Starts a new attempt of a run. */
    RunHandle start(RunSpec spec) throws IOException;

    /**
     * An attempt of this run started by an earlier scheduler process that is still going, if any: the caller
     * follows it instead of starting a second one.
     */
    Optional<RunHandle> adopt(RunSpec spec) throws IOException;

    /** Starts the fitter over its input, writing into {@code outputDir}. */
    RunHandle startFitter(FitInput input, Path outputDir) throws IOException;
}
