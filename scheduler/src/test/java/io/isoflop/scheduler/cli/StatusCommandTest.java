package io.isoflop.scheduler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.RetryPolicy;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepSetup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isoflop status} judges a sweep's runs by the policy the sweep ran with, not by a default of its own. */
class StatusCommandTest {
    private static final Path FIXTURE = Path.of("src", "test", "resources", "fixture-spec.yaml");

    @Test
    void aFailedAttemptCountsAgainstTheAttemptsTheSweepRanWith(@TempDir Path dir) throws Exception {
        Path spec = FIXTURE.toAbsolutePath();
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(spec), dir);
        SweepStore store = new SweepStore(dir);
        String run = plan.runs().get(0).runId();
        store.save(RunRecord.empty(run).with(AttemptRecord.started(1, "2026-12-02T00:00:00Z")
                .ended("2026-12-02T00:01:00Z", 1, AttemptRecord.Outcome.FAILED)));

        SweepSetup.bind(plan, SweepPolicy.local(2, RetryPolicy.immediate(1)), store, spec);
        StringWriter oneAttempt = new StringWriter();
        int code = IsoflopCli.execute(new String[] {"status", dir.toString()}, new PrintWriter(oneAttempt, true),
                new PrintWriter(oneAttempt, true));
        assertEquals(ExitCodes.RUNS_FAILED, code, oneAttempt.toString());
        assertTrue(oneAttempt.toString().lines().anyMatch(l -> l.startsWith(run) && l.contains(" failed ")),
                oneAttempt.toString());

        SweepSetup.bind(plan, SweepPolicy.local(2, RetryPolicy.immediate(3)), store, spec);
        StringWriter threeAttempts = new StringWriter();
        code = IsoflopCli.execute(new String[] {"status", dir.toString()}, new PrintWriter(threeAttempts, true),
                new PrintWriter(threeAttempts, true));
        assertEquals(ExitCodes.OK, code, threeAttempts.toString());
        assertTrue(threeAttempts.toString().lines().anyMatch(l -> l.startsWith(run) && l.contains(" pending ")),
                threeAttempts.toString());
        assertTrue(threeAttempts.toString().contains("up to 3 attempts per run"), threeAttempts.toString());
    }
}
