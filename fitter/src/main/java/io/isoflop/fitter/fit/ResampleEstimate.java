package io.isoflop.fitter.fit;

import java.util.Arrays;

/**
 * What one bootstrap resample's refits gave.
 *
 * @param index the resample's number (its runs follow from the bootstrap seed and this number)
 * @param approach3 the Approach 3 law; null when the resample could not be fitted
 * @param nOpt the Approach 2 N_opt power law; null when the resample had fewer than two usable budgets
 * @param dOpt the Approach 2 D_opt power law; null likewise
 * @param envelopeNOpt the Approach 1 N_opt power law of the resample's training curves; null when not fitted
 * @param envelopeDOpt the Approach 1 D_opt power law; null likewise
 */
public record ResampleEstimate(int index, ParametricLaw approach3, PowerLaw nOpt, PowerLaw dOpt,
        PowerLaw envelopeNOpt, PowerLaw envelopeDOpt) {
    private static final int LENGTH = 1 + 5 + 6 + 6 + 6 + 6;

    /** A flat array of doubles (NaN for absent parts), to ship between processes without a serialisable type. */
    public double[] toArray() {
        double[] x = new double[LENGTH];
        Arrays.fill(x, Double.NaN);
        x[0] = index;
        if (approach3 != null) {
            x[1] = approach3.e();
            x[2] = approach3.a();
            x[3] = approach3.b();
            x[4] = approach3.alpha();
            x[5] = approach3.beta();
        }
        put(nOpt, x, 6);
        put(dOpt, x, 12);
        put(envelopeNOpt, x, 18);
        put(envelopeDOpt, x, 24);
        return x;
    }

    /** The inverse of {@link #toArray()}. */
    public static ResampleEstimate fromArray(double[] x) {
        if (x.length != LENGTH) {
            throw new IllegalArgumentException("a resample estimate has " + LENGTH + " values, got " + x.length);
        }
        ParametricLaw law = Double.isNaN(x[1]) ? null : new ParametricLaw(x[1], x[2], x[3], x[4], x[5]);
        return new ResampleEstimate((int) x[0], law, get(x, 6), get(x, 12), get(x, 18), get(x, 24));
    }

    private static void put(PowerLaw law, double[] x, int at) {
        if (law != null) {
            x[at] = law.exponent();
            x[at + 1] = law.coefficient();
            x[at + 2] = law.exponentStdErr();
            x[at + 3] = law.log10CoefficientStdErr();
            x[at + 4] = law.r2();
            x[at + 5] = law.points();
        }
    }

    private static PowerLaw get(double[] x, int at) {
        return Double.isNaN(x[at]) ? null : new PowerLaw(x[at], x[at + 1], x[at + 2], x[at + 3], x[at + 4],
                (int) x[at + 5]);
    }
}
