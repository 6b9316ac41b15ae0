package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Approach 1 of Hoffmann et al. (2022): the envelope of the held-out loss curves over training compute.
 *
 * <p>At log-spaced compute values C ({@link Approach1Settings#pointsPerDecade()} per decade, over the range the
 * curves span), every run whose evaluations reach C gives its loss there, interpolated linearly in log C; the run
 * with the lowest loss is the envelope point: N_opt(C) is its N and D_opt(C) its tokens at C. Then
 * {@code N_opt = k_N·C^a} and {@code D_opt = k_D·C^b} by least squares in log10 space over the used points.
 *
 * <p>A point is not used when the lowest curve belongs to the smallest or the largest model size among those that
 * reach C (the optimum may lie outside the sampled sizes), or when fewer than {@link Approach1Settings#minSizes()}
 * sizes reach C. Caveat (Hoffmann et al.): an intermediate loss is not that of a run trained to that length, whose
 * learning-rate schedule would have decayed; the envelope is biased towards the runs that end near C.
 */
public final class Approach1 {
    private final Approach1Settings settings;

    public Approach1(Approach1Settings settings) {
        this.settings = settings;
    }

    public Approach1() {
        this(Approach1Settings.defaults());
    }

    public Approach1Settings settings() {
        return settings;
    }

    public Approach1Fit fit(List<TrainingCurve> allCurves) {
        List<TrainingCurve> curves = allCurves.stream().filter(c -> !c.isEmpty()).toList();
        if (curves.isEmpty()) {
            return notFitted("no run has a held-out evaluation during training");
        }
        double minC = curves.stream().mapToDouble(TrainingCurve::minFlops).min().orElseThrow();
        double maxC = curves.stream().mapToDouble(TrainingCurve::maxFlops).max().orElseThrow();
        List<EnvelopePoint> envelope = new ArrayList<>();
        for (double c : computeGrid(minC, maxC)) {
            EnvelopePoint point = envelopeAt(c, curves);
            if (point != null) {
                envelope.add(point);
            }
        }
        List<String> diagnostics = new ArrayList<>();
        long edge = envelope.stream().filter(p -> !p.used()).count();
        if (edge > 0) {
            diagnostics.add(String.format(Locale.ROOT, "approach 1: %d of %d compute values not used: the lowest"
                    + " curve there belongs to the smallest or largest model that reaches them, or fewer than %d"
                    + " sizes reach them", edge, envelope.size(), settings.minSizes()));
        }
        List<EnvelopePoint> used = envelope.stream().filter(EnvelopePoint::used).toList();
        long winners = used.stream().mapToLong(EnvelopePoint::parameters).distinct().count();
        if (winners < 2) {
            String reason = used.isEmpty()
                    ? "no compute value has its lowest curve at an interior model size"
                    : "every usable compute value has the same lowest model size (N = " + used.get(0).parameters()
                            + "): no trend to fit";
            diagnostics.add("approach 1 not fitted: " + reason);
            return new Approach1Fit(envelope, null, null, curves.size(), settings.pointsPerDecade(), reason,
                    diagnostics);
        }
        double[] c = used.stream().mapToDouble(EnvelopePoint::flops).toArray();
        PowerLaw nOpt = PowerLaw.fit(c, used.stream().mapToDouble(EnvelopePoint::parameters).toArray());
        PowerLaw dOpt = PowerLaw.fit(c, used.stream().mapToDouble(EnvelopePoint::tokens).toArray());
        diagnostics.add(String.format(Locale.ROOT, "approach 1: power laws over %d compute values won by %d model"
                + " sizes; neighbouring values share curves, so the regression's standard errors understate the"
                + " uncertainty", used.size(), winners));
        return new Approach1Fit(envelope, nOpt, dOpt, curves.size(), settings.pointsPerDecade(), null, diagnostics);
    }

    /** The result when there are no curves to fit, e.g. for a table of final losses; {@code reason} says why. */
    public Approach1Fit notFitted(String reason) {
        return Approach1Fit.notFitted(0, settings.pointsPerDecade(), reason);
    }

    /** Log-spaced values from minC to maxC inclusive, {@code pointsPerDecade} per decade. */
    List<Double> computeGrid(double minC, double maxC) {
        double from = Math.log10(minC);
        double to = Math.log10(maxC);
        int steps = Math.max(1, (int) Math.ceil((to - from) * settings.pointsPerDecade()));
        List<Double> grid = new ArrayList<>(steps + 1);
        for (int i = 0; i <= steps; i++) {
            grid.add(i == steps ? maxC : Math.pow(10, from + (to - from) * i / steps));
        }
        return grid;
    }

    private EnvelopePoint envelopeAt(double c, List<TrainingCurve> curves) {
        TrainingCurve best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        long smallest = Long.MAX_VALUE;
        long largest = Long.MIN_VALUE;
        int reaching = 0;
        List<Long> sizes = new ArrayList<>();
        for (TrainingCurve curve : curves) {
            if (!curve.reaches(c)) {
                continue;
            }
            reaching++;
            smallest = Math.min(smallest, curve.parameters());
            largest = Math.max(largest, curve.parameters());
            if (!sizes.contains(curve.parameters())) {
                sizes.add(curve.parameters());
            }
            double loss = curve.lossAt(c);
            if (loss < bestLoss || (loss == bestLoss && curve.runId().compareTo(best.runId()) < 0)) {
                best = curve;
                bestLoss = loss;
            }
        }
        if (best == null) {
            return null; // a gap between curves
        }
        String reason = null;
        if (sizes.size() < settings.minSizes()) {
            reason = String.format(Locale.ROOT, "only %d model size%s reach%s C = %.3g, at least %d needed",
                    sizes.size(), sizes.size() == 1 ? "" : "s", sizes.size() == 1 ? "es" : "", c,
                    settings.minSizes());
        } else if (best.parameters() == smallest) {
            reason = String.format(Locale.ROOT, "lowest curve at C = %.3g is the smallest model reaching it (N = %d):"
                    + " the optimum may be smaller", c, smallest);
        } else if (best.parameters() == largest) {
            reason = String.format(Locale.ROOT, "lowest curve at C = %.3g is the largest model reaching it (N = %d):"
                    + " the optimum may be larger", c, largest);
        }
        return new EnvelopePoint(c, best.runId(), best.parameters(), best.tokensAt(c), bestLoss, reaching,
                reason == null, reason);
    }
}
