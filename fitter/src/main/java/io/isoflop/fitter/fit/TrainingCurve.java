package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A run's held-out loss over training compute: the evaluations of Approach 1's envelope. Points are kept in
 * increasing FLOPs; points without a finite positive loss, FLOPs or tokens are dropped. Between two evaluations the
 * loss and log(tokens) are interpolated linearly in log(C); outside the evaluated range the curve says nothing.
 *
 * @param runId the run's id
 * @param parameters N as the run declares it
 * @param points the evaluations, ordered by FLOPs
 */
public record TrainingCurve(String runId, long parameters, List<CurvePoint> points) {

    public TrainingCurve {
        List<CurvePoint> usable = new ArrayList<>();
        for (CurvePoint point : points) {
            if (point.flops() > 0 && point.tokens() > 0 && point.loss() > 0 && Double.isFinite(point.loss())
                    && Double.isFinite(point.flops())) {
                usable.add(point);
            }
        }
        usable.sort(Comparator.comparingDouble(CurvePoint::flops));
        points = List.copyOf(usable);
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    public double minFlops() {
        return points.isEmpty() ? Double.NaN : points.get(0).flops();
    }

    public double maxFlops() {
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).flops();
    }

    /** Whether {@code flops} lies within the evaluated range. */
    public boolean reaches(double flops) {
        return !points.isEmpty() && flops >= minFlops() && flops <= maxFlops();
    }

    /** The loss at {@code flops}, linear in log C between evaluations; NaN outside the evaluated range. */
    public double lossAt(double flops) {
        return reaches(flops) ? interpolate(flops, CurvePoint::flops, CurvePoint::loss, false) : Double.NaN;
    }

    /** The tokens seen at {@code flops}, linear in log C and log D between evaluations; NaN outside the range. */
    public double tokensAt(double flops) {
        return reaches(flops) ? interpolate(flops, CurvePoint::flops, p -> p.tokens(), true) : Double.NaN;
    }

    public double minTokens() {
        return points.isEmpty() ? Double.NaN : points.get(0).tokens();
    }

    public double maxTokens() {
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).tokens();
    }

    /** Whether {@code tokens} lies within the evaluated range of tokens seen. */
    public boolean reachesTokens(double tokens) {
        return !points.isEmpty() && tokens >= minTokens() && tokens <= maxTokens();
    }

    /**
     * The loss after {@code tokens} tokens, linear in log D between evaluations (the same line as {@link #lossAt}
     * within a run, whose C grows in proportion to D); NaN outside the evaluated range. The points are ordered by
     * FLOPs, and so by tokens, which grow with them.
     */
    public double lossAtTokens(double tokens) {
        return reachesTokens(tokens) ? interpolate(tokens, p -> p.tokens(), CurvePoint::loss, false) : Double.NaN;
    }

    /**
     * {@code value} at {@code at} of the abscissa {@code key}, both within the curve: linear in log(key) between the
     * neighbouring evaluations, and in log(value) too when {@code logValue}.
     */
    private double interpolate(double at, ToDoubleFunction<CurvePoint> key, ToDoubleFunction<CurvePoint> value,
            boolean logValue) {
        int low = 0;
        int upper = points.size() - 1; // the first point at or beyond the abscissa, found by bisection
        while (low < upper) {
            int middle = (low + upper) >>> 1;
            if (key.applyAsDouble(points.get(middle)) < at) {
                low = middle + 1;
            } else {
                upper = middle;
            }
        }
        CurvePoint right = points.get(upper);
        if (key.applyAsDouble(right) == at || upper == 0) {
            return value.applyAsDouble(right);
        }
        CurvePoint left = points.get(upper - 1);
        double t = (Math.log(at) - Math.log(key.applyAsDouble(left)))
                / (Math.log(key.applyAsDouble(right)) - Math.log(key.applyAsDouble(left)));
        double from = value.applyAsDouble(left);
        double to = value.applyAsDouble(right);
        if (logValue) {
            return Math.exp(Math.log(from) + t * (Math.log(to) - Math.log(from)));
        }
        return from + t * (to - from);
    }
}
