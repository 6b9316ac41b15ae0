package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Approach3Test {
    private static final KnownLaw TRUTH = ChinchillaSurface.LAW;

    private final Approach3 approach3 = new Approach3();

    @Test
    void recoversEveryParameterFromNoiseFreePoints() {
        Approach3Fit fit = approach3.fit(ChinchillaSurface.points(0));

        assertTrue(fit.fitted(), String.valueOf(fit.reason()));
        ParametricLaw law = fit.law();
        assertRelative(TRUTH.e(), law.e(), 1e-3, "E");
        assertRelative(TRUTH.a(), law.a(), 1e-3, "A");
        assertRelative(TRUTH.b(), law.b(), 1e-3, "B");
        assertRelative(TRUTH.alpha(), law.alpha(), 1e-3, "alpha");
        assertRelative(TRUTH.beta(), law.beta(), 1e-3, "beta");
        assertRelative(TRUTH.exponentA(), law.exponentA(), 1e-3, "a");
        assertRelative(TRUTH.exponentB(), law.exponentB(), 1e-3, "b");
        assertRelative(TRUTH.g(), law.g(), 1e-3, "G");
        assertEquals(100, fit.runsUsed());
        assertEquals(4500, fit.starts());
        assertTrue(fit.objective() < 1e-12, "exact data fit exactly: " + fit.objective());
    }

    @Test
    void recoversChinchillaFromPointsWithOnePercentNoise() {
        Approach3Fit fit = approach3.fit(ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT));

        assertTrue(fit.fitted(), String.valueOf(fit.reason()));
        ParametricLaw law = fit.law();
        assertEquals(TRUTH.exponentA(), law.exponentA(), 0.02, "a");
        assertEquals(TRUTH.alpha(), law.alpha(), 0.05, "alpha");
        assertEquals(TRUTH.beta(), law.beta(), 0.05, "beta");
        assertRelative(TRUTH.e(), law.e(), 0.05, "E");
        assertEquals(Math.log(TRUTH.a()), Math.log(law.a()), Math.log(1.5), "A within a factor 1.5: " + law.a());
        assertEquals(Math.log(TRUTH.b()), Math.log(law.b()), Math.log(1.5), "B within a factor 1.5: " + law.b());
        double c = 5.76e23; // Chinchilla's budget
        assertEquals(Math.log10(TRUTH.optimalParameters(c)), Math.log10(law.optimalParameters(c)), 0.15,
                "N_opt at Chinchilla's budget within 0.15 decades");
    }

    @Test
    void countsTheStartsThatReachTheBestAndTheBestBeatsEveryStart() {
        List<RunResult> runs = ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT);
        Approach3Fit fit = approach3.fit(runs);

        assertTrue(fit.startsNearBest() >= 1 && fit.startsNearBest() <= fit.starts(), fit.toString());
        assertTrue(fit.startsNearBest() > fit.starts() / 10, "most of the grid finds this optimum: " + fit);
        assertEquals(0, fit.startsFailed());
        // Started at the optimum itself, BFGS cannot find anything lower.
        double[] optimum = {Math.log(fit.law().a()), Math.log(fit.law().b()), Math.log(fit.law().e()),
            fit.law().alpha(), fit.law().beta()};
        Approach3Fit polished = new Approach3(Approach3Settings.defaults().withStarts(StartGrid.single(optimum)))
                .fit(runs);
        assertEquals(fit.objective(), polished.objective(), 1e-9 * fit.objective());
    }

    @Test
    void parallelAndSequentialStartsGiveTheSameFit() {
        List<RunResult> runs = ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT);
        StartGrid small = new StartGrid(new double[] {0, 10}, new double[] {5, 15}, new double[] {0, 1},
                new double[] {0.5, 1}, new double[] {0, 1.5});
        Approach3Settings settings = Approach3Settings.defaults().withStarts(small);

        Approach3Fit parallel = new Approach3(settings.withParallel(true)).fit(runs);
        Approach3Fit sequential = new Approach3(settings.withParallel(false)).fit(runs);

        assertEquals(32, parallel.starts());
        assertEquals(sequential, parallel);
    }

    @Test
    void aFitOfManyRunsSearchedOnASpreadSampleReachesTheOptimumOfTheFullSearch() {
        // 1,600 runs (40 x 40), 1% noise: the full search runs every start on all of them, the sampled one on 200
        List<RunResult> runs = ChinchillaSurface.LAW.surface(40, 1e7, 1e10, 40, 1e8, 1e11, 0.01, new java.util.Random(3));
        Approach3Settings settings = Approach3Settings.defaults().withStarts(StartGrid.coarse());

        Approach3Fit full = new Approach3(settings.withSearchPoints(runs.size())).fit(runs);
        Approach3Fit sampled = new Approach3(settings.withSearchPoints(200)).fit(runs);

        assertEquals(full.objective(), sampled.objective(), 1e-9 * full.objective());
        assertEquals(full.law().alpha(), sampled.law().alpha(), 1e-5);
        assertEquals(full.law().beta(), sampled.law().beta(), 1e-5);
        assertEquals(full.law().e(), sampled.law().e(), 1e-5);
        assertTrue(sampled.diagnostics().stream().anyMatch(d -> d.contains("searched on 200 of the 1600 runs")),
                sampled.diagnostics().toString());
        assertTrue(full.diagnostics().stream().noneMatch(d -> d.contains("searched on")));
    }

    @Test
    void aSpreadSampleSpansEveryModelSize() {
        List<RunResult> runs = ChinchillaSurface.LAW.surface(20, 1e7, 1e10, 20, 1e8, 1e11, 0, new java.util.Random(3));
        HuberLogLossObjective all = new HuberLogLossObjective(runs.stream().mapToDouble(RunResult::parameters).toArray(),
                runs.stream().mapToDouble(RunResult::tokens).toArray(),
                runs.stream().mapToDouble(RunResult::finalLoss).toArray(), 1e-3);

        HuberLogLossObjective sample = all.spreadSample(40);

        assertEquals(40, sample.size());
        assertSame(all, all.spreadSample(400), "no more points than asked for: the objective itself");
        // 400 points sorted by N: every 10th is two per size, so the sampled objective sees all 20 sizes; at the
        // true law both are 0 and away from it the sample's mean loss is within 25% of the whole set's
        KnownLaw law = ChinchillaSurface.LAW;
        double[] truth = new ParametricLaw(law.e(), law.a(), law.b(), law.alpha(), law.beta()).toLogParameters();
        assertEquals(0, sample.value(truth), 1e-12);
        double[] off = truth.clone();
        off[HuberLogLossObjective.ALPHA] += 0.01;
        assertEquals(all.value(off) / 400, sample.value(off) / 40, 0.25 * all.value(off) / 400);
    }

    @Test
    void fewerThanFiveRunsAreReportedInsteadOfFitted() {
        List<RunResult> runs = ChinchillaSurface.points(0).subList(0, 4);

        Approach3Fit fit = approach3.fit(runs);

        assertFalse(fit.fitted());
        assertFalse(fit.hasOptimalAllocation());
        assertNull(fit.law());
        assertEquals(4, fit.runsUsed());
        assertEquals(0, fit.starts());
        assertTrue(Double.isNaN(fit.objective()));
        assertEquals("4 run(s) with a finite loss, at least 5 needed", fit.reason());
        assertEquals(List.of("approach 3 not fitted: 4 run(s) with a finite loss, at least 5 needed"),
                fit.diagnostics());
    }

    @Test
    void runsWithoutAFiniteLossAreLeftOutAndNamedInTheDiagnostics() {
        List<RunResult> runs = new ArrayList<>(ChinchillaSurface.points(0));
        RunResult first = runs.get(0);
        runs.set(0, new RunResult(first.runId(), first.budgetFlops(), first.parameters(), first.tokens(), first.flops(),
                Double.NaN));

        Approach3Fit fit = approach3.fit(runs);

        assertEquals(99, fit.runsUsed());
        assertTrue(fit.diagnostics().contains("approach 3: 1 run(s) without a finite positive loss left out"),
                fit.diagnostics().toString());
        assertRelative(TRUTH.exponentA(), fit.law().exponentA(), 1e-3, "a");
    }

    private static void assertRelative(double expected, double actual, double tolerance, String name) {
        assertEquals(expected, actual, tolerance * Math.abs(expected), name);
    }
}
