package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Approach2Test {
    private static final KnownLaw LAW = KnownLaw.EPOCH_CHINCHILLA;
    private static final double[] BUDGETS = {1e18, 1e19, 1e20, 1e21};
    private static final int SIZES = 7;
    private static final double STEP_DECADES = 0.2;
    /** Planners do not know N_opt: centre the grid off it. */
    private static final double OFFSET_DECADES = 0.1;
    private static final double NOISE_NATS = 0.005;
    private static final double VERTEX_TOLERANCE_DECADES = 0.05;
    private static final double EXPONENT_TOLERANCE = 0.03;

    private final Random random = new Random(42);
    private final Approach2 approach2 = new Approach2();

    @Test
    void recoversKnownVertexPerBudgetAndExponents() {
        Approach2Fit fit = approach2.fit(sweep(BUDGETS));

        assertEquals(BUDGETS.length, fit.budgets().size());
        for (BudgetProfile profile : fit.budgets()) {
            assertTrue(profile.usedInPowerLaw(), () -> "budget " + profile.budgetFlops() + ": " + profile.reason());
            assertTrue(profile.excludedPoints().isEmpty(), () -> "unexpected exclusion: " + profile.excludedPoints());
            assertVertexNearTruth(profile);
            double c = profile.budgetFlops();
            Vertex vertex = profile.vertex();
            assertEquals(c / (6 * vertex.parameters()), vertex.tokens(), 1e-3 * vertex.tokens(), "D_opt = C/(6 N_opt)");
            assertEquals(LAW.optimalLoss(c), vertex.loss(), 0.02, "loss at the vertex");
        }
        assertTrue(fit.hasPowerLaws());
        assertEquals(LAW.exponentA(), fit.nOpt().exponent(), EXPONENT_TOLERANCE, "a");
        assertEquals(LAW.exponentB(), fit.dOpt().exponent(), EXPONENT_TOLERANCE, "b");
        assertEquals(BUDGETS.length, fit.nOpt().points());
        assertTrue(fit.nOpt().exponentStdErr() > 0 && fit.nOpt().exponentStdErr() < EXPONENT_TOLERANCE);
        assertTrue(fit.nOpt().r2() > 0.99);
        double c = BUDGETS[1];
        assertEquals(Math.log10(LAW.optimalParameters(c)), Math.log10(fit.nOpt().valueAt(c)), VERTEX_TOLERANCE_DECADES);
    }

    @Test
    void vertexOutsideSampledRangeIsFlaggedAndLeftOutOfThePowerLaws() {
        List<RunResult> runs = sweep(1e18, 1e19, 1e20);
        double shiftedBudget = 1e21;
        runs.addAll(LAW.grid(shiftedBudget, SIZES, STEP_DECADES, 1.0, NOISE_NATS, random)); // every N far above N_opt

        Approach2Fit fit = approach2.fit(runs);

        BudgetProfile shifted = profile(fit, shiftedBudget);
        assertNotNull(shifted.vertex(), "a convex profile still has a vertex");
        assertFalse(shifted.insideSampledRange());
        assertFalse(shifted.usedInPowerLaw());
        assertTrue(shifted.vertex().parameters() < shifted.sampledMinParameters());
        assertTrue(shifted.reason().contains("outside the sampled range"), shifted.reason());
        assertTrue(fit.diagnostics().stream().anyMatch(d -> d.contains("outside the sampled range")));
        assertEquals(3, fit.nOpt().points());
        assertEquals(LAW.exponentA(), fit.nOpt().exponent(), EXPONENT_TOLERANCE);
    }

    @Test
    void stalledLargestRunIsExcludedWithReason() {
        List<RunResult> runs = sweep(BUDGETS);
        double budget = BUDGETS[2];
        RunResult largest = largestRun(runs, budget);
        double plateau = LAW.optimalLoss(budget) + 0.4;
        replace(runs, largest, withLoss(largest, plateau));

        Approach2Fit fit = approach2.fit(runs);

        BudgetProfile profile = profile(fit, budget);
        assertEquals(1, profile.excludedPoints().size());
        PointDecision stalled = profile.excludedPoints().get(0);
        assertEquals(largest.runId(), stalled.run().runId());
        assertTrue(stalled.reason().startsWith("stalled: loss "), stalled.reason());
        assertTrue(stalled.reason().contains("above the parabola through the other " + (SIZES - 1) + " points"),
                stalled.reason());
        assertTrue(profile.usedInPowerLaw());
        assertVertexNearTruth(profile);
        assertEquals(LAW.exponentA(), fit.nOpt().exponent(), EXPONENT_TOLERANCE);
    }

    @Test
    void twoStalledNeighboursAreBothExcludedThoughEachMasksTheOther() {
        List<RunResult> runs = new ArrayList<>(LAW.grid(1e20, 6, 0.25, 0.0, 0.0, random));
        double plateau = LAW.optimalLoss(1e20) + 0.3;
        RunResult largest = runs.get(5);
        RunResult second = runs.get(4);
        replace(runs, largest, withLoss(largest, plateau));
        replace(runs, second, withLoss(second, plateau));

        BudgetProfile profile = approach2.fit(runs).budgets().get(0);

        assertEquals(List.of(second.runId(), largest.runId()),
                profile.excludedPoints().stream().map(p -> p.run().runId()).toList());
        assertTrue(profile.excludedPoints().stream().allMatch(p -> p.reason().startsWith("stalled")));
        assertTrue(profile.usedInPowerLaw(), profile.reason());
    }

    @Test
    void stallDetectionNeverLeavesFewerThanTheMinimumOfPoints() {
        for (int sizes = 3; sizes <= 5; sizes++) {
            List<RunResult> runs = new ArrayList<>(LAW.grid(1e20, sizes, 0.3, 0.0, 0.0, random));
            runs.replaceAll(run -> run.parameters() > runs.get(1).parameters() ? withLoss(run, run.finalLoss() + 1) : run);

            BudgetProfile profile = approach2.fit(runs).budgets().get(0);

            assertTrue(profile.keptPoints().size() >= Approach2Settings.MIN_POINTS_PER_BUDGET,
                    sizes + " sizes kept " + profile.keptPoints().size());
        }
    }

    @Test
    void budgetWithTooFewPointsIsExcludedWithReason() {
        List<RunResult> runs = sweep(BUDGETS);
        double sparse = 1e22;
        runs.addAll(LAW.grid(sparse, 2, STEP_DECADES, 0.0, 0.0, random));

        Approach2Fit fit = approach2.fit(runs);

        BudgetProfile profile = profile(fit, sparse);
        assertFalse(profile.usedInPowerLaw());
        assertNull(profile.parabola());
        assertNull(profile.vertex());
        assertTrue(profile.reason().contains("only 2 usable points, at least 3 needed"), profile.reason());
        assertEquals(BUDGETS.length, fit.nOpt().points());
    }

    @Test
    void runWithoutFiniteLossIsExcludedAndCanLeaveTooFewPoints() {
        List<RunResult> runs = new ArrayList<>(LAW.grid(1e20, 3, STEP_DECADES, 0.0, 0.0, random));
        runs.set(1, withLoss(runs.get(1), Double.NaN));

        BudgetProfile profile = approach2.fit(runs).budgets().get(0);

        assertTrue(profile.points().get(1).reason().startsWith("loss is not finite"));
        assertTrue(profile.reason().startsWith("only 2 usable points"), profile.reason());
    }

    @Test
    void budgetWhoseParabolaOpensDownwardsHasNoMinimum() {
        List<RunResult> runs = new ArrayList<>(LAW.grid(1e20, 5, STEP_DECADES, 0.0, 0.0, random));
        double peak = LAW.optimalLoss(1e20);
        runs.replaceAll(run -> withLoss(run, peak - Math.pow(Math.log10(run.parameters()) - Math.log10(runs.get(2).parameters()), 2)));

        BudgetProfile profile = approach2.fit(runs).budgets().get(0);

        assertNotNull(profile.parabola());
        assertFalse(profile.parabola().hasMinimum());
        assertNull(profile.vertex());
        assertTrue(profile.reason().startsWith("no minimum"), profile.reason());
    }

    @Test
    void fewerThanTwoUsableBudgetsLeavesThePowerLawsAbsentWithDiagnostic() {
        List<RunResult> runs = sweep(1e20);
        runs.addAll(LAW.grid(1e21, 2, STEP_DECADES, 0.0, 0.0, random));

        Approach2Fit fit = approach2.fit(runs);

        assertFalse(fit.hasPowerLaws());
        assertNull(fit.nOpt());
        assertNull(fit.dOpt());
        assertTrue(fit.diagnostics().contains("power laws not fitted: 1 usable budget of 2, at least 2 needed"),
                fit.diagnostics().toString());
    }

    private List<RunResult> sweep(double... budgets) {
        List<RunResult> runs = new ArrayList<>();
        for (double budget : budgets) {
            runs.addAll(LAW.grid(budget, SIZES, STEP_DECADES, OFFSET_DECADES, NOISE_NATS, random));
        }
        return runs;
    }

    private static void assertVertexNearTruth(BudgetProfile profile) {
        assertEquals(Math.log10(LAW.optimalParameters(profile.budgetFlops())),
                Math.log10(profile.vertex().parameters()), VERTEX_TOLERANCE_DECADES,
                () -> "log10 N_opt of budget " + profile.budgetFlops());
    }

    private static BudgetProfile profile(Approach2Fit fit, double budget) {
        return fit.budgets().stream().filter(p -> p.budgetFlops() == budget).findFirst().orElseThrow();
    }

    private static RunResult largestRun(List<RunResult> runs, double budget) {
        return runs.stream()
                .filter(r -> r.budgetFlops() == budget)
                .max(java.util.Comparator.comparingLong(RunResult::parameters))
                .orElseThrow();
    }

    private static RunResult withLoss(RunResult run, double loss) {
        return new RunResult(run.runId(), run.budgetFlops(), run.parameters(), run.tokens(), run.flops(), loss);
    }

    private static void replace(List<RunResult> runs, RunResult old, RunResult replacement) {
        runs.set(runs.indexOf(old), replacement);
    }
}
