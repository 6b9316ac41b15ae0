package io.isoflop.fitter.fit;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * {@code y = coefficient · C^exponent}, fitted by ordinary least squares on {@code log10 y = log10 coefficient +
 * exponent · log10 C}. Standard errors are those of that log-space regression; they are NaN with only two points
 * (no degrees of freedom left).
 *
 * @param exponent the slope in log-log space (a for N_opt, b for D_opt)
 * @param coefficient {@code 10^intercept}
 * @param exponentStdErr standard error of the exponent
 * @param log10CoefficientStdErr standard error of {@code log10 coefficient}
 * @param r2 coefficient of determination in log space
 * @param points how many (C, y) pairs were fitted
 */
public record PowerLaw(
        double exponent, double coefficient, double exponentStdErr, double log10CoefficientStdErr, double r2,
        int points) {

    /** Fits through at least two points with distinct, positive C and positive y. */
    public static PowerLaw fit(double[] c, double[] y) {
        if (c.length != y.length || c.length < 2) {
            throw new IllegalArgumentException("a power law needs at least 2 (C, y) pairs of equal length");
        }
        SimpleRegression regression = new SimpleRegression(true);
        for (int i = 0; i < c.length; i++) {
            if (!(c[i] > 0) || !(y[i] > 0)) {
                throw new IllegalArgumentException("power-law fit needs positive values, got C=" + c[i] + ", y=" + y[i]);
            }
            regression.addData(Math.log10(c[i]), Math.log10(y[i]));
        }
        if (Parabola.distinctCount(c) < 2) {
            throw new IllegalArgumentException("a power law needs at least 2 distinct C values");
        }
        return new PowerLaw(
                regression.getSlope(),
                Math.pow(10, regression.getIntercept()),
                regression.getSlopeStdErr(),
                regression.getInterceptStdErr(),
                regression.getRSquare(),
                c.length);
    }

    public double valueAt(double c) {
        return coefficient * Math.pow(c, exponent);
    }
}
