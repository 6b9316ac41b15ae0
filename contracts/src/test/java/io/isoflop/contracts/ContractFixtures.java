package io.isoflop.contracts;

/** One fully resolved run spec, as the planner would write it. */
final class ContractFixtures {
    private ContractFixtures() {}

    static RunSpec run() {
        ModelShape shape = new ModelShape(256, 64, 32, 2, 4, 4);
        TrainingRecipe recipe = new TrainingRecipe(8, 100, 3e-3, 0.1, 5, 0.9, 0.95, 1e-8, 0.01);
        DataSpec data = new DataSpec(DataSpec.EUROPARL, null, 0.01, 4096, 16384);
        return new RunSpec(RunSpec.SCHEMA_VERSION, "demo", "c1e9-n25408-abc123", 1e9, "6N", "non_embedding", shape,
                shape.nonEmbeddingParameters(), 51200, 6.0 * shape.nonEmbeddingParameters(), recipe, data, 16384, 7,
                new Resources(null, 0, 1, "2Gi"), "/tmp/metrics",
                new CheckpointPolicy(100, 600, false));
    }
}
