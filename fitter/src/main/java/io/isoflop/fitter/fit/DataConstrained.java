package io.isoflop.fitter.fit;

import io.isoflop.contracts.RepeatedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * Fits the data-constrained law of Muennighoff et al. (2023) when runs repeat data. For fixed R*_D and R*_N the law
 * is Chinchilla's in the effective (N', D') of {@link RepeatedData}, so it is fitted by profiling: Approach 3 (its
 * Huber objective, from the plain fit's optimum plus the bootstrap's coarse starts) on the effective points at every
 * R* of a log grid from 1 to 512, then Brent's method in log R* around the best grid point, one coordinate at a time.
 * R*_N is fitted only when some run has more parameters than its unique data can use ({@code N > U_D / k});
 * otherwise no run's N' differs from N and R*_N is not identifiable.
 */
public final class DataConstrained {
    /** R* from 1 to 512, doubling. */
    private static final double[] GRID = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    private static final int REFINE_ROUNDS = 2;
    private static final double LOG_TOLERANCE = 1e-3;

    private final Approach3Settings settings;
    private final double tokensPerParameter;

    public DataConstrained(Approach3Settings settings, double tokensPerParameter) {
        this.settings = settings;
        this.tokensPerParameter = tokensPerParameter;
    }

    public DataConstrained() {
        this(Approach3Settings.defaults(), RepeatedData.CHINCHILLA_TOKENS_PER_PARAMETER);
    }

    /** @param plain Approach 3 on the same runs, as they are: its optimum seeds every profile fit */
    public DataConstrainedFit fit(List<RunResult> runs, Approach3Fit plain) {
        List<RunResult> usable = runs.stream().filter(r -> Double.isFinite(r.finalLoss()) && r.finalLoss() > 0
                && r.uniqueTokens() > 0).toList();
        double maxEpochs = usable.stream().mapToDouble(RunResult::epochs).max().orElse(Double.NaN);
        int repeating = (int) usable.stream().filter(r -> r.epochs() > 1 + 1e-9).count();
        List<String> diagnostics = new ArrayList<>();
        if (repeating == 0) {
            return DataConstrainedFit.notFitted(maxEpochs, 0, tokensPerParameter,
                    "no run repeats data (each saw at most one epoch of its unique tokens): the Chinchilla form",
                    diagnostics);
        }
        if (!plain.fitted()) {
            return DataConstrainedFit.notFitted(maxEpochs, repeating, tokensPerParameter,
                    "Approach 3 gave no law to start from: " + plain.reason(), diagnostics);
        }
        boolean excessParameters = usable.stream()
                .anyMatch(r -> r.parameters() > r.uniqueTokens() / tokensPerParameter);
        Approach3 approach3 = new Approach3(settings.forResamples(plain.law().toLogParameters()));
        Profile profile = new Profile(usable, approach3, tokensPerParameter);
        double[] best = {Double.NaN, excessParameters ? Double.NaN : Double.POSITIVE_INFINITY};
        double bestValue = Double.POSITIVE_INFINITY;
        double[] rStarNs = excessParameters ? GRID : new double[] {Double.POSITIVE_INFINITY};
        for (double rD : GRID) {
            for (double rN : rStarNs) {
                double value = profile.objective(rD, rN);
                if (value < bestValue) {
                    bestValue = value;
                    best = new double[] {rD, rN};
                }
            }
        }
        if (!Double.isFinite(bestValue)) {
            return DataConstrainedFit.notFitted(maxEpochs, repeating, tokensPerParameter,
                    "no profile fit converged on the effective data", diagnostics);
        }
        for (int round = 0; round < REFINE_ROUNDS; round++) {
            double rN = best[1];
            best[0] = refine(best[0], rD -> profile.objective(rD, rN));
            if (excessParameters) {
                double rD = best[0];
                best[1] = refine(best[1], r -> profile.objective(rD, r));
            }
        }
        Approach3Fit fit = approach3.fit(profile.effective(best[0], best[1]));
        if (!fit.fitted()) {
            return DataConstrainedFit.notFitted(maxEpochs, repeating, tokensPerParameter,
                    "the fit at R*_D " + best[0] + " did not converge", diagnostics);
        }
        if (best[0] >= GRID[GRID.length - 1] * 0.99) {
            diagnostics.add(String.format(Locale.ROOT, "data-constrained: R*_D reached the search's upper end (%.0f):"
                    + " repeated data lost no measurable value here", best[0]));
        }
        if (!excessParameters) {
            diagnostics.add("data-constrained: R*_N not fitted: no run has more parameters than its unique data can"
                    + " use (N > U_D / " + tokensPerParameter + ")");
        }
        return new DataConstrainedFit(fit.law(), best[0], excessParameters ? best[1] : Double.NaN,
                tokensPerParameter, fit.objective(), plain.objective(), maxEpochs, repeating, null, diagnostics);
    }

    /** Brent's method in log R* within a factor 2 (one grid step) either side of {@code start}. */
    private static double refine(double start, java.util.function.DoubleUnaryOperator objective) {
        double centre = Math.log(start);
        double best = new BrentOptimizer(LOG_TOLERANCE, LOG_TOLERANCE).optimize(new MaxEval(200), GoalType.MINIMIZE,
                new UnivariateObjectiveFunction(x -> objective.applyAsDouble(Math.exp(x))),
                new SearchInterval(centre - Math.log(2), centre + Math.log(2), centre)).getPoint();
        return Math.exp(best);
    }

    /** Approach 3's objective on the effective points of one (R*_D, R*_N). */
    private static final class Profile {
        private final List<RunResult> runs;
        private final Approach3 approach3;
        private final double tokensPerParameter;

        Profile(List<RunResult> runs, Approach3 approach3, double tokensPerParameter) {
            this.runs = runs;
            this.approach3 = approach3;
            this.tokensPerParameter = tokensPerParameter;
        }

        List<RunResult> effective(double rStarD, double rStarN) {
            RepeatedData repeated = new RepeatedData(rStarD, rStarN, tokensPerParameter);
            List<RunResult> effective = new ArrayList<>(runs.size());
            for (RunResult run : runs) {
                effective.add(new RunResult(run.runId(), run.budgetFlops(),
                        Math.round(repeated.effectiveParameters(run.parameters(), run.uniqueTokens())),
                        Math.round(repeated.effectiveTokens(run.tokens(), run.uniqueTokens())), run.flops(),
                        run.finalLoss(), run.uniqueTokens()));
            }
            return effective;
        }

        double objective(double rStarD, double rStarN) {
            Approach3Fit fit = approach3.fit(effective(rStarD, rStarN));
            return fit.fitted() ? fit.objective() : Double.POSITIVE_INFINITY;
        }
    }
}
