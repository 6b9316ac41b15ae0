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
}
