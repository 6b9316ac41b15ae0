package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static final KnownLaw TRUTH = ChinchillaSurface.LAW;
    /** Enough resamples for 2.5/97.5 percentiles to rest on five resamples beyond each end. */
    private static final int RESAMPLES = 200;
    private static final long SEED = 42;

    @Test
    void aResampleDependsOnlyOnTheSeedAndItsIndex() {
        List<RunResult> runs = ChinchillaSurface.points(0);

        List<RunResult> first = Bootstrap.resample(runs, SEED, 3);

        assertEquals(runs.size(), first.size());
        assertEquals(first, Bootstrap.resample(runs, SEED, 3));
        assertNotEquals(first, Bootstrap.resample(runs, SEED, 4));
        assertNotEquals(first, Bootstrap.resample(runs, SEED + 1, 3));
        long distinct = first.stream().map(r -> r.runId().substring(0, r.runId().indexOf('#'))).distinct().count();
        assertTrue(distinct < runs.size() && distinct > runs.size() / 2, "drawn with replacement: " + distinct);
        assertEquals(runs.size(), first.stream().map(RunResult::runId).distinct().count(), "ids stay distinct");
    }

    @Test
    void approach3RecoversEveryParameterInsideItsOwnIntervalFromOnePercentNoise() {
        List<RunResult> runs = ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT);
        Approach3Fit full = new Approach3().fit(runs);
        Approach3Settings resampleSettings = Approach3Settings.defaults().forResamples(full.law().toLogParameters());
        Bootstrap bootstrap = new Bootstrap(runs, SEED, Approach2Settings.defaults(), resampleSettings);

        BootstrapResult result = new BootstrapResult(RESAMPLES, SEED, resampleSettings.starts().size(),
                bootstrap.fitAll(RESAMPLES));

        assertEquals(RESAMPLES, result.approach3Fitted());
        Map<String, Interval> intervals = result.approach3Intervals(full.law());
        ParametricLaw truth = new ParametricLaw(TRUTH.e(), TRUTH.a(), TRUTH.b(), TRUTH.alpha(), TRUTH.beta());
        BootstrapResult.APPROACH3_QUANTITIES.forEach((name, quantity) -> {
            Interval interval = intervals.get(name);
            double value = quantity.applyAsDouble(truth);
            assertTrue(interval.contains(value), name + " = " + value + " outside " + interval);
            assertTrue(interval.contains(interval.estimate()), name + ": the estimate inside its interval " + interval);
            assertTrue(interval.stdErr() > 0 && interval.upper() > interval.lower(), name + ": " + interval);
        });
        assertEquals(TRUTH.exponentA(), full.law().exponentA(), 0.02, "a");
        assertTrue(intervals.get("a").upper() - intervals.get("a").lower() < 0.1, "a is pinned down by 100 points: "
                + intervals.get("a"));
    }

    @Test
    void approach2RecoversTheExponentFromIsoFlopProfilesWithOnePercentNoise() {
        List<RunResult> runs = isoFlopSweep(new Random(5));
        Approach2Fit full = new Approach2().fit(runs);
        Bootstrap bootstrap = new Bootstrap(runs, SEED, Approach2Settings.defaults(),
                Approach3Settings.defaults().forResamples(null).withStarts(StartGrid.single(
                        new double[] {6, 6, 0.5, 0.34, 0.28})));

        BootstrapResult result = new BootstrapResult(RESAMPLES, SEED, 1, bootstrap.fitAll(RESAMPLES));

        assertTrue(full.hasPowerLaws());
        assertEquals(TRUTH.exponentA(), full.nOpt().exponent(), 0.03, "a");
        assertEquals(TRUTH.exponentB(), full.dOpt().exponent(), 0.03, "b");
        Map<String, Interval> intervals = result.approach2Intervals(full.nOpt(), full.dOpt());
        assertTrue(result.approach2Fitted() > RESAMPLES * 0.9, "most resamples keep two usable budgets: "
                + result.approach2Fitted());
        assertTrue(intervals.get("a").contains(TRUTH.exponentA()), intervals.get("a").toString());
        assertTrue(intervals.get("b").contains(TRUTH.exponentB()), intervals.get("b").toString());
        assertEquals(1.0, full.nOpt().exponent() + full.dOpt().exponent(), 1e-6, "a + b = 1 on an IsoFLOP grid");
    }

    @Test
    void approach1IsRefittedOnTheCurvesOfTheDrawnRuns() {
        List<TrainingCurve> curves = Approach1Test.curves(1e7, 1e10);
        List<RunResult> runs = curves.stream().map(c -> new RunResult(c.runId(), c.maxFlops(), c.parameters(),
                c.points().get(c.points().size() - 1).tokens(), c.maxFlops(), c.points().get(c.points().size() - 1)
                        .loss())).toList();
        Approach1Fit full = new Approach1().fit(curves);
        Bootstrap bootstrap = new Bootstrap(runs, curves, SEED, Approach1Settings.defaults(),
                Approach2Settings.defaults(), Approach3Settings.defaults().forResamples(null)
                        .withStarts(StartGrid.single(new double[] {6, 6, 0.5, 0.34, 0.28})));

        BootstrapResult result = new BootstrapResult(50, SEED, 1, bootstrap.fitAll(50));

        assertEquals(50, result.approach1Fitted());
        Interval a = result.approach1Intervals(full.nOpt(), full.dOpt()).get("a");
        assertEquals(full.nOpt().exponent(), a.estimate());
        assertTrue(a.stdErr() > 0, "resamples miss different sizes: " + a);
        assertTrue(a.contains(TRUTH.exponentA()), a.toString());
    }

    @Test
    void intervalsLeaveOutResamplesWithoutAValue() {
        Interval interval = Interval.of(2.0, new double[] {1, 2, 3, Double.NaN, 4, 5});

        assertEquals(5, interval.resamples());
        assertEquals(Math.sqrt(2.5), interval.stdErr(), 1e-12);
        assertEquals(1.1, interval.lower(), 1e-12);
        assertEquals(4.9, interval.upper(), 1e-12);
        assertEquals(0, Interval.of(1.0, new double[] {Double.NaN}).resamples());
    }

    @Test
    void anEstimateSurvivesItsFlatArray() {
        ResampleEstimate estimate = new ResampleEstimate(7, new ParametricLaw(1.7, 400, 410, 0.34, 0.28),
                new PowerLaw(0.5, 0.1, 0.01, 0.02, 0.99, 4), null, null, new PowerLaw(0.49, 2, 0.03, 0.04, 0.9, 30));

        assertEquals(estimate, ResampleEstimate.fromArray(estimate.toArray()));
    }

    /**
     * The Chinchilla surface's law as an IsoFLOP sweep over the same N and D ranges: four budgets from 1e18 to
     * 1e21 FLOPs, nine sizes each 0.15 decades apart around the true optimum, 1% multiplicative noise.
     */
    static List<RunResult> isoFlopSweep(Random random) {
        List<RunResult> runs = new ArrayList<>();
        for (double budget : new double[] {1e18, 1e19, 1e20, 1e21}) {
            for (RunResult run : TRUTH.grid(budget, 9, 0.15, 0.0, 0.0, random)) {
                double noisy = run.finalLoss() * (1 + ChinchillaSurface.ONE_PERCENT * random.nextGaussian());
                runs.add(new RunResult(run.runId(), budget, run.parameters(), run.tokens(), run.flops(), noisy));
            }
        }
        return runs;
    }
}
