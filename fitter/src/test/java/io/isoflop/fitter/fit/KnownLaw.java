package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A known loss law {@code L(N, D) = E + A/N^α + B/D^β} with C = 6ND, to generate IsoFLOP sweeps whose
 * compute-optimal frontier is known exactly: {@code N_opt = G·(C/6)^a}, {@code a = β/(α+β)},
 * {@code G = (αA/(βB))^(1/(α+β))}.
 */
public record KnownLaw(double e, double a, double b, double alpha, double beta) {
    /** Epoch AI's refit of Chinchilla (Besiroglu et al. 2024). */
    public static final KnownLaw EPOCH_CHINCHILLA = new KnownLaw(1.82, 482.01, 2085.43, 0.3478, 0.3658);

    public double loss(double parameters, double tokens) {
        return e + a / Math.pow(parameters, alpha) + b / Math.pow(tokens, beta);
    }

    /** The exponent of N_opt in C. */
    public double exponentA() {
        return beta / (alpha + beta);
    }

    /** The exponent of D_opt in C. */
    public double exponentB() {
        return alpha / (alpha + beta);
    }

    public double optimalParameters(double budgetFlops) {
        double g = Math.pow(alpha * a / (beta * b), 1 / (alpha + beta));
        return g * Math.pow(budgetFlops / 6, exponentA());
    }

    public double optimalLoss(double budgetFlops) {
        double n = optimalParameters(budgetFlops);
        return loss(n, budgetFlops / (6 * n));
    }

    /**
     * An IsoFLOP grid of {@code sizes} models spaced {@code stepDecades} apart in log10(N), centred
     * {@code offsetDecades} away from the true N_opt, each trained on D = C/(6N); losses get Gaussian noise of
     * standard deviation {@code noise} drawn from {@code random}.
     */
    public List<RunResult> grid(double budgetFlops, int sizes, double stepDecades, double offsetDecades, double noise,
            Random random) {
        List<RunResult> runs = new ArrayList<>();
        double centre = Math.log10(optimalParameters(budgetFlops)) + offsetDecades;
        for (int i = 0; i < sizes; i++) {
            long n = Math.round(Math.pow(10, centre + (i - (sizes - 1) / 2.0) * stepDecades));
            long d = Math.round(budgetFlops / (6.0 * n));
            double lossValue = loss(n, d) + noise * random.nextGaussian();
            String runId = String.format(Locale.ROOT, "c%.0e-n%d", budgetFlops, n).replace("+", "");
            runs.add(new RunResult(runId, budgetFlops, n, d, 6.0 * n * d, lossValue));
        }
        return runs;
    }
}
