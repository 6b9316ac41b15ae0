package io.isoflop.worker.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.worker.TestRuns;
import io.isoflop.worker.sink.MetricRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's simulate mode: the rows a training worker writes, drawn from the declared law. */
class SimulatedRunTest {
    private static final SimulatedLaw EXACT = SimulatedLaw.chinchilla(0, 0);

    private static RunSpec run(Path metrics, SimulatedLaw law) {
        return TestRuns.simulated(TestRuns.tinyRun(metrics, 200L * 8 * 64, 8), law);
    }

    @Test
    void withoutNoiseEveryLossIsTheLawAtTheTokensSeen(@TempDir Path dir) {
        RunSpec spec = run(dir, EXACT);
        List<MetricRow> rows = SimulatedRun.rows(spec);

        assertEquals(spec.training().steps() + 1, rows.size(), "a row per step and the final row");
        MetricRow last = rows.get(rows.size() - 1);
        assertTrue(last.isFinal());
        assertEquals(spec.tokens(), last.tokens());
        assertEquals(EXACT.loss(spec.parameters(), spec.tokens()), last.evalLoss(), 1e-12);
        for (MetricRow row : rows.subList(0, rows.size() - 1)) {
            assertFalse(row.isFinal());
            assertEquals(EXACT.loss(spec.parameters(), row.tokens()), row.trainLoss(), 1e-12);
            assertEquals(spec.flopsPerToken() * row.tokens(), row.flops(), 1e-3);
            assertEquals(spec.training().learningRateAt(row.step()), row.learningRate(), 0);
        }
        long evaluations = rows.stream().filter(r -> !r.isFinal() && !Double.isNaN(r.evalLoss())).count();
        assertEquals(spec.tokens() / spec.evalIntervalTokens() - 1, evaluations, "one every evalIntervalTokens,"
                + " the last step's left to the final row");
    }

    @Test
    void theNoiseIsSeededPerRunAndTheSameForEveryAttempt(@TempDir Path dir) {
        SimulatedLaw noisy = SimulatedLaw.chinchilla(0.05, 0.01);
        RunSpec spec = run(dir, noisy);
        double once = SimulatedRun.rows(spec).get((int) spec.training().steps()).evalLoss();
        double again = SimulatedRun.rows(spec).get((int) spec.training().steps()).evalLoss();
        double other = SimulatedRun.rows(spec.withRunId("another-run")).get((int) spec.training().steps()).evalLoss();

        assertEquals(once, again, 0, "the same run draws the same losses");
        assertNotEquals(once, other, "another run draws its own offset");
        assertEquals(noisy.loss(spec.parameters(), spec.tokens()), once, 0.25 * once, "near the law");
    }
}
