package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.spec.SpecText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sweep small enough to train for real in an integration test: 2 budgets × 3 sizes, context 32. */
final class TinySweep {
    private TinySweep() {}

    static Path writeSpec(Path dir, String name, String budgets) throws IOException {
        return writeSpec(dir, name, budgets, "{name: " + name + ", output: '" + dir.resolve("sweeps") + "', seed: 3}");
    }

    /** With the spec's {@code sweep} section as given (an object store output, say). */
    static Path writeSpec(Path dir, String name, String budgets, String sweep) throws IOException {
        String yaml = SpecText.minimal()
                .with("sweep", sweep)
                .with("budgets", "{flops: " + budgets + "}")
                .with("models", "{per_budget: 3, parameters: {min: 2000, max: 16000}}")
                .with("shape", "{context: 32, aspect_ratio: 16, head_dim: 16, width_multiple: 8}")
                .with("dataset", "{eval_tokens: 2048, final_eval_tokens: 8192}")
                .with("batch", "{sequences: 8, min_steps: 100}")
                .with("eval", "{interval_tokens: 32768}")
                .with("limits", "{max_parallel: 2}")
                .yaml();
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, yaml);
        return spec;
    }
}
