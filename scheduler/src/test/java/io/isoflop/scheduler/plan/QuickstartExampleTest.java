package io.isoflop.scheduler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped quickstart must stay a real IsoFLOP grid: at least 4 budgets × 5 distinct sizes. */
class QuickstartExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "quickstart.yaml");

    @Test
    void quickstartPlansAtLeastFourBudgetsOfFiveSizesEach() throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(EXAMPLE), Path.of("sweeps", "quickstart"));

        Map<Double, Long> sizesPerBudget = plan.runs().stream()
                .collect(Collectors.groupingBy(RunSpec::budgetFlops, Collectors.counting()));
        assertTrue(sizesPerBudget.size() >= 4, "budgets: " + sizesPerBudget.keySet());
        sizesPerBudget.forEach((budget, sizes) -> assertEquals(5L, sizes, "sizes at " + budget));
        for (RunSpec run : plan.runs()) {
            assertEquals(run.budgetFlops(), run.plannedFlops(), run.flopsPerToken() * run.shape().contextLength(),
                    run.runId() + " spends its budget to within one sequence");
            assertTrue(run.training().steps() >= 300, run.runId() + " gets enough optimiser steps");
        }
    }
}
