package io.isoflop.fitter.fit;

import java.util.List;

/**
 * What the fits say beyond the sampled budgets.
 *
 * @param holdOut the held-out extrapolation check
 * @param projections the compute-optimal model at each target budget
 * @param inferenceTokens the expected inference tokens of the inference-aware optimum; null when none was asked
 * @param inference the inference-aware optimum at each target budget; empty when {@code inferenceTokens} is null
 */
public record Forecasts(HoldOut holdOut, List<Projection> projections, Double inferenceTokens,
        List<InferenceForecast> inference) {
    public Forecasts {
        projections = List.copyOf(projections);
        inference = List.copyOf(inference);
    }
}
