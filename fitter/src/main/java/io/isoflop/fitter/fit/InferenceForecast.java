package io.isoflop.fitter.fit;

/**
 * The inference-aware optimum at one target budget with bootstrap intervals of its N, D and total FLOPs.
 *
 * @param estimate the optimum under the fit to every run; null when Approach 3 gives no compute-optimal allocation
 */
public record InferenceForecast(double budgetFlops, InferenceOptimum estimate, Interval parameters, Interval tokens,
        Interval totalFlops) {}
