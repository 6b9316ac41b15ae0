package io.isoflop.worker;

import io.isoflop.contracts.DataSpec;
import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.Resources;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.TrainingRecipe;
import java.nio.file.Path;

/** Small run specs for worker tests. */
public final class TestRuns {
    private TestRuns() {}

    public static RunSpec tinyRun(Path metricsDir, long tokens, int batch) {
        ModelShape shape = new ModelShape(256, 64, 32, 2, 4, 4);
        long steps = (tokens + (long) batch * 64 - 1) / ((long) batch * 64);
        TrainingRecipe recipe = new TrainingRecipe(batch, steps, 6e-3, 0.1, Math.max(1, steps / 20), 0.9, 0.95, 1e-8,
                0.01);
        long n = shape.nonEmbeddingParameters();
        return new RunSpec(RunSpec.SCHEMA_VERSION, "test", "c1e9-n" + n + "-test", 1e9, "6N", "non_embedding", shape, n,
                tokens, 6.0 * n, recipe, new DataSpec(DataSpec.EUROPARL, null, 0.01, 4096, 8192), tokens / 4, 7,
                new Resources(null, 0, 1, "1Gi"), metricsDir.toString(), null);
    }

    /** {@code run} drawn from {@code law} instead of trained (the worker's simulate mode). */
    public static RunSpec simulated(RunSpec run, io.isoflop.contracts.SimulatedLaw law) {
        return new RunSpec(run.schemaVersion(), run.sweep(), run.runId(), run.budgetFlops(), run.flopConvention(),
                run.parameterCount(), run.shape(), run.parameters(), run.tokens(), run.flopsPerToken(),
                run.training(), run.data(), run.evalIntervalTokens(), run.seed(), run.resources(), run.metricsDir(),
                run.checkpoint(), law);
    }

    /** {@code run} with a peak learning rate of 1e6 and a one-step warmup: its loss blows up within a few steps. */
    public static RunSpec diverging(RunSpec run) {
        TrainingRecipe r = run.training();
        TrainingRecipe absurd = new TrainingRecipe(r.batchSequences(), r.steps(), 1e6, r.minLearningRateRatio(), 1,
                r.beta1(), r.beta2(), r.epsilon(), r.weightDecay());
        return new RunSpec(run.schemaVersion(), run.sweep(), run.runId(), run.budgetFlops(), run.flopConvention(),
                run.parameterCount(), run.shape(), run.parameters(), run.tokens(), run.flopsPerToken(), absurd,
                run.data(), run.evalIntervalTokens(), run.seed(), run.resources(), run.metricsDir(), run.checkpoint());
    }
}
