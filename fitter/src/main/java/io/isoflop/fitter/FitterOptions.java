package io.isoflop.fitter;

import java.util.List;

/**
 * What the fitter computes beyond the fits themselves.
 *
 * @param bootstrapResamples resamples of the bootstrap over runs; 0 for none (no intervals)
 * @param bootstrapSeed the bootstrap's seed: the same seed and runs give the same intervals
 * @param targetBudgets budgets (FLOPs) to project the compute-optimal model to; empty for the default, 10×, 100×
 *     and 1000× the largest sampled budget
 * @param inferenceTokens expected inference tokens over the model's life for the inference-aware optimum; null
 *     for none
 * @param stages an adaptive sweep's {@code stages.json} (a path or {@code s3://} URI) to show in the report; null
 *     for none
 */
public record FitterOptions(int bootstrapResamples, long bootstrapSeed, List<Double> targetBudgets,
        Double inferenceTokens, String stages) {

    public FitterOptions(int bootstrapResamples, long bootstrapSeed, List<Double> targetBudgets,
            Double inferenceTokens) {
        this(bootstrapResamples, bootstrapSeed, targetBudgets, inferenceTokens, null);
    }

    public static final int DEFAULT_RESAMPLES = 1000;
    public static final long DEFAULT_SEED = 20240416L;

    public FitterOptions {
        if (bootstrapResamples < 0) {
            throw new IllegalArgumentException("bootstrap resamples must not be negative, got " + bootstrapResamples);
        }
        targetBudgets = List.copyOf(targetBudgets);
        for (double budget : targetBudgets) {
            if (!(budget > 0) || !Double.isFinite(budget)) {
                throw new IllegalArgumentException("target budgets must be positive FLOPs, got " + budget);
            }
        }
        if (inferenceTokens != null && !(inferenceTokens >= 0 && Double.isFinite(inferenceTokens))) {
            throw new IllegalArgumentException("inference tokens must be a finite number ≥ 0, got " + inferenceTokens);
        }
    }

    public static FitterOptions defaults() {
        return new FitterOptions(DEFAULT_RESAMPLES, DEFAULT_SEED, List.of(), null);
    }

    public FitterOptions withBootstrapResamples(int resamples) {
        return new FitterOptions(resamples, bootstrapSeed, targetBudgets, inferenceTokens, stages);
    }
}
