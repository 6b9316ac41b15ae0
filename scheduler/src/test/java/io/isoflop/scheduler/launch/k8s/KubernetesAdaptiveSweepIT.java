package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.cli.SchedulerProcess;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.study.Stage;
import io.isoflop.scheduler.study.StageLog;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adaptive sweep ({@code examples/adaptive.yaml} on 5 budgets, runs drawn by the worker's simulate mode) on the
 * real test API server: every run a Job, the fitter a Job between stages (both run by {@link ProcessKubelet} as real
 * processes), the scheduler killed (SIGKILL) once it has recorded its second stage and started again. The sweep
 * ends with the same stages, reasons and runs as the same spec run locally with the simulate backend, each run
 * succeeded once in the sweep's ledger, and the report lists the stages.
 */
class KubernetesAdaptiveSweepIT {
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

    private static Path spec(Path dir, Path output) throws Exception {
        Path file = dir.resolve("adaptive-" + output.getFileName() + ".yaml");
        Files.writeString(file, Files.readString(TestCluster.HOME.resolve("examples/adaptive.yaml"))
                .replace("output: sweeps", "output: '" + output + "'")
                .replace("range: {min: 1e15, max: 1e19, count: 9}", "range: {min: 1e15, max: 1e17, count: 5}")
                .replace("a_width: 0.05", "a_width: 0.0001")); // never reached: every budget runs
        return file;
    }

    @Test
    void stagesRunAsJobsWithTheFitterBetweenThemAndARestartContinuesThem(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path shared) throws Exception {
        Process local = SchedulerProcess.start(shared.resolve("local.log"), "sweep",
                spec(shared, shared.resolve("local")).toString(), "--backend", "simulate", "--bootstrap", "0");
        assertTrue(local.waitFor(10, TimeUnit.MINUTES), "the local sweep ended");
        String localLog = Files.readString(shared.resolve("local.log"));
        assertEquals(0, local.exitValue(), localLog);
        List<Stage> reference = new StageLog(shared.resolve("local/adaptive")).read();
        assertEquals(4, reference.size(), "3 budgets, then 3.16e16 and 1e17, then the end: " + localLog);

        Path spec = spec(shared, shared.resolve("sweeps"));
        TestCluster.writeSchedulerConfig(shared, 3, 0);
        CoreV1Api core = new CoreV1Api(cluster.client);
        ProcessKubelet workers = new ProcessKubelet(core, RunNames.sweepSelector("adaptive"), shared.resolve("pods"),
                new Random(7), 0.0);
        ProcessKubelet fitters = new ProcessKubelet(core, RunNames.fitterSelector("adaptive"),
                shared.resolve("fitter-pods"), new Random(7), 0.0);
        workers.start();
        fitters.start();
        Path sweepDir = shared.resolve("sweeps/adaptive");
        String[] command = {"sweep", spec.toString(), "--backend", "kubernetes", "--cluster-config",
            shared.resolve("scheduler.yaml").toString(), "--kubeconfig", cluster.kubeconfig.toString(),
            "--bootstrap", "0", "--heartbeat", "5"};
        try {
            Process first = SchedulerProcess.start(shared.resolve("first.log"), command);
            StageLog log = new StageLog(sweepDir);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (stages(log) < 2 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(first.isAlive(), "the first scheduler ended before its second stage: "
                    + Files.readString(shared.resolve("first.log")));
            first.destroyForcibly().waitFor(); // SIGKILL: its Jobs go on without it
            Process second = SchedulerProcess.start(shared.resolve("second.log"), command);
            assertTrue(second.waitFor(15, TimeUnit.MINUTES), "the restarted sweep ended");
            String secondLog = Files.readString(shared.resolve("second.log"));
            assertEquals(0, second.exitValue(), secondLog);
            assertTrue(secondLog.contains("stage(s) recorded"), secondLog);
        } finally {
            workers.interrupt();
            fitters.interrupt();
            workers.join(10_000);
            fitters.join(10_000);
        }

        List<Stage> stages = new StageLog(sweepDir).read();
        assertEquals(reference.stream().map(Stage::reason).toList(), stages.stream().map(Stage::reason).toList());
        List<RunSpec> runs = PlanJson.read(sweepDir.resolve("plan.json")).runs();
        assertEquals(PlanJson.read(shared.resolve("local/adaptive/plan.json")).runs().stream().map(RunSpec::runId)
                .toList(), runs.stream().map(RunSpec::runId).toList());
        Map<String, RunRecord> ledger = KubernetesSweep.ledger(cluster.client, TestCluster.NAMESPACE, "adaptive");
        for (RunSpec run : runs) {
            assertEquals(1, ledger.get(run.runId()).count(AttemptRecord.Outcome.SUCCEEDED), run.runId());
        }
        JsonNode frontier = new ObjectMapper().readTree(sweepDir.resolve("fit/frontier.json").toFile());
        assertEquals(5, frontier.path("budgets").size(), "the last fit saw every budget");
        assertEquals(3, frontier.path("stages").size(), frontier.path("stages").toString());
        assertTrue(Files.readString(sweepDir.resolve("fit/report.html")).contains("adaptive-stages"));
    }

    private static int stages(StageLog log) {
        try {
            return log.read().size();
        } catch (Exception e) {
            return 0; // being written
        }
    }
}
