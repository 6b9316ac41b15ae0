package io.isoflop.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One training run, fully resolved. The same JSON document is handed to the worker by every backend
 * (a file for local processes, an environment variable of the Kubernetes Job, see {@link WorkerProtocol}); the
 * worker needs nothing else.
 *
 * @param budgetFlops the nominal IsoFLOP budget C this run belongs to
 * @param parameters N as declared by {@code parameterCount} (used for the grid and the fits)
 * @param tokens D, the exact number of training tokens
 * @param flopsPerToken training FLOPs per token under {@code flopConvention}
 * @param checkpoint when the worker saves its state, so that a preempted run resumes instead of restarting (null:
 *     {@link CheckpointPolicy#DEFAULT}); not part of what is trained, so not part of the run id
 * @param simulation null for a run that trains; otherwise the law its metrics are drawn from (the worker's
 *     simulate mode: no model, no data, the same metric rows)
 */
public record RunSpec(
        int schemaVersion,
        String sweep,
        String runId,
        double budgetFlops,
        String flopConvention,
        String parameterCount,
        ModelShape shape,
        long parameters,
        long tokens,
        double flopsPerToken,
        TrainingRecipe training,
        DataSpec data,
        long evalIntervalTokens,
        long seed,
        Resources resources,
        String metricsDir,
        CheckpointPolicy checkpoint,
        @JsonInclude(JsonInclude.Include.NON_NULL) SimulatedLaw simulation) {

    public static final int SCHEMA_VERSION = 1;

    /** A run that trains (no {@link #simulation}). */
    public RunSpec(int schemaVersion, String sweep, String runId, double budgetFlops, String flopConvention,
            String parameterCount, ModelShape shape, long parameters, long tokens, double flopsPerToken,
            TrainingRecipe training, DataSpec data, long evalIntervalTokens, long seed, Resources resources,
            String metricsDir, CheckpointPolicy checkpoint) {
        this(schemaVersion, sweep, runId, budgetFlops, flopConvention, parameterCount, shape, parameters, tokens,
                flopsPerToken, training, data, evalIntervalTokens, seed, resources, metricsDir, checkpoint, null);
    }

    /** The checkpoint policy; specs written before it existed (no {@code checkpoint}) get the default. */
    public CheckpointPolicy checkpointPolicy() {
        return checkpoint != null ? checkpoint : CheckpointPolicy.DEFAULT;
    }

    /** The same run under another id. */
    public RunSpec withRunId(String id) {
        return new RunSpec(schemaVersion, sweep, id, budgetFlops, flopConvention, parameterCount, shape, parameters,
                tokens, flopsPerToken, training, data, evalIntervalTokens, seed, resources, metricsDir, checkpoint,
                simulation);
    }

    /** The same run writing its metrics elsewhere. */
    public RunSpec withMetricsDir(String directory) {
        return new RunSpec(schemaVersion, sweep, runId, budgetFlops, flopConvention, parameterCount, shape, parameters,
                tokens, flopsPerToken, training, data, evalIntervalTokens, seed, resources, directory, checkpoint,
                simulation);
    }

    /** Training FLOPs of the whole run under the declared convention. */
    public double plannedFlops() {
        return flopsPerToken * tokens;
    }

    public double tokensPerParameter() {
        return (double) tokens / parameters;
    }
}
