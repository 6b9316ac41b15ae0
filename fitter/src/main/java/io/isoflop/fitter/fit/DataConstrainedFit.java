package io.isoflop.fitter.fit;

import java.util.List;

/**
 * The data-constrained law (Muennighoff et al. 2023) fitted to runs that repeat data:
 * {@code L = E + A/N'^α + B/D'^β} with D' and N' the effective data and parameters of
 * {@link io.isoflop.contracts.RepeatedData}.
 *
 * @param law E, A, B, α, β; null when not fitted
 * @param rStarD R*_D, the repetitions after which repeated tokens keep 1/e of their value
 * @param rStarN R*_N for parameters beyond what the unique data can use; NaN when no run has such parameters (it
 *     is then not identifiable)
 * @param tokensPerParameter k in U_N = U_D / k
 * @param objective the Huber objective at the fit (the same objective as Approach 3's, on the effective N', D')
 * @param plainObjective Approach 3's objective on the same runs (the limit R* → ∞)
 * @param maxEpochs the most epochs any run saw
 * @param repeatingRuns runs that saw more than one epoch
 * @param reason why nothing was fitted; null when fitted
 */
public record DataConstrainedFit(ParametricLaw law, double rStarD, double rStarN, double tokensPerParameter,
        double objective, double plainObjective, double maxEpochs, int repeatingRuns, String reason,
        List<String> diagnostics) {

    public DataConstrainedFit {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean fitted() {
        return law != null;
    }

    /** Whether any run repeated data: the data-constrained law is the one to read. */
    public boolean repetitionPresent() {
        return repeatingRuns > 0;
    }

    public static DataConstrainedFit notFitted(double maxEpochs, int repeatingRuns, double tokensPerParameter, String reason,
            List<String> diagnostics) {
        return new DataConstrainedFit(null, Double.NaN, Double.NaN, tokensPerParameter, Double.NaN, Double.NaN,
                maxEpochs, repeatingRuns, reason, diagnostics);
    }
}
