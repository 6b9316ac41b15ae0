package io.isoflop.fitter.fit;

import java.util.List;

/**
 * The result of Approach 1 (the envelope of training curves).
 *
 * @param envelope one point per compute value that at least one curve reaches, in increasing C
 * @param nOpt {@code N_opt = k_N·C^a} over the used envelope points; null when not fitted
 * @param dOpt {@code D_opt = k_D·C^b} over the used envelope points; null when not fitted
 * @param curves runs with at least one usable evaluation
 * @param pointsPerDecade compute values per decade of C at which the envelope was taken
 * @param reason why no power law was fitted; null when fitted
 * @param diagnostics notes, each starting with "approach 1"
 */
public record Approach1Fit(List<EnvelopePoint> envelope, PowerLaw nOpt, PowerLaw dOpt, int curves, int pointsPerDecade,
        String reason,
        List<String> diagnostics) {

    public Approach1Fit {
        envelope = List.copyOf(envelope);
        diagnostics = List.copyOf(diagnostics);
    }

    static Approach1Fit notFitted(int curves, int pointsPerDecade, String reason) {
        return new Approach1Fit(List.of(), null, null, curves, pointsPerDecade, reason,
                List.of("approach 1 not fitted: " + reason));
    }

    public boolean hasPowerLaws() {
        return nOpt != null && dOpt != null;
    }

    public List<EnvelopePoint> usedPoints() {
        return envelope.stream().filter(EnvelopePoint::used).toList();
    }
}
