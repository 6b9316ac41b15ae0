package io.isoflop.scheduler.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The fitter's own options, offered by {@code isoflop fit} and {@code isoflop sweep} and passed through as given. */
final class FitterOptions {
    @Option(names = "--bootstrap", paramLabel = "N",
            description = "bootstrap resamples over runs for the intervals (fitter default 1000; 0: none)")
    Integer bootstrap;

    @Option(names = "--seed", paramLabel = "S", description = "the bootstrap's seed")
    Long seed;

    @Option(names = "--target-budgets", paramLabel = "C1,C2,...",
            description = "budgets to project the compute-optimal model to (default: 10x, 100x, 1000x the largest)")
    String targetBudgets;

    @Option(names = "--inference-tokens", paramLabel = "T",
            description = "expected inference tokens: also report the inference-aware optimum")
    String inferenceTokens;

    /** The options given, as fitter arguments (the fitter validates them and names the bad one). */
    List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        if (bootstrap != null) {
            arguments.addAll(List.of("--bootstrap", bootstrap.toString()));
        }
        if (seed != null) {
            arguments.addAll(List.of("--seed", seed.toString()));
        }
        if (targetBudgets != null) {
            arguments.addAll(List.of("--target-budgets", targetBudgets));
        }
        if (inferenceTokens != null) {
            arguments.addAll(List.of("--inference-tokens", inferenceTokens));
        }
        return arguments;
    }
}
