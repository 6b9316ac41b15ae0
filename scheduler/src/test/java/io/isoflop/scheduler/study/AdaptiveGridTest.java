package io.isoflop.scheduler.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adaptive grid's stages on examples/adaptive.yaml, with runs drawn from its law. */
class AdaptiveGridTest {
    private static final Path ADAPTIVE = Path.of("..", "examples", "adaptive.yaml");

    private static BudgetSpec spec(String replace, String with) throws Exception {
        return BudgetSpecLoader.parse(Files.readString(ADAPTIVE).replace(replace, with), "adaptive.yaml");
    }

    @Test
    void theFirstStageRunsTheSmallestBudgetsOnTheSpecsSizes() throws Exception {
        BudgetSpec spec = spec("", "");
        Stage first = new AdaptiveGrid(spec, Files.createTempDirectory("adaptive")).next(1, List.of());
        assertEquals(List.of(1e15, 3.16e15, 1e16), first.budgets());
        assertEquals(3 * spec.models().perBudget(), first.runs().size());
        assertTrue(first.reason().startsWith("first stage"), first.reason());
    }

    @Test
    void laterStagesCentreTheirSizesOnThePredictedOptimumAndDecideTheSameAfterARestart() throws Exception {
        BudgetSpec spec = spec("", "");
        Path dir = Files.createTempDirectory("adaptive");
        SimulatedLaw law = spec.simulate();
        ParametricLaw truth = new ParametricLaw(law.e(), law.a(), law.b(), law.alpha(), law.beta());
        List<RunResult> finished = new ArrayList<>(SimulatedResults.draw(
                new AdaptiveGrid(spec, dir).next(1, List.of()).runs(), law, 3));
        for (int index = 2; index <= 4; index++) {
            Stage stage = new AdaptiveGrid(spec, dir).next(index, finished);
            assertEquals(stage, new AdaptiveGrid(spec, dir).next(index, List.copyOf(finished)),
                    "the same results give the same stage");
            assertEquals(1, stage.budgets().size());
            double budget = stage.budgets().get(0);
            assertEquals(spec.adaptive().perBudget(), stage.runs().size(), stage.reason());
            double[] log10N = stage.runs().stream().mapToDouble(r -> Math.log10(r.parameters())).toArray();
            double centre = (log10N[0] + log10N[log10N.length - 1]) / 2;
            double halfRange = (log10N[log10N.length - 1] - log10N[0]) / 2;
            assertTrue(halfRange >= spec.adaptive().minSpread() - 0.05 && halfRange <= spec.adaptive().maxSpread()
                    + 0.05, "spread " + halfRange + ": " + stage.reason());
            assertEquals(Math.log10(truth.optimalParameters(budget)), centre, 0.3,
                    "sizes centred near the true N_opt at " + budget + ": " + stage.reason());
            assertTrue(stage.reason().contains("predicted N_opt"), stage.reason());
            finished.addAll(SimulatedResults.draw(stage.runs(), law, 3));
        }
    }

    @Test
    void theSweepEndsOnceThePrecisionIsReachedOrTheBudgetsRunOut() throws Exception {
        Path dir = Files.createTempDirectory("adaptive");
        BudgetSpec loose = spec("a_width: 0.05", "a_width: 5");
        SimulatedSweep early = SimulatedSweep.run(new AdaptiveGrid(loose, dir), loose.simulate(), 1);
        Stage end = early.stages().get(early.stages().size() - 1);
        assertTrue(end.ends() && end.reason().startsWith("precision reached"), end.reason());
        assertTrue(early.stages().size() < loose.budgets().points().size() - 1, "stopped before the last budget");

        BudgetSpec strict = spec("a_width: 0.05", "a_width: 0.0001");
        SimulatedSweep all = SimulatedSweep.run(new AdaptiveGrid(strict, dir), strict.simulate(), 1);
        Stage last = all.stages().get(all.stages().size() - 1);
        assertTrue(last.reason().startsWith("every budget has run") && last.reason().contains("not reached"),
                last.reason());
        assertEquals(strict.budgets().points().size(),
                all.results().stream().map(RunResult::budgetFlops).distinct().count());
    }

    @Test
    void theAdaptiveSweepCostsFarLessThanTheUniformGridOfTheSameSpec() throws Exception {
        Path dir = Files.createTempDirectory("adaptive");
        BudgetSpec adaptive = spec("a_width: 0.05", "a_width: 0.0001"); // runs every budget
        BudgetSpec uniform = BudgetSpecLoader.load(Path.of("..", "examples", "simulated.yaml"));
        double uniformFlops = IsoFlopPlanner.plan(uniform, dir).totalFlops();
        SimulatedSweep played = SimulatedSweep.run(new AdaptiveGrid(adaptive, dir), adaptive.simulate(), 2);
        assertTrue(played.flops() < 0.6 * uniformFlops, played.flops() + " vs uniform " + uniformFlops);
        assertEquals(played.flops(), played.results().stream().mapToDouble(RunResult::flops).sum(),
                1e-9 * played.flops());
    }

    @Test
    void aBadAdaptiveSectionIsRefusedWithItsField() throws Exception {
        String text = Files.readString(ADAPTIVE);
        assertRefused(text.replace("first_budgets: 3", "first_budgets: 9"), "adaptive.first_budgets");
        assertRefused(text.replace("spread: {min: 0.8, max: 1.0}", "spread: {min: 1.0, max: 0.8}"),
                "adaptive.spread.min");
        assertRefused(text.replace("target: {a_width: 0.05}", "target: {n_opt_decades: 0.2}"),
                "adaptive.target.n_opt_budget");
        assertRefused(text.replace("  target: {a_width: 0.05}", ""), "adaptive.target");
        assertRefused(text.replace("per_budget: 3             #", "per_budget: 2             #"),
                "adaptive.per_budget");
    }

    private static void assertRefused(String yaml, String field) {
        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> BudgetSpecLoader.parse(yaml, "adaptive.yaml"));
        assertTrue(e.getErrors().stream().anyMatch(error -> error.path().equals(field)), field + ": " + e.getMessage());
    }
}
