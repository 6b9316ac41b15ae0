package io.isoflop.scheduler.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds spec YAML for tests: one flow-style value per top-level section, replaceable one at a time. */
public final class SpecText {
    private final Map<String, String> sections = new LinkedHashMap<>();

    private SpecText() {}

    /** A small valid spec: two budgets, five sizes from 4000 to 120000 parameters, head size 8. */
    public static SpecText minimal() {
        return new SpecText()
                .with("sweep", "{name: test, seed: 7}")
                .with("budgets", "{flops: [1e11, 3e11]}")
                .with("models", "{per_budget: 5, parameters: {min: 4000, max: 120000}}")
                .with("shape", "{head_dim: 8}");
    }

    public SpecText with(String section, String flowValue) {
        sections.put(section, flowValue);
        return this;
    }

    public SpecText without(String section) {
        sections.remove(section);
        return this;
    }

    public String yaml() {
        StringBuilder out = new StringBuilder();
        sections.forEach((key, value) -> out.append(key).append(": ").append(value).append('\n'));
        return out.toString();
    }

    public BudgetSpec parse() throws SpecValidationException {
        return BudgetSpecLoader.parse(yaml(), "test.yaml");
    }
}
