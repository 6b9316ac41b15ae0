package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Finds the runs at the edges of one budget whose loss sits far above the parabola through the others.
 *
 * <p>The failure it targets: at small scale the largest models of a budget can stall on a plateau (e.g. ~2.68
 * nats/byte, the bigram entropy, while their neighbours reach 2.3), which ruins the parabola. The test is
 * leave-out on the edges of the budget, repeated until nothing more is found:
 * <ol>
 *   <li>for each edge (smallest N, largest N) and each block of the 1, 2, … outermost runs on that edge, fit
 *       a parabola of loss against log10(N) through the remaining runs;</li>
 *   <li>the block is an outlier if that parabola opens upwards and every run in the block lies above it by more
 *       than {@code max(stallThresholdNats, stallSpreadMultiple × spread × sqrt(1 + leverage))}: spread is the
 *       residual RMS of the remaining runs about their own parabola (n-3 degrees of freedom; 0 with three runs),
 *       and {@code spread × sqrt(1 + leverage)} is the standard error of predicting the tested run from them
 *       (an edge run is an extrapolation, about 2.4 spreads for 5 evenly spaced runs, so a bare multiple of the
 *       spread would flag about one noisy edge in ten);</li>
 *   <li>of the outlier blocks, the one that clears its threshold by the largest factor is excluded.</li>
 * </ol>
 * Blocks of more than one run catch two neighbouring stalled runs, which mask each other in a one-at-a-time
 * test. A block never takes more than half of the remaining runs, and never leaves fewer than
 * {@code minPointsPerBudget}. Interior runs are not tested: the parabola is pinned on both of their sides.
 */
final class StalledRunDetector {
    private final Approach2Settings settings;

    StalledRunDetector(Approach2Settings settings) {
        this.settings = settings;
    }

    /** Runs to exclude, with the reason for each; {@code sortedByN} must be ordered by N. */
    Map<RunResult, String> detect(List<RunResult> sortedByN) {
        List<RunResult> remaining = new ArrayList<>(sortedByN);
        Map<RunResult, String> excluded = new LinkedHashMap<>();
        while (true) {
            Candidate best = null;
            for (Edge edge : Edge.values()) {
                for (int size = 1; size <= maxBlockSize(remaining.size()); size++) {
                    Candidate candidate = test(remaining, edge, size);
                    if (candidate != null && (best == null || candidate.clearance > best.clearance)) {
                        best = candidate;
                    }
                }
            }
            if (best == null) {
                return excluded;
            }
            excluded.putAll(best.reasons);
            remaining.removeAll(best.reasons.keySet());
        }
    }

    /**
     * A single run may be tested against as few as {@code minPointsPerBudget} others; a block of several only
     * against others that leave a residual degree of freedom to measure their own scatter (three runs fit a
     * parabola exactly, and a block extrapolated from them is flagged on noise alone).
     */
    private int maxBlockSize(int remaining) {
        int atMost = Math.min(remaining / 2, remaining - settings.minPointsPerBudget());
        return atMost <= 1 ? atMost : Math.min(atMost, remaining - settings.minPointsPerBudget() - 1);
    }

    /** The block of {@code size} runs at {@code edge}, if every one of them is far above the others' parabola. */
    private Candidate test(List<RunResult> remaining, Edge edge, int size) {
        int n = remaining.size();
        List<RunResult> block = edge == Edge.LARGEST_N ? remaining.subList(n - size, n) : remaining.subList(0, size);
        List<RunResult> others = edge == Edge.LARGEST_N ? remaining.subList(0, n - size) : remaining.subList(size, n);
        if (others.stream().mapToLong(RunResult::parameters).distinct().count() < 3) {
            return null;
        }
        Parabola reference = Parabola.fit(others, RunResult::log10Parameters, RunResult::finalLoss);
        if (!reference.hasMinimum()) {
            return null; // "above" a parabola that opens downwards says nothing about stalling
        }
        double spread = spread(reference, others);
        Leverage leverage = Leverage.of(others);
        double clearance = Double.POSITIVE_INFINITY;
        double[] above = new double[block.size()];
        double[] threshold = new double[block.size()];
        for (int i = 0; i < block.size(); i++) {
            double x = block.get(i).log10Parameters();
            double predictionError = spread * Math.sqrt(1 + leverage.at(x));
            threshold[i] = Math.max(settings.stallThresholdNats(), settings.stallSpreadMultiple() * predictionError);
            above[i] = block.get(i).finalLoss() - reference.valueAt(x);
            clearance = Math.min(clearance, above[i] / threshold[i]);
        }
        if (!(clearance > 1)) {
            return null;
        }
        Map<RunResult, String> reasons = new LinkedHashMap<>(); // worded only for a block that is excluded
        for (int i = 0; i < block.size(); i++) {
            reasons.put(block.get(i), reason(edge, block.get(i), above[i], threshold[i], others.size(), size));
        }
        return new Candidate(reasons, clearance);
    }

    /** Residual RMS about the fitted parabola with n-3 degrees of freedom; 0 when the fit is exact (n = 3). */
    private static double spread(Parabola parabola, List<RunResult> runs) {
        int dof = runs.size() - 3;
        if (dof <= 0) {
            return 0;
        }
        double sumSquares = 0;
        for (RunResult run : runs) {
            double residual = run.finalLoss() - parabola.valueAt(run.log10Parameters());
            sumSquares += residual * residual;
        }
        return Math.sqrt(sumSquares / dof);
    }

    /**
     * {@code x0ᵀ(XᵀX)⁻¹x0} for the design {@code [1, u, u²]} of a parabola's runs, u = log10(N) minus their mean
     * (the leverage does not depend on the shift; centring keeps XᵀX well conditioned): the variance of the fitted
     * value at x0 in units of the residual variance.
     */
    private record Leverage(double centre, RealMatrix inverseGram) {
        static Leverage of(List<RunResult> runs) {
            double centre = runs.stream().mapToDouble(RunResult::log10Parameters).average().orElseThrow();
            RealMatrix design = new Array2DRowRealMatrix(runs.size(), 3);
            for (int i = 0; i < runs.size(); i++) {
                design.setRow(i, basis(runs.get(i).log10Parameters() - centre));
            }
            return new Leverage(centre, new LUDecomposition(design.transpose().multiply(design)).getSolver().getInverse());
        }

        double at(double x) {
            ArrayRealVector row = new ArrayRealVector(basis(x - centre));
            return row.dotProduct(inverseGram.operate(row));
        }

        private static double[] basis(double u) {
            return new double[] {1, u, u * u};
        }
    }

    private static String reason(Edge edge, RunResult run, double above, double threshold, int others, int blockSize) {
        String text = String.format(Locale.ROOT, "%s: loss %.3f is %.3f above the parabola through the other %d points"
                        + " (threshold %.3f)", edge.label, run.finalLoss(), above, others, threshold);
        if (blockSize > 1) {
            text += String.format(Locale.ROOT, "; tested as a block of the %d %s runs", blockSize, edge.extreme);
        }
        return text;
    }

    private enum Edge {
        SMALLEST_N("outlier", "smallest"),
        LARGEST_N("stalled", "largest");

        final String label;
        final String extreme;

        Edge(String label, String extreme) {
            this.label = label;
            this.extreme = extreme;
        }
    }

    private record Candidate(Map<RunResult, String> reasons, double clearance) {}
}
