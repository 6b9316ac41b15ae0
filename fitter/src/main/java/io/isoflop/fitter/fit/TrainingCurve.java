package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
        return interpolate(flops, false);
    }

    /** The tokens seen at {@code flops}, linear in log C and log D between evaluations; NaN outside the range. */
    public double tokensAt(double flops) {
        return interpolate(flops, true);
    }

    private double interpolate(double flops, boolean tokens) {
        if (!reaches(flops)) {
            return Double.NaN;
        }
        int low = 0;
        int upper = points.size() - 1; // the first point at or beyond flops, found by bisection
        while (low < upper) {
            int middle = (low + upper) >>> 1;
            if (points.get(middle).flops() < flops) {
                low = middle + 1;
            } else {
                upper = middle;
            }
        }
        CurvePoint right = points.get(upper);
        if (right.flops() == flops || upper == 0) {
            return tokens ? right.tokens() : right.loss();
        }
        CurvePoint left = points.get(upper - 1);
        double t = (Math.log(flops) - Math.log(left.flops())) / (Math.log(right.flops()) - Math.log(left.flops()));
        if (tokens) {
            return Math.exp(Math.log(left.tokens()) + t * (Math.log(right.tokens()) - Math.log(left.tokens())));
        }
        return left.loss() + t * (right.loss() - left.loss());
    }
}
