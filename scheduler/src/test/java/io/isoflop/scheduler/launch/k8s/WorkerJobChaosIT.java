package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized {@link WorkerJobChaos}: six real tiny runs as Jobs, their worker processes stopped (SIGTERM) or
 * killed (SIGKILL) at random instants; each run ends once, every step in its metrics exactly once, the ledger
 * counts a SIGTERM as preempted (no attempt used) and a SIGKILL as a failed attempt, and the next Jobs resume
 * from the checkpoints.
 */
class WorkerJobChaosIT {
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        cluster.createSharedClaim("isoflop-data");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void interruptedWorkerPodsResumeAndEveryStepIsInTheMetricsOnce(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path shared) throws Exception {
        long seed = System.nanoTime();
        WorkerJobChaos.Figures figures = WorkerJobChaos.run(cluster, shared, "workerjobs", 2, 0.4, seed);
        String why = "seed " + seed + "\n" + figures.report() + "\n" + String.join("\n", figures.problems());
        System.out.println(why);

        assertEquals(0, figures.schedulerExit(), why);
        assertTrue(figures.sigterms() >= 1 && figures.sigkills() >= 1, "both kinds of interruption took: " + why);
        assertEquals(0, figures.unfinishedRuns(), why);
        assertEquals(0, figures.duplicateSteps(), why);
        assertEquals(0, figures.missingSteps(), why);
        assertEquals(figures.steps(), figures.rows(), "every step once: " + why);
        assertEquals(0, figures.ledgerMismatches(), why);
        assertEquals(figures.runs() + figures.sigterms() + figures.sigkills(), figures.jobs(),
                "a Job per run and per interruption, no more: " + why);
        assertTrue(figures.resumes() >= 1, "a next Job resumed from a checkpoint: " + why);
    }
}
