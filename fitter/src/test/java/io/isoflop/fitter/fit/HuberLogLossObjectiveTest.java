package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HuberLogLossObjectiveTest {
    private static final KnownLaw LAW = KnownLaw.CHINCHILLA_PUBLISHED;
    private static final double DELTA = 1e-3;
    private static final double[] N = {1e7, 3e7, 1e8, 5e8, 2e9, 1e10};
    private static final double[] D = {2e8, 1e11, 5e9, 3e8, 4e10, 1e9};
    /** Log residuals at the true law: half inside the Huber threshold, half beyond it, none near it. */
    private static final double[] LOG_RESIDUALS = {4e-4, -6e-3, -3e-4, 2e-2, 7e-4, -5e-2};

    @Test
    void valueIsTheSumOfHuberLossesOfLogResiduals() {
        HuberLogLossObjective objective = objective();

        double expected = 0;
        for (double r : LOG_RESIDUALS) {
            expected += Math.abs(r) <= DELTA ? 0.5 * r * r : DELTA * (Math.abs(r) - 0.5 * DELTA);
        }
        assertEquals(expected, objective.value(truth()), 1e-12 * expected);
    }

    @Test
    void valueMatchesTheDirectFormulaAwayFromTheTruth() {
        HuberLogLossObjective objective = objective();
        double[] x = {5.0, 7.5, 0.3, 0.4, 0.25};

        double expected = 0;
        for (int i = 0; i < N.length; i++) {
            double predicted = Math.log(Math.exp(x[2]) + Math.exp(x[0]) / Math.pow(N[i], x[3])
                    + Math.exp(x[1]) / Math.pow(D[i], x[4]));
            double r = Math.log(observedLoss(i)) - predicted;
            expected += Math.abs(r) <= DELTA ? 0.5 * r * r : DELTA * (Math.abs(r) - 0.5 * DELTA);
        }
        assertEquals(expected, objective.value(x), 1e-12 * expected);
    }

    @Test
    void gradientMatchesCentralDifferencesInBothHuberRegimes() {
        HuberLogLossObjective objective = objective();
        for (double[] x : new double[][] {truth(), {5.0, 7.5, 0.3, 0.4, 0.25}, {20, 3, -1, 1.5, 0.1}}) {
            double[] gradient = new double[HuberLogLossObjective.DIMENSION];
            objective.evaluate(x, gradient);
            for (int k = 0; k < HuberLogLossObjective.DIMENSION; k++) {
                double h = 1e-6 * Math.max(1, Math.abs(x[k]));
                double[] up = x.clone();
                double[] down = x.clone();
                up[k] += h;
                down[k] -= h;
                double numeric = (objective.value(up) - objective.value(down)) / (2 * h);
                assertEquals(numeric, gradient[k], 1e-6 * Math.abs(numeric) + 1e-10,
                        "d/dx" + k + " at " + java.util.Arrays.toString(x));
            }
        }
    }

    @Test
    void hugeTermsNeitherOverflowNorLoseTheGradient() {
        HuberLogLossObjective objective = objective();
        double[] x = {800, 0, 0, 0, 0}; // A = e^800 overflows a double; its log does not
        double[] gradient = new double[HuberLogLossObjective.DIMENSION];

        double value = objective.evaluate(x, gradient);

        double expected = 0;
        for (int i = 0; i < N.length; i++) {
            double r = Math.log(observedLoss(i)) - 800; // log L̂ = 800 + log(1 + tiny)
            expected += DELTA * (Math.abs(r) - 0.5 * DELTA);
        }
        assertEquals(expected, value, 1e-9 * expected);
        assertEquals(N.length * DELTA, gradient[HuberLogLossObjective.LOG_A], 1e-12, "every residual pulls logA down");
        assertEquals(0, gradient[HuberLogLossObjective.LOG_B], 1e-12);
    }

    @Test
    void shiftedAndUnshiftedLogSumExpAgreeOnEitherSideOfTheLimit() {
        HuberLogLossObjective objective = objective();
        double limit = HuberLogLossObjective.UNSHIFTED_LIMIT;
        for (double logA : new double[] {limit - 1e-3, limit + 1e-3}) {
            double[] x = {logA, 7.5, 0.3, 0.4, 0.25}; // the model term is the largest at every point
            double expected = 0;
            for (int i = 0; i < N.length; i++) { // e^600 is still a finite double: the direct formula holds
                double predicted = Math.log(Math.exp(x[2]) + Math.exp(x[0]) / Math.pow(N[i], x[3])
                        + Math.exp(x[1]) / Math.pow(D[i], x[4]));
                double r = Math.log(observedLoss(i)) - predicted;
                expected += DELTA * (Math.abs(r) - 0.5 * DELTA);
            }
            assertEquals(expected, objective.value(x), 1e-12 * expected, "logA = " + logA);
        }
    }

    @Test
    void evaluatingAllocatesNothing() {
        HuberLogLossObjective objective = objective();
        double[] x = {5.0, 7.5, 0.3, 0.4, 0.25};
        double[] gradient = new double[HuberLogLossObjective.DIMENSION];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm up, so that what is measured is the compiled code
            x[HuberLogLossObjective.ALPHA] = 0.3 + 1e-9 * i;
            sink += objective.evaluate(x, gradient);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            x[HuberLogLossObjective.ALPHA] = 0.3 + 1e-9 * i;
            sink += objective.evaluate(x, gradient);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(Double.isFinite(sink));
        assertTrue(allocated < 10_000, allocated + " bytes allocated over 100,000 evaluations");
    }

    @Test
    void rejectsPointsWithoutAPositiveFiniteLoss() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HuberLogLossObjective(new double[] {1e7, 1e8}, new double[] {1e9, 1e9},
                        new double[] {2.0, Double.NaN}, DELTA));
        assertTrue(e.getMessage().startsWith("point 1 "), e.getMessage());
    }

    private static HuberLogLossObjective objective() {
        double[] losses = new double[N.length];
        for (int i = 0; i < N.length; i++) {
            losses[i] = observedLoss(i);
        }
        return new HuberLogLossObjective(N, D, losses, DELTA);
    }

    private static double observedLoss(int i) {
        return LAW.loss(N[i], D[i]) * Math.exp(LOG_RESIDUALS[i]);
    }

    private static double[] truth() {
        return new double[] {Math.log(LAW.a()), Math.log(LAW.b()), Math.log(LAW.e()), LAW.alpha(), LAW.beta()};
    }
}
