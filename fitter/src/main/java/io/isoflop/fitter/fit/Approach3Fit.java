package io.isoflop.fitter.fit;

import java.util.List;

/**
 * The result of Approach 3 (the parametric fit {@code L(N, D) = E + A/N^α + B/D^β} to every finished run).
 *
 * @param law the best fit; null when Approach 3 was not fitted (too few runs, or every start failed)
 * @param objective the sum of Huber losses at the best fit; NaN when not fitted
 * @param starts how many starts were run (0 when not fitted)
 * @param startsNearBest starts that ended within {@code nearBestTolerance} of the best objective, the best
 *     included: how often the grid found this optimum
 * @param startsFailed starts on which the optimiser threw or ended on a non-finite objective
 * @param runsUsed runs whose (N, D, loss) went into the fit
 * @param huberDelta the Huber δ the objective used
 * @param nearBestTolerance the absolute objective difference that counts as "near the best"
 * @param reason why nothing was fitted; null when fitted
 * @param diagnostics notes on runs left out, failed starts and a law without a compute-optimal allocation; each
 *     starts with "approach 3"
 */
public record Approach3Fit(
        ParametricLaw law,
        double objective,
        int starts,
        int startsNearBest,
        int startsFailed,
        int runsUsed,
        double huberDelta,
        double nearBestTolerance,
        String reason,
        List<String> diagnostics) {

    public Approach3Fit {
        diagnostics = List.copyOf(diagnostics);
    }

    static Approach3Fit notFitted(int runsUsed, Approach3Settings settings, String reason, List<String> diagnostics) {
        return new Approach3Fit(null, Double.NaN, 0, 0, 0, runsUsed, settings.huberDelta(),
                settings.nearBestTolerance(), reason, diagnostics);
    }

    public boolean fitted() {
        return law != null;
    }

    /** Whether the fit gives N_opt(C) and D_opt(C): fitted, with positive α and β. */
    public boolean hasOptimalAllocation() {
        return fitted() && law.hasOptimalAllocation();
    }
}
