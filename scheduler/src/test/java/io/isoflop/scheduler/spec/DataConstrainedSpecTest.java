package io.isoflop.scheduler.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.worker.simulate.SimulatedRun;
import io.isoflop.worker.sink.MetricRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec that caps the unique tokens plans a data-constrained sweep: every run carries the cap and repeats it. */
class DataConstrainedSpecTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "data-constrained.yaml");

    @Test
    void theCapReachesEveryRunAndTheSimulatedRunsRecordTheirEpochs(@TempDir Path dir) throws Exception {
        BudgetSpec spec = BudgetSpecLoader.load(EXAMPLE);
        assertEquals(360_000_000L, spec.dataset().uniqueTokens());
        assertEquals(15.0, spec.simulate().rStarD());
        assertEquals(5.0, spec.simulate().rStarN());
        List<RunSpec> runs = IsoFlopPlanner.plan(spec, dir).runs();
        assertTrue(runs.stream().allMatch(r -> r.data().uniqueTokens() == 360_000_000L));
        RunSpec largest = runs.stream().max((x, y) -> Long.compare(x.tokens(), y.tokens())).orElseThrow();
        List<MetricRow> rows = SimulatedRun.rows(largest);
        MetricRow last = rows.get(rows.size() - 1);
        assertEquals((double) largest.tokens() / 360_000_000L, last.epochs(), 1e-9);
        assertTrue(last.epochs() > 45, "the largest run repeats its data about 50 times: " + last.epochs());
        double fresh = spec.simulate().loss(largest.parameters(), largest.tokens());
        assertTrue(spec.simulate().loss(largest.parameters(), largest.tokens(), 360_000_000L) > fresh + 0.05,
                "repeated tokens are worth less than fresh ones");
    }

    @Test
    void withoutACapTheRunSpecsAreThoseOfBefore(@TempDir Path dir) throws Exception {
        String text = Files.readString(Path.of("..", "examples", "simulated.yaml"));
        BudgetSpec spec = BudgetSpecLoader.parse(text, "simulated.yaml");
        assertNull(spec.dataset().uniqueTokens());
        assertNull(spec.simulate().rStarD());
        RunSpec run = IsoFlopPlanner.plan(spec, dir).runs().get(0);
        assertNull(run.data().uniqueTokens());
        assertTrue(!io.isoflop.contracts.RunSpecCodec.toJson(run).contains("uniqueTokens"),
                "left out of the run spec, so run ids do not change");
    }

    @Test
    void aCapTooSmallForASequenceIsRefusedWithItsField() throws Exception {
        String text = Files.readString(EXAMPLE).replace("unique_tokens: 360000000", "unique_tokens: 10");
        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> BudgetSpecLoader.parse(text, "data-constrained.yaml"));
        assertTrue(e.getErrors().stream().anyMatch(error -> error.path().equals("dataset.unique_tokens")),
                e.getMessage());
    }
}
