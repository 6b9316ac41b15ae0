package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Kaplan et al. (2020)'s joint law {@code L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D} (their eq. 1.5) with the
 * published constants: L(N) = (N_c/N)^α_N where data is plentiful, L(D) = (D_c/D)^α_D where the model is large.
 * Under C = 6ND its compute-optimal loss falls as C^(−α_N·α_D/(α_N + α_D)).
 */
final class KaplanSurface {
    static final double ALPHA_N = 0.076;
    static final double N_C = 8.8e13;
    static final double ALPHA_D = 0.095;
    static final double D_C = 5.4e13;
    /** The exponent of the compute-optimal loss of this joint law. */
    static final double ALPHA_C = ALPHA_N * ALPHA_D / (ALPHA_N + ALPHA_D);

    private KaplanSurface() {}

    static double loss(double parameters, double tokens) {
        return Math.pow(Math.pow(N_C / parameters, ALPHA_N / ALPHA_D) + D_C / tokens, ALPHA_D);
    }

    /** A run of N on D tokens, its loss times exp(noise·z), z standard normal; budget 6ND. */
    static RunResult run(long parameters, long tokens, double noise, Random random) {
        double loss = loss(parameters, tokens) * Math.exp(noise * random.nextGaussian());
        return new RunResult("n" + parameters + "-d" + tokens, 6.0 * parameters * tokens, parameters, tokens,
                6.0 * parameters * tokens, loss);
    }

    /** A run evaluated every 0.05 decades of tokens from {@code minTokens} to {@code maxTokens}, noise-free. */
    static TrainingCurve curve(long parameters, double minTokens, double maxTokens) {
        List<CurvePoint> points = new ArrayList<>();
        for (double logD = Math.log10(minTokens); logD <= Math.log10(maxTokens) + 1e-9; logD += 0.05) {
            long d = Math.round(Math.pow(10, logD));
            points.add(new CurvePoint(6.0 * parameters * d, d, loss(parameters, d)));
        }
        return new TrainingCurve("n" + parameters, parameters, points);
    }

    /** Sizes log-spaced {@code stepDecades} apart from {@code minN} to {@code maxN}. */
    static List<Long> sizes(double minN, double maxN, double stepDecades) {
        List<Long> sizes = new ArrayList<>();
        for (double logN = Math.log10(minN); logN <= Math.log10(maxN) + 1e-9; logN += stepDecades) {
            sizes.add(Math.round(Math.pow(10, logN)));
        }
        return sizes;
    }
}
