package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KaplanLawsTest {
    private static final long SEED = 11;
    private static final Approach1Fit NO_ENVELOPE = new Approach1().notFitted("no curves in this test");

    private static KaplanFit fit(List<RunResult> runs, List<TrainingCurve> curves) {
        return new KaplanLaws(1000, SEED).fit(runs, curves, new Approach1().fit(curves));
    }

    /** Sizes 1e6 to 1e9, each trained on 1e9, 1e11 and 1e13 tokens: at 1e13 the loss is (N_c/N)^α_N. */
    private static List<RunResult> sizeSweep(double noise, Random random) {
        List<RunResult> runs = new ArrayList<>();
        for (long n : KaplanSurface.sizes(1e6, 1e9, 0.5)) {
            for (long d : new long[] {1_000_000_000L, 100_000_000_000L, 10_000_000_000_000L}) {
                runs.add(KaplanSurface.run(n, d, noise, random));
            }
        }
        return runs;
    }

    @Test
    void recoversAlphaNAndNcFromTheLongestRunOfEachSize() {
        KaplanLaw law = fit(sizeSweep(0.0, new Random(1)), List.of()).parameters();

        assertTrue(law.fitted(), law.reason());
        assertEquals(7, law.points().size());
        assertTrue(law.points().stream().allMatch(p -> p.runId().endsWith("-d10000000000000")), law.points()
                .toString());
        assertEquals(KaplanSurface.ALPHA_N, law.exponent(), 5e-4);
        assertEquals(Math.log10(KaplanSurface.N_C), Math.log10(law.constant()), 0.02);
        assertEquals(1.0, law.r2(), 1e-6);
        assertEquals(KaplanLaw.Variable.PARAMETERS.publishedExponent(), 0.076);
        for (KaplanPoint point : law.points()) {
            assertEquals(point.loss(), law.loss(point.x()), 1e-3 * point.loss(), point.toString());
        }
    }

    @Test
    void withNoiseTheRegressionStdErrAndTheBootstrapIntervalCoverTheTruth() {
        KaplanLaw law = fit(sizeSweep(0.01, new Random(3)), List.of()).parameters();

        assertEquals(KaplanSurface.ALPHA_N, law.exponent(), 3 * law.exponentStdErr(), law.toString());
        Interval interval = law.exponentInterval();
        assertEquals(law.exponent(), interval.estimate());
        assertTrue(interval.contains(KaplanSurface.ALPHA_N), interval.toString());
        assertTrue(interval.upper() - interval.lower() < 0.02, interval.toString());
        assertTrue(interval.resamples() > 990, "a resample with one size has no line: " + interval);
        assertEquals(interval, fit(sizeSweep(0.01, new Random(3)), List.of()).parameters().exponentInterval(),
                "the same seed and points give the same interval");
    }

    @Test
    void fewerThanTwoSizesIsNotFittedWithAReason() {
        List<RunResult> runs = List.of(KaplanSurface.run(100_000_000, 1_000_000_000, 0, new Random(1)),
                KaplanSurface.run(100_000_000, 2_000_000_000, 0, new Random(1)),
                new RunResult("nan", 1e18, 200_000_000, 1_000_000_000, 1.2e18, Double.NaN));

        KaplanFit fit = fit(runs, List.of());

        KaplanLaw law = fit.parameters();
        assertFalse(law.fitted());
        assertEquals("1 model size with a finite final loss, at least 2 needed", law.reason());
        assertTrue(Double.isNaN(law.exponent()));
        assertNull(law.exponentInterval());
        assertEquals(1, law.points().size(), "the one size there was, its longer run");
        assertTrue(fit.diagnostics().contains("kaplan: L(N) not fitted: 1 model size with a finite final loss, at"
                + " least 2 needed"), fit.diagnostics().toString());
        assertEquals("0 model sizes with a finite final loss, at least 2 needed",
                new KaplanLaws(10, SEED).fit(List.of(), List.of(), NO_ENVELOPE).parameters().reason());
    }

    @Test
    void aCurvesLossAtTokensIsLinearInLogDAndSaysNothingOutsideIt() {
        TrainingCurve curve = new TrainingCurve("r", 10, List.of(new CurvePoint(6e3, 100, 3.0),
                new CurvePoint(6e4, 1_000, 2.6), new CurvePoint(6e5, 10_000, 2.0)));

        assertEquals(2.8, curve.lossAtTokens(Math.sqrt(100 * 1_000)), 1e-12);
        assertEquals(curve.lossAt(Math.sqrt(6e4 * 6e5)), curve.lossAtTokens(Math.sqrt(1_000 * 10_000)), 1e-12,
                "within a run C grows with D: the same line");
        assertEquals(2.0, curve.lossAtTokens(10_000));
        assertTrue(Double.isNaN(curve.lossAtTokens(99)) && Double.isNaN(curve.lossAtTokens(10_001)));
    }

    @Test
    void recoversAlphaDFromTheEnvelopeOfLargeModelsCurves() {
        List<TrainingCurve> curves = new ArrayList<>();
        for (long n : new long[] {100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L}) {
            curves.add(KaplanSurface.curve(n, 1e7, 1e10));
        }

        KaplanFit fit = fit(List.of(), curves);
        KaplanLaw law = fit.data();

        assertTrue(law.fitted(), law.reason());
        assertEquals(KaplanLaws.DATA_CURVES_SOURCE, law.source());
        assertEquals(3 * 20 + 1, law.points().size(), "20 token counts per decade over 3 decades");
        assertTrue(law.points().stream().allMatch(p -> p.parameters() == 10_000_000_000_000L), "the largest model");
        assertEquals(KaplanSurface.ALPHA_D, law.exponent(), 5e-4);
        assertEquals(Math.log10(KaplanSurface.D_C), Math.log10(law.constant()), 0.05);
        assertTrue(fit.diagnostics().stream().anyMatch(d -> d.contains("understate")), fit.diagnostics().toString());
    }

    @Test
    void withoutCurvesAlphaDComesFromTheLowestFinalLossAtEachD() {
        Random random = new Random(5);
        List<RunResult> runs = new ArrayList<>();
        for (long d : KaplanSurface.sizes(1e7, 1e10, 0.25)) {
            runs.add(KaplanSurface.run(10_000_000_000_000L, d, 0, random));
            runs.add(KaplanSurface.run(100_000_000_000L, d, 0, random)); // higher loss at the same D
        }

        KaplanLaw law = fit(runs, List.of()).data();

        assertEquals(KaplanLaws.DATA_TABLE_SOURCE, law.source());
        assertEquals(13, law.points().size());
        assertTrue(law.points().stream().allMatch(p -> p.parameters() == 10_000_000_000_000L), law.points()
                .toString());
        assertEquals(KaplanSurface.ALPHA_D, law.exponent(), 5e-4);
    }

    @Test
    void alphaCFromApproach1sEnvelopeIsTheJointLawsComputeOptimalExponent() {
        List<TrainingCurve> curves = new ArrayList<>();
        for (long n : KaplanSurface.sizes(1e6, 1e10, 0.1)) {
            curves.add(KaplanSurface.curve(n, 1e7, 1e12));
        }
        Approach1Fit envelope = new Approach1().fit(curves);

        KaplanLaw law = new KaplanLaws(200, SEED).fit(List.of(), curves, envelope).compute();

        assertTrue(law.fitted(), law.reason());
        assertEquals(KaplanLaws.COMPUTE_CURVES_SOURCE, law.source());
        assertEquals(envelope.usedPoints().size(), law.points().size());
        assertEquals(KaplanSurface.ALPHA_C, law.exponent(), 1e-3, "α_N·α_D/(α_N + α_D), not Kaplan's 0.050");
        for (KaplanPoint point : law.points()) {
            assertEquals(point.loss(), law.loss(point.x()), 0.01 * point.loss(), point.toString());
        }
    }

    @Test
    void withoutCurvesAlphaCComesFromTheBestRunOfEachBudget() {
        List<RunResult> runs = new ArrayList<>();
        for (double budget : new double[] {1e16, 1e17, 1e18, 1e19, 1e20}) {
            for (long n : KaplanSurface.sizes(1e5, 1e11, 0.1)) {
                long d = Math.round(budget / (6.0 * n));
                runs.add(new RunResult("c" + budget + "-n" + n, budget, n, d, 6.0 * n * d,
                        KaplanSurface.loss(n, d)));
            }
        }

        KaplanFit fit = fit(runs, List.of());
        KaplanLaw law = fit.compute();

        assertEquals(KaplanLaws.COMPUTE_TABLE_SOURCE, law.source());
        assertEquals(List.of(1e16, 1e17, 1e18, 1e19, 1e20), law.points().stream().map(KaplanPoint::x).toList());
        assertEquals(KaplanSurface.ALPHA_C, law.exponent(), 1e-3);
        assertFalse(fit.diagnostics().stream().anyMatch(d -> d.contains("understate")), "no envelope of curves");
    }

    @Test
    void noResamplesGiveNoIntervalsAndARisingLossIsNoted() {
        List<RunResult> runs = List.of(new RunResult("a", 1e18, 1_000_000, 1_000_000, 6e12, 3.0),
                new RunResult("b", 1e18, 2_000_000, 1_000_000, 1.2e13, 3.1),
                new RunResult("c", 1e18, 4_000_000, 1_000_000, 2.4e13, 3.2));

        KaplanFit fit = new KaplanLaws(0, SEED).fit(runs, List.of(), NO_ENVELOPE);

        assertTrue(fit.parameters().fitted());
        assertNull(fit.parameters().exponentInterval());
        assertTrue(fit.parameters().exponent() < 0);
        assertTrue(fit.diagnostics().stream().anyMatch(d -> d.startsWith("kaplan: L(N) does not fall with N")),
                fit.diagnostics().toString());
        assertFalse(fit.compute().fitted(), "one budget");
        assertEquals("1 budget with a finite final loss, at least 2 needed", fit.compute().reason());
    }
}
