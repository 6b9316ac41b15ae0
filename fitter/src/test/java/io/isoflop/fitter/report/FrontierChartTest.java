package io.isoflop.fitter.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Log-log charts draw only what log axes can show; the rest of a degenerate fit is left out, not fatal. */
class FrontierChartTest {

    @Test
    void pointsALogAxisCannotShowAreLeftOut() {
        double[] c = {1e10, 1e11, 1e12, 1e13, 1e14};
        double[] y = {3e4, 0, -2, Double.POSITIVE_INFINITY, Double.NaN};

        double[][] drawable = FrontierChart.onLogAxes(c, y);

        assertArrayEquals(new double[] {1e10}, drawable[0]);
        assertArrayEquals(new double[] {3e4}, drawable[1]);
    }

    @Test
    void aLawThatUnderflowsOverTheRangeKeepsItsDrawablePart() {
        double[] c = FrontierChart.logSpaced(1e9, 1e24, 4);
        double[] y = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            y[i] = 1e6 * Math.pow(c[i] / 1e9, -30); // an exponent a bootstrap resample of 6 runs can produce
        }

        double[][] drawable = FrontierChart.onLogAxes(c, y);

        assertArrayEquals(new double[] {1e9, 1e14, 1e19}, drawable[0], 1e5, "1e24 underflows to 0");
    }
}
