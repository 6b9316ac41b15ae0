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
    /** Chinchilla's rounded published constants (Hoffmann et al. 2022). */
    public static final KnownLaw CHINCHILLA_PUBLISHED = new KnownLaw(1.69, 406.4, 410.7, 0.34, 0.28);

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

    /** G = (αA/(βB))^(1/(α+β)). */
    public double g() {
        return Math.pow(alpha * a / (beta * b), 1 / (alpha + beta));
    }

    /**
     * The loss surface on a full grid: {@code nSizes} values of N log-spaced over [nMin, nMax] times {@code dSizes}
     * values of D log-spaced over [dMin, dMax], N and D rounded to whole numbers. Each loss is multiplied by
     * {@code 1 + relativeNoise·z}, z standard normal from {@code random}; the budget of a point is 6ND.
     */
    public List<RunResult> surface(int nSizes, double nMin, double nMax, int dSizes, double dMin, double dMax,
            double relativeNoise, Random random) {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < nSizes; i++) {
            long n = Math.round(logSpaced(nMin, nMax, nSizes, i));
            for (int j = 0; j < dSizes; j++) {
                long d = Math.round(logSpaced(dMin, dMax, dSizes, j));
                double lossValue = loss(n, d) * (1 + relativeNoise * random.nextGaussian());
                runs.add(new RunResult("n" + n + "-d" + d, 6.0 * n * d, n, d, 6.0 * n * d, lossValue));
            }
        }
        return runs;
    }

    private static double logSpaced(double from, double to, int count, int index) {
        return count == 1 ? from : Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * index / (count - 1));
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

    /**
     * Seven-size grids 0.2 decades apart around N_opt at each budget, their budget recorded as given, each loss
     * multiplied by (1 + {@code relativeNoise}·z): the noisy sweep the report tests draw.
     */
    public List<RunResult> noisySweep(double[] budgets, double relativeNoise, Random random) {
        List<RunResult> runs = new ArrayList<>();
        for (double budget : budgets) {
            for (RunResult run : grid(budget, 7, 0.2, 0.0, 0.0, random)) {
                runs.add(new RunResult(run.runId(), budget, run.parameters(), run.tokens(), run.flops(),
                        run.finalLoss() * (1 + relativeNoise * random.nextGaussian())));
            }
        }
        return runs;
    }
}
