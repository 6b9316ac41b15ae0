package io.isoflop.scheduler.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.InferenceOptimum;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The over-training plan from a fitted sweep's frontier.json: the optimum is the fitted law's, its intervals come from
 * refits of redrawn runs and hold it, and the confirming spec plans one budget at 6·N*·D* around N*.
 */
class OvertrainPlanTest {
    private static final Path SIMULATED = Path.of("..", "examples", "simulated.yaml");

    @Test
    void theOptimumItsIntervalsAndTheConfirmingSpec(@TempDir Path dir) throws Exception {
        BudgetSpec spec = BudgetSpecLoader.load(SIMULATED);
        SimulatedLaw truth = spec.simulate();
        IsoFlopPlan plan = IsoFlopPlanner.plan(spec, dir.resolve("sweep"));
        List<RunResult> runs = SimulatedResults.draw(plan.runs(), truth, 5);
        Path frontier = writeFrontier(dir.resolve("frontier.json"), truth, runs);

        SimulatedLaw law = PriorLaw.fromFrontier(frontier);
        assertEquals(0.014, law.runNoise(), 0.004, "1% run and 1% evaluation noise: about 1.4% scatter");
        ParametricLaw fitted = new ParametricLaw(law.e(), law.a(), law.b(), law.alpha(), law.beta());
        double target = fitted.optimalLoss(1e21);
        OvertrainPlan overtrain = OvertrainPlan.of(law, FrontierResults.read(frontier), target, 1e13, 60, 3);
        InferenceOptimum direct = InferenceOptimum.solveForLoss(fitted, target, 1e13);
        assertEquals(direct, overtrain.estimate());
        assertTrue(overtrain.replicates() >= 55, "most refits give a law: " + overtrain.replicates());
        for (var interval : List.of(overtrain.parameters(), overtrain.tokens(), overtrain.totalFlops())) {
            assertTrue(interval.contains(interval.estimate()), interval.toString());
            assertTrue(interval.upper() > interval.lower(), interval.toString());
        }
        assertTrue(direct.parameters() < fitted.optimalParameters(direct.budgetFlops()), "a smaller model");

        ConfirmingSpec.Rendered rendered = ConfirmingSpec.render(Files.readString(SIMULATED), "simulated.yaml",
                direct, 5, 0.5, dir);
        assertEquals("simulated-overtrain", rendered.sweep());
        String yaml = rendered.yaml();
        BudgetSpec confirming = BudgetSpecLoader.parse(yaml, "confirming.yaml");
        assertEquals("simulated-overtrain", confirming.sweep().name());
        assertEquals(List.of(Double.parseDouble(String.format("%.2e", 6 * direct.parameters() * direct.tokens()))),
                confirming.budgets().flops());
        assertEquals(null, confirming.adaptive());
        List<RunSpec> confirmingRuns = IsoFlopPlanner.plan(confirming, dir.resolve("confirm")).runs();
        assertEquals(5, confirmingRuns.size());
        RunSpec middle = confirmingRuns.get(2);
        assertEquals(1.0, middle.parameters() / direct.parameters(), 0.05, "the middle run is N*: " + middle.runId());
        assertEquals(1.0, (double) middle.tokens() / direct.tokens(), 0.06, "trained on about D*");
        assertFalse(yaml.contains("adaptive:"));
    }

    /** A frontier.json as the fitter writes its parts read here: the Approach 3 law and every budget's points. */
    private static Path writeFrontier(Path file, SimulatedLaw law, List<RunResult> runs) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putObject("approach3").put("fitted", true).put("E", law.e()).put("A", law.a()).put("B", law.b())
                .put("alpha", law.alpha()).put("beta", law.beta());
        Map<Double, ArrayNode> byBudget = new TreeMap<>();
        ArrayNode budgets = root.putArray("budgets");
        for (RunResult run : runs) {
            ArrayNode points = byBudget.computeIfAbsent(run.budgetFlops(), c -> {
                ObjectNode budget = budgets.addObject().put("budgetFlops", c);
                return budget.putArray("points");
            });
            points.addObject().put("runId", run.runId()).put("n", run.parameters()).put("d", run.tokens())
                    .put("flops", run.flops()).put("loss", run.finalLoss()).put("excluded", false);
        }
        json.writeValue(file.toFile(), root);
        return file;
    }
}
