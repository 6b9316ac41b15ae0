package io.isoflop.fitter.fit;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * A bootstrap summary of one quantity: the full fit's value, the standard deviation of the resamples' values (the
 * bootstrap standard error) and their 2.5th and 97.5th percentiles (a 95% percentile interval; linear
 * interpolation between order statistics, numpy's default).
 *
 * @param estimate the value from the fit to all runs; NaN when that fit has none
 * @param stdErr the bootstrap standard error; NaN with fewer than two resample values
 * @param lower the 2.5th percentile of the resample values; NaN without any
 * @param upper the 97.5th percentile
 * @param resamples resamples that gave a finite value (the others had no fit, or no such quantity)
 */
public record Interval(double estimate, double stdErr, double lower, double upper, int resamples) {
    public static final double LOWER_PERCENTILE = 2.5;
    public static final double UPPER_PERCENTILE = 97.5;

    /** Summarises the finite {@code values}; non-finite ones (resamples without a fit) are left out. */
    public static Interval of(double estimate, double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return new Interval(estimate, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
        percentile.setData(finite);
        double stdErr = finite.length < 2 ? Double.NaN : new StandardDeviation(true).evaluate(finite);
        return new Interval(estimate, stdErr, percentile.evaluate(LOWER_PERCENTILE),
                percentile.evaluate(UPPER_PERCENTILE), finite.length);
    }

    /** Whether {@code value} lies within [lower, upper]. */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }
}
