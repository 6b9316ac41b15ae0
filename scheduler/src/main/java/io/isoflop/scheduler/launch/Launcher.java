package io.isoflop.scheduler.launch;

import io.isoflop.contracts.RunSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts workers and the fitter somewhere: local processes or Kubernetes Jobs. Every backend hands the worker
 * the same {@link RunSpec} document and starts the same entrypoint; the sweep logic never asks which backend
 * it has. A launcher only starts, adopts and awaits (through {@link RunHandle#exit()}): the run's attempts are
 * recorded by the caller, which writes the attempt it intends before calling {@link #start}.
 */
public interface Launcher {

    /**
     * Starts attempt {@code attempt} (1-based) of a run. Idempotent per attempt: where that attempt already
     * exists (a scheduler died after starting it), it is followed rather than started twice.
     */
    RunHandle start(RunSpec spec, int attempt) throws IOException;

    /**
     * Attempt {@code attempt} of this run, started by an earlier scheduler process, if the backend still knows it
     * (going, or ended with an outcome the backend can still report): the caller follows it instead of starting
     * another.
     */
    Optional<RunHandle> adopt(RunSpec spec, int attempt) throws IOException;

    /** Starts the fitter over its input, writing to {@code target}. */
    RunHandle startFitter(FitInput input, FitTarget target) throws IOException;
}
