package io.isoflop.fitter.fit;

import java.util.List;

/**
 * Kaplan et al. (2020)'s three one-variable laws fitted to one set of runs ({@link KaplanLaws}).
 *
 * @param parameters L(N), from the run with the most tokens at each model size
 * @param data L(D), from the envelope of the training curves over tokens (or of final losses without curves)
 * @param compute L(C_min), from the envelope over compute (Approach 1's, or of final losses without curves)
 * @param resamples bootstrap resamples over each law's points; 0 for none (no intervals)
 * @param seed the bootstrap's seed
 * @param diagnostics notes, each starting with "kaplan"
 */
public record KaplanFit(KaplanLaw parameters, KaplanLaw data, KaplanLaw compute, int resamples, long seed,
        List<String> diagnostics) {

    public KaplanFit {
        diagnostics = List.copyOf(diagnostics);
    }

    /** L(N), L(D), L(C_min), in that order. */
    public List<KaplanLaw> laws() {
        return List.of(parameters, data, compute);
    }
}
