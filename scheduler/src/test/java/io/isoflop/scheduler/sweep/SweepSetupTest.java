package io.isoflop.scheduler.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.plan.PlanConflictException;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.store.SweepStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep directory keeps its plan: the same runs again, or (an adaptive sweep's stage) more runs after them. */
class SweepSetupTest {
    private static final SweepPolicy POLICY = SweepPolicy.local(2, RetryPolicy.immediate(3));

    @Test
    void aPlanMayOnlyGrowUnderTheSameSpec(@TempDir Path dir) throws Exception {
        SweepStore store = new SweepStore(dir.resolve("sweep"));
        IsoFlopPlan full = IsoFlopPlanner.plan(BudgetSpecLoader.load(Path.of("..", "examples", "simulated.yaml")),
                store.sweepDir());
        IsoFlopPlan first = withRuns(full, 0, 10);
        SweepSetup.bind(first, POLICY, store, null);
        SweepSetup.bind(first, POLICY, store, null); // the same runs again
        SweepSetup.bind(withRuns(full, 0, 20), POLICY, store, null); // a stage added
        assertEquals(20, PlanJson.read(store.planFile()).runs().size());

        assertThrows(PlanConflictException.class, () -> SweepSetup.bind(withRuns(full, 1, 25), POLICY, store, null),
                "an earlier run dropped");
        assertThrows(PlanConflictException.class, () -> SweepSetup.bind(withRuns(full, 0, 10), POLICY, store, null),
                "runs taken away");
        IsoFlopPlan otherSpec = new IsoFlopPlan(full.sweep(), "another-spec", full.sweepDir(), full.maxParallel(),
                full.runs().subList(0, 30));
        assertThrows(PlanConflictException.class, () -> SweepSetup.bind(otherSpec, POLICY, store, null),
                "the same runs and more, but from another spec");
    }

    private static IsoFlopPlan withRuns(IsoFlopPlan plan, int from, int to) {
        return new IsoFlopPlan(plan.sweep(), plan.specHash(), plan.sweepDir(), plan.maxParallel(),
                plan.runs().subList(from, to));
    }
}
