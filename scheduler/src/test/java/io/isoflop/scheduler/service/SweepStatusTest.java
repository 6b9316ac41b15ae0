package io.isoflop.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SweepStatusTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-04T11:00:00Z");

    @Test
    void eachPhaseSetsAllConditionsAndOnlyATransitionMovesItsTime() {
        SweepStatus status = new SweepStatus();
        status.phase(SweepStatus.Phase.Running, "RunsInFlight", "20 runs", 1, T0);
        assertEquals("True", status.condition("Running").status());
        assertEquals("True", status.condition("Planned").status());
        assertEquals("False", status.condition("Done").status());
        status.phase(SweepStatus.Phase.Done, "Fitted", "frontier f", 1, T1);
        assertEquals("True", status.condition("Done").status());
        assertEquals("False", status.condition("Running").status());
        assertEquals(T1.toString(), status.condition("Running").lastTransitionTime(), "Running went True to False");
        assertEquals(T0.toString(), status.condition("Planned").lastTransitionTime(), "Planned stayed True");
        assertTrue(status.ended());

        SweepStatus reread = SweepStatus.from(status.toJson());
        reread.phase(SweepStatus.Phase.Done, "Fitted", "frontier f", 1, Instant.parse("2026-12-05T00:00:00Z"));
        assertEquals(status.toJson(), reread.toJson(), "the same phase written again (a restart) changes nothing");
    }

    @Test
    void anInvalidSpecIsPlannedFalseAndFailed() {
        SweepStatus status = new SweepStatus();
        status.phase(SweepStatus.Phase.Failed, SweepStatus.SPEC_INVALID, "budgets.flops[0]: expected...", 2, T0);
        assertEquals("False", status.condition("Planned").status());
        assertEquals(SweepStatus.SPEC_INVALID, status.condition("Planned").reason());
        assertEquals("True", status.condition("Failed").status());
        assertEquals(2, status.observedGeneration());
        assertTrue(status.toJson().get("message").getAsString().contains("budgets.flops"));
        status.phase(SweepStatus.Phase.Running, "RunsInFlight", "", 3, T1);
        assertFalse(status.ended(), "a new generation of the spec runs again");
    }
}
