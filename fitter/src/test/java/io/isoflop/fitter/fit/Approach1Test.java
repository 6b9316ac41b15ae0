package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Approach1Test {
    private static final KnownLaw LAW = KnownLaw.CHINCHILLA_PUBLISHED;
    private static final double STEP_DECADES = 0.2;

    /**
     * Runs of N log-spaced STEP_DECADES apart, each evaluated every 0.05 decades of tokens from 1e8 to 1e11 with
     * the known law's loss at (N, tokens so far): the ideal of a run trained to each length.
     */
    static List<TrainingCurve> curves(double minN, double maxN) {
        List<TrainingCurve> curves = new ArrayList<>();
        for (double logN = Math.log10(minN); logN <= Math.log10(maxN) + 1e-9; logN += STEP_DECADES) {
            long n = Math.round(Math.pow(10, logN));
            List<CurvePoint> points = new ArrayList<>();
            for (double logD = 8; logD <= 11 + 1e-9; logD += 0.05) {
                long d = Math.round(Math.pow(10, logD));
                points.add(new CurvePoint(6.0 * n * d, d, LAW.loss(n, d)));
            }
            curves.add(new TrainingCurve("n" + n, n, points));
        }
        return curves;
    }

    @Test
    void envelopeFollowsTheKnownOptimumAndRecoversTheExponents() {
        Approach1Fit fit = new Approach1().fit(curves(1e7, 1e10));

        assertTrue(fit.hasPowerLaws(), String.valueOf(fit.reason()));
        assertTrue(fit.usedPoints().size() > 20, "used points: " + fit.usedPoints().size());
        for (EnvelopePoint point : fit.usedPoints()) {
            double truth = Math.log10(LAW.optimalParameters(point.flops()));
            // the winner is the sampled size nearest the optimum (the loss is flat there): within one grid step
            assertEquals(truth, Math.log10(point.parameters()), STEP_DECADES, point.toString());
            assertEquals(point.flops() / (6.0 * point.parameters()), point.tokens(), 1e-6 * point.tokens(),
                    "D_opt = C/(6N) for 6N-counted runs");
            assertEquals(LAW.optimalLoss(point.flops()), point.loss(), 0.01, point.toString());
        }
        assertEquals(LAW.exponentA(), fit.nOpt().exponent(), 0.03, "a");
        assertEquals(LAW.exponentB(), fit.dOpt().exponent(), 0.03, "b");
        assertEquals(1.0, fit.nOpt().exponent() + fit.dOpt().exponent(), 1e-9, "a + b = 1 when C = 6ND exactly");
    }

    @Test
    void computeValuesWonByTheLargestOrSmallestSizeAreLeftOutWithAReason() {
        // the sizes stop near 1e9: at large C the optimum is beyond them and the largest model wins the envelope
        Approach1Fit fit = new Approach1().fit(curves(1e7, 1e9));

        List<EnvelopePoint> largest = fit.envelope().stream()
                .filter(p -> p.reason() != null && p.reason().contains("largest model")).toList();
        assertFalse(largest.isEmpty());
        for (EnvelopePoint point : largest) {
            assertFalse(point.used());
            assertTrue(LAW.optimalParameters(point.flops()) > 1e9 / Math.pow(10, STEP_DECADES), point.toString());
        }
        List<EnvelopePoint> smallest = fit.envelope().stream()
                .filter(p -> p.reason() != null && p.reason().contains("smallest model")).toList();
        assertFalse(smallest.isEmpty(), "at the smallest C only the smallest models reach it");
        assertTrue(fit.diagnostics().stream().anyMatch(d -> d.contains("compute values not used")), fit.diagnostics()
                .toString());
        for (EnvelopePoint point : fit.usedPoints()) {
            double truth = Math.log10(LAW.optimalParameters(point.flops()));
            assertEquals(truth, Math.log10(point.parameters()), STEP_DECADES, point.toString());
        }
    }

    @Test
    void interpolatesLossLinearlyInLogComputeAndSaysNothingOutsideTheCurve() {
        TrainingCurve curve = new TrainingCurve("r", 10, List.of(
                new CurvePoint(1e12, 100, 3.0), new CurvePoint(1e14, 10_000, 2.0), new CurvePoint(1e13, 1_000, 2.6),
                new CurvePoint(1e15, 100_000, Double.NaN)));

        assertEquals(3, curve.points().size(), "the NaN evaluation is dropped");
        assertEquals(1e14, curve.maxFlops());
        assertEquals(2.8, curve.lossAt(Math.sqrt(1e12 * 1e13)), 1e-12);
        assertEquals(Math.sqrt(100 * 1_000), curve.tokensAt(Math.sqrt(1e12 * 1e13)), 1e-9);
        assertEquals(2.0, curve.lossAt(1e14));
        assertTrue(Double.isNaN(curve.lossAt(2e14)));
        assertTrue(Double.isNaN(curve.lossAt(5e11)));
    }

    @Test
    void withoutCurvesOrWithOneSizeNothingIsFitted() {
        Approach1Fit none = new Approach1().fit(List.of(new TrainingCurve("r", 10, List.of())));
        assertFalse(none.hasPowerLaws());
        assertEquals("no run has a held-out evaluation during training", none.reason());

        Approach1Fit one = new Approach1().fit(curves(1e8, 1e8));
        assertNull(one.nOpt());
        assertTrue(one.envelope().stream().noneMatch(EnvelopePoint::used));
        assertTrue(one.envelope().get(0).reason().startsWith("only 1 model size reaches"), one.envelope().get(0)
                .reason());
    }
}
