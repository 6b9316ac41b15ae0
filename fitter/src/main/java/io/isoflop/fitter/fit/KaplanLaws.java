package io.isoflop.fitter.fit;

import io.isoflop.fitter.fit.KaplanLaw.Variable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Kaplan et al. (2020, arXiv:2001.08361)'s one-variable laws, fitted from the same runs as Chinchilla's three
 * approaches: {@code L(N) = (N_c/N)^α_N}, {@code L(D) = (D_c/D)^α_D} and {@code L(C_min) = (C_c/C_min)^α_C}, each a
 * straight line in log-log space ({@link KaplanLaw}).
 *
 * <p>Kaplan fitted each law where the other resources do not limit the loss. The points here are the runs' best
 * approximation of that:
 * <ul>
 *   <li>L(N): at each model size, the final loss of the run with the most tokens, the least data-limited run of that
 *       size. In an IsoFLOP sweep the largest models still see few tokens, which flattens α_N.</li>
 *   <li>L(D): at log-spaced token counts ({@link Approach1Settings#pointsPerDecade()} per decade, like Approach 1's
 *       compute values), the lowest held-out loss any training curve reaches there (loss linear in log D between
 *       evaluations), usually the largest model's. Without curves (a table of final losses), the lowest final loss
 *       among the runs whose D rounds to the same value of that grid.</li>
 *   <li>L(C_min): Approach 1's envelope, the lowest loss at each compute value, over the points it uses (won by an
 *       interior model size: at an edge the optimum lies outside the sizes, and the loss there is only an upper
 *       bound). Without curves, the lowest final loss of each IsoFLOP budget, C being the budget. Kaplan's C_min is
 *       the compute at the critical batch size; here it is the compute spent. The same caveat as Approach 1's
 *       holds: an intermediate loss is not that of a run whose learning-rate schedule ended there.</li>
 * </ul>
 * A law needs at least {@value #MIN_DISTINCT_VALUES} distinct values of its variable. Its exponent's interval is a
 * bootstrap over its points (resample i draws as many points as there are, with replacement, from a stream seeded by
 * the seed and i; see {@link Bootstrap}); neighbouring envelope points share curves, so for L(D) and L(C_min) from
 * curves both the regression's standard error and that interval understate the uncertainty.
 */
public final class KaplanLaws {
    /** Fewest distinct values of a law's variable: two points define a line. */
    public static final int MIN_DISTINCT_VALUES = 2;

    static final String PARAMETERS_SOURCE = "final loss of the run with the most tokens at each model size";
    static final String DATA_CURVES_SOURCE = "lowest held-out loss any training curve reaches at each log-spaced D";
    static final String DATA_TABLE_SOURCE = "lowest final loss among the runs at each log-spaced D (no training"
            + " curves)";
    static final String COMPUTE_CURVES_SOURCE = "Approach 1's used envelope points: lowest held-out loss at each"
            + " log-spaced C, won by an interior model size";
    static final String COMPUTE_TABLE_SOURCE = "lowest final loss of each IsoFLOP budget, C the budget (no training"
            + " curves)";

    private static final Comparator<KaplanPoint> BY_X = Comparator.comparingDouble(KaplanPoint::x);

    private final Approach1 grid;
    private final int pointsPerDecade;
    private final int resamples;
    private final long seed;

    /**
     * @param envelope the envelope settings: L(D) is taken at {@code pointsPerDecade} token counts per decade
     * @param resamples bootstrap resamples over each law's points; 0 for no intervals
     * @param seed the bootstrap's seed: the same seed and points give the same intervals
     */
    public KaplanLaws(Approach1Settings envelope, int resamples, long seed) {
        if (resamples < 0) {
            throw new IllegalArgumentException("resamples must not be negative, got " + resamples);
        }
        this.grid = new Approach1(envelope);
        this.pointsPerDecade = envelope.pointsPerDecade();
        this.resamples = resamples;
        this.seed = seed;
    }

    public KaplanLaws(int resamples, long seed) {
        this(Approach1Settings.defaults(), resamples, seed);
    }

    /**
     * Fits the three laws.
     *
     * @param runs the finished runs
     * @param curves their training curves; empty for a table of final losses
     * @param envelope Approach 1's fit to the same curves (its used points give L(C_min))
     */
    public KaplanFit fit(List<RunResult> runs, List<TrainingCurve> curves, Approach1Fit envelope) {
        List<RunResult> finite = runs.stream().filter(KaplanLaws::usable).toList();
        List<TrainingCurve> usableCurves = curves.stream().filter(c -> !c.isEmpty()).toList();
        boolean fromCurves = !usableCurves.isEmpty();

        List<KaplanPoint> sizes = parameterPoints(finite);
        KaplanLaw parameters = fit(Variable.PARAMETERS, PARAMETERS_SOURCE, sizes, String.format(Locale.ROOT,
                "%d model size%s with a finite final loss, at least %d needed", sizes.size(), plural(sizes.size()),
                MIN_DISTINCT_VALUES));

        KaplanLaw data;
        KaplanLaw compute;
        if (fromCurves) {
            List<KaplanPoint> tokens = curveDataPoints(usableCurves);
            data = fit(Variable.DATA, DATA_CURVES_SOURCE, tokens, String.format(Locale.ROOT, "the curves reach %d"
                    + " token count%s of the grid, at least %d needed", tokens.size(), plural(tokens.size()),
                    MIN_DISTINCT_VALUES));
            List<KaplanPoint> flops = envelope.usedPoints().stream()
                    .map(p -> new KaplanPoint(p.flops(), p.loss(), p.runId(), p.parameters())).sorted(BY_X).toList();
            compute = fit(Variable.COMPUTE, COMPUTE_CURVES_SOURCE, flops, String.format(Locale.ROOT, "%d of Approach"
                    + " 1's %d envelope points %s used (won by an interior model size), at least %d needed",
                    flops.size(), envelope.envelope().size(), flops.size() == 1 ? "is" : "are", MIN_DISTINCT_VALUES));
        } else {
            List<KaplanPoint> tokens = tableDataPoints(finite);
            data = fit(Variable.DATA, DATA_TABLE_SOURCE, tokens, String.format(Locale.ROOT, "%d distinct D value%s"
                    + " (to 1/%d decade) with a finite final loss, at least %d needed", tokens.size(),
                    plural(tokens.size()), pointsPerDecade, MIN_DISTINCT_VALUES));
            List<KaplanPoint> budgets = tableComputePoints(finite);
            compute = fit(Variable.COMPUTE, COMPUTE_TABLE_SOURCE, budgets, String.format(Locale.ROOT, "%d budget%s"
                    + " with a finite final loss, at least %d needed", budgets.size(), plural(budgets.size()),
                    MIN_DISTINCT_VALUES));
        }

        List<String> diagnostics = new ArrayList<>();
        for (KaplanLaw law : List.of(parameters, data, compute)) {
            describe(law, diagnostics);
        }
        if (fromCurves && (data.fitted() || compute.fitted())) {
            diagnostics.add("kaplan: L(D) and L(C_min) are fitted through envelope points that neighbouring values"
                    + " share curves for: their standard errors and bootstrap intervals understate the uncertainty");
        }
        return new KaplanFit(parameters, data, compute, resamples, seed, diagnostics);
    }

    private static void describe(KaplanLaw law, List<String> diagnostics) {
        String name = "kaplan: L(" + law.variable().symbol() + ")";
        if (!law.fitted()) {
            diagnostics.add(name + " not fitted: " + law.reason());
        } else if (!(law.exponent() > 0)) {
            diagnostics.add(String.format(Locale.ROOT, "%s does not fall with %s (exponent %.4f over %d points):"
                    + " these runs are not in Kaplan's %s-limited regime", name, law.variable().symbol(),
                    law.exponent(), law.points().size(), law.variable().symbol()));
        }
    }

    /** Per model size, the run with the most tokens (ties: the lower loss, then the smaller id). */
    static List<KaplanPoint> parameterPoints(List<RunResult> runs) {
        Map<Long, RunResult> longest = new TreeMap<>();
        for (RunResult run : runs) {
            longest.merge(run.parameters(), run, (a, b) -> longer(a, b) ? a : b);
        }
        return longest.values().stream()
                .map(r -> new KaplanPoint(r.parameters(), r.finalLoss(), r.runId(), r.parameters())).toList();
    }

    private static boolean longer(RunResult a, RunResult b) {
        if (a.tokens() != b.tokens()) {
            return a.tokens() > b.tokens();
        }
        return lower(a, b);
    }

    /** The lowest curve at each token count of the grid over the curves' range; gaps between curves are skipped. */
    List<KaplanPoint> curveDataPoints(List<TrainingCurve> curves) {
        double minD = curves.stream().mapToDouble(TrainingCurve::minTokens).min().orElseThrow();
        double maxD = curves.stream().mapToDouble(TrainingCurve::maxTokens).max().orElseThrow();
        List<KaplanPoint> points = new ArrayList<>();
        for (double d : grid.computeGrid(minD, maxD)) {
            TrainingCurve best = null;
            double bestLoss = Double.POSITIVE_INFINITY;
            for (TrainingCurve curve : curves) {
                if (!curve.reachesTokens(d)) {
                    continue;
                }
                double loss = curve.lossAtTokens(d);
                if (loss < bestLoss || (loss == bestLoss && curve.runId().compareTo(best.runId()) < 0)) {
                    best = curve;
                    bestLoss = loss;
                }
            }
            if (best != null) {
                points.add(new KaplanPoint(d, bestLoss, best.runId(), best.parameters()));
            }
        }
        return points;
    }

    /** Per value of the token grid (log10 D rounded to 1/pointsPerDecade), the run with the lowest final loss. */
    List<KaplanPoint> tableDataPoints(List<RunResult> runs) {
        Map<Long, RunResult> lowest = new TreeMap<>();
        for (RunResult run : runs) {
            long bucket = Math.round(Math.log10(run.tokens()) * pointsPerDecade);
            lowest.merge(bucket, run, (a, b) -> lower(a, b) ? a : b);
        }
        return lowest.values().stream()
                .map(r -> new KaplanPoint(r.tokens(), r.finalLoss(), r.runId(), r.parameters())).sorted(BY_X)
                .toList();
    }

    /** Per IsoFLOP budget, the run with the lowest final loss, at the budget's C. */
    static List<KaplanPoint> tableComputePoints(List<RunResult> runs) {
        Map<Double, RunResult> lowest = new TreeMap<>();
        for (RunResult run : runs) {
            lowest.merge(run.budgetFlops(), run, (a, b) -> lower(a, b) ? a : b);
        }
        List<KaplanPoint> points = new ArrayList<>();
        lowest.forEach((budget, r) -> points.add(new KaplanPoint(budget, r.finalLoss(), r.runId(), r.parameters())));
        return points;
    }

    private static boolean lower(RunResult a, RunResult b) {
        if (a.finalLoss() != b.finalLoss()) {
            return a.finalLoss() < b.finalLoss();
        }
        return a.runId().compareTo(b.runId()) <= 0;
    }

    private KaplanLaw fit(Variable variable, String source, List<KaplanPoint> points, String tooFew) {
        double[] x = points.stream().mapToDouble(KaplanPoint::x).toArray();
        double[] loss = points.stream().mapToDouble(KaplanPoint::loss).toArray();
        if (Parabola.distinctCount(x) < MIN_DISTINCT_VALUES) {
            return KaplanLaw.notFitted(variable, source, points, tooFew);
        }
        PowerLaw line = PowerLaw.fit(x, loss); // log10 L = log10 k − α·log10 X, with log10 k = α·log10 X_c
        double exponent = -line.exponent();
        double constant = Math.pow(10, Math.log10(line.coefficient()) / exponent);
        Interval interval = resamples == 0 ? null : Interval.of(exponent, resampledExponents(x, loss));
        return new KaplanLaw(variable, source, points, exponent, constant, line.exponentStdErr(), line.r2(),
                interval, null);
    }

    /** α of each resample of the points; NaN for a resample with fewer than two distinct x. */
    private double[] resampledExponents(double[] x, double[] loss) {
        double[] exponents = new double[resamples];
        double[] drawnX = new double[x.length];
        double[] drawnLoss = new double[x.length];
        for (int i = 0; i < resamples; i++) {
            SplittableRandom random = new SplittableRandom(Bootstrap.mix(seed, i));
            for (int k = 0; k < x.length; k++) {
                int draw = random.nextInt(x.length);
                drawnX[k] = x[draw];
                drawnLoss[k] = loss[draw];
            }
            exponents[i] = Parabola.distinctCount(drawnX) < MIN_DISTINCT_VALUES ? Double.NaN
                    : -PowerLaw.fit(drawnX, drawnLoss).exponent();
        }
        return exponents;
    }

    private static boolean usable(RunResult run) {
        return run.parameters() > 0 && run.tokens() > 0 && run.finalLoss() > 0 && Double.isFinite(run.finalLoss())
                && run.budgetFlops() > 0;
    }

    private static String plural(int count) {
        return count == 1 ? "" : "s";
    }
}
