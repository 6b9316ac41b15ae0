package io.isoflop.scheduler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanOutputTest {
    private static final Path QUICKSTART = Path.of("src", "test", "resources", "fixture-spec.yaml");

    @Test
    void tableHasAHeaderOneLinePerRunAndATotalsLine() throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(QUICKSTART), Path.of("sweeps", "quickstart"));

        List<String> lines = PlanTable.render(plan).lines().toList();

        assertEquals(22, lines.size());
        assertTrue(lines.get(0).matches("run +budget +N +shape +D +D/N +FLOPs +steps x batch +peak LR"),
                lines.get(0));
        String first = lines.get(1);
        assertTrue(first.startsWith(plan.runs().get(0).runId() + " "), first);
        assertTrue(first.matches(".* 1\\.00e\\+11 +3312 +1x16 h2 +5032192 +1519\\.4 +1\\.00e\\+11 +4915 x 8"
                + " +6\\.00e-03"), first);
        int budgetColumnEnd = lines.get(0).indexOf("budget") + "budget".length();
        for (String line : lines.subList(1, 21)) {
            assertEquals(' ', line.charAt(budgetColumnEnd), "numbers are right-aligned: " + line);
            assertTrue(Character.isDigit(line.charAt(budgetColumnEnd - 1)), line);
        }
        assertEquals("20 runs, 4 budgets (1.00e+11 .. 3.00e+12), 2.20e+13 FLOPs, 369795200 tokens in total;"
                + " sweep quickstart, up to 2 in parallel", lines.get(21));
    }

    @Test
    void jsonCarriesThePlanAndEveryRunSpec() throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(QUICKSTART), Path.of("sweeps", "quickstart"));

        JsonNode json = new ObjectMapper().readTree(PlanJson.render(plan));

        assertEquals("quickstart", json.get("sweep").asText());
        assertEquals(plan.specHash(), json.get("specHash").asText());
        assertEquals(plan.sweepDir().toString(), json.get("sweepDir").asText());
        assertEquals(2, json.get("maxParallel").asInt());
        assertEquals(20, json.get("runCount").asInt());
        assertEquals(plan.totalFlops(), json.get("totalFlops").asDouble());
        for (int i = 0; i < plan.runs().size(); i++) {
            RunSpec decoded = RunSpecCodec.fromJson(json.get("runs").get(i).toString());
            assertEquals(plan.runs().get(i), decoded);
        }
    }
}
