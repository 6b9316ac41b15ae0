package io.isoflop.fitter.fit;

import java.io.Serializable;

/**
 * The named opinions of the hardened Approach 2 fit. Serializable, so that a Spark bootstrap task can carry them to
 * its executors.
 *
 * @param minPointsPerBudget runs a budget must keep after exclusions for its parabola to count (at least 3)
 * @param stallThresholdNats a point is stalled only if its loss is more than this many nats above the parabola
 *     through the other points
 * @param stallSpreadMultiple ... and more than this many standard errors of predicting it from those other points
 *     (their residual spread about their own parabola, n-3 degrees of freedom, times sqrt(1 + leverage)); see
 *     {@link StalledRunDetector}
 */
public record Approach2Settings(int minPointsPerBudget, double stallThresholdNats, double stallSpreadMultiple)
        implements Serializable {

    /** A parabola has three coefficients: with fewer points its vertex is undetermined. */
    public static final int MIN_POINTS_PER_BUDGET = 3;
    /**
     * A stalled run sits 0.3–0.4 nats above its neighbours; seed noise was ≤ 0.02 nats at 1e12+ FLOPs. On simulated
     * 6-run budgets with 0.02 nats of noise, 0.1 (rather than 0.05) cut false exclusions from 14% to 4% of budgets
     * and missed no more stalls of 0.35 nats.
     */
    public static final double STALL_THRESHOLD_NATS = 0.1;
    /** In standard errors of predicting the tested run from the others: a one-sided t-test at about 3σ. */
    public static final double STALL_SPREAD_MULTIPLE = 3.0;

    public Approach2Settings {
        if (minPointsPerBudget < MIN_POINTS_PER_BUDGET) {
            throw new IllegalArgumentException(
                    "minPointsPerBudget must be at least " + MIN_POINTS_PER_BUDGET + ", got " + minPointsPerBudget);
        }
        if (!(stallThresholdNats > 0) || !(stallSpreadMultiple > 0)) {
            throw new IllegalArgumentException("stall thresholds must be positive");
        }
    }

    public static Approach2Settings defaults() {
        return new Approach2Settings(MIN_POINTS_PER_BUDGET, STALL_THRESHOLD_NATS, STALL_SPREAD_MULTIPLE);
    }
}
