package io.isoflop.scheduler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.ProcessLock;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.testing.S3Endpoint;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.ObjectMetricsStore;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.testing.StoredRuns;
import io.isoflop.worker.store.StoreClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A sweep whose output is on a real S3 endpoint (s3proxy on 127.0.0.1, SigV4, credentials only in the environment
 * of the processes): real workers train, the scheduler is killed (its workers go on) and one worker is killed too;
 * the same command started again follows the live workers, resumes the killed run from the checkpoint it stored,
 * and fits from the objects. Nothing of the metrics is on this machine's disk but the workers' working copies,
 * which are gone at the end; the secret key is in no log.
 */
class SweepS3IT {
    private static final String BUCKET = "isoflop-sweeps";

    @TempDir
    static Path work;
    private static S3Endpoint endpoint;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(S3Endpoint.available(), "no s3proxy jar (the contracts module's build copies it)");
        endpoint = S3Endpoint.start(work);
        System.setProperty("aws.accessKeyId", S3Endpoint.ACCESS_KEY); // this JVM's own reads; never logged
        System.setProperty("aws.secretAccessKey", S3Endpoint.SECRET_KEY);
        s3 = StoreClients.s3(endpoint.settings());
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void aSweepOnTheStoreIsKilledResumedAndFittedFromTheObjects(@TempDir Path dir) throws Exception {
        Path spec = TinySweep.writeSpec(dir, "stored", "[4e9, 8e9]", "{name: stored, output: 's3://" + BUCKET
                + "/team', records: '" + dir.resolve("records") + "', seed: 3}");
        Files.writeString(spec, Files.readString(spec) + "checkpoint: {every_steps: 100}\n");
        Path sweepDir = dir.resolve("records/stored");
        String metricsPrefix = "team/stored/metrics/";
        SweepStore store = new SweepStore(sweepDir, new ObjectMetricsStore(StoreClients.s3(endpoint.settings()),
                ObjectStore.parse("s3://" + BUCKET + "/" + metricsPrefix)));

        Process scheduler = SchedulerProcess.start(dir.resolve("first.log"), endpoint.environment(), "sweep",
                spec.toString(), "--no-fit", "--heartbeat", "1");
        IsoFlopPlan plan = awaitPlan(store, scheduler);
        assertEquals("s3://" + BUCKET + "/" + metricsPrefix.substring(0, metricsPrefix.length() - 1),
                plan.metricsLocation());
        String victim = awaitARunFinishedAndAnotherCheckpointed(store, plan, metricsPrefix, scheduler);
        scheduler.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, the workers keep training
        long victimPid = ProcessLock.holder(store.workerLockFile(victim)).orElseThrow();
        ProcessHandle.of(victimPid).ifPresent(ProcessHandle::destroyForcibly); // and one of them is lost
        awaitReleased(store.workerLockFile(victim));

        Process again = SchedulerProcess.start(dir.resolve("second.log"), endpoint.environment(), "sweep",
                spec.toString(), "--bootstrap", "10", "--heartbeat", "5");
        assertTrue(again.waitFor(10, TimeUnit.MINUTES), "the resumed sweep ended");
        String second = Files.readString(dir.resolve("second.log"));
        assertEquals(ExitCodes.OK, again.exitValue(), second);

        for (RunSpec run : plan.runs()) {
            List<String> finals = keys(metricsPrefix + run.runId() + "/").stream()
                    .filter(k -> k.endsWith(MetricsLayout.FINAL_SUFFIX)).toList();
            assertEquals(1, finals.size(), run.runId() + " has one final object: " + finals);
            assertTrue(store.isFinished(run.runId()), run.runId());
            assertEquals(AttemptRecord.Outcome.SUCCEEDED, store.load(run.runId()).last().orElseThrow().outcome());
        }
        List<AttemptRecord> victimAttempts = store.load(victim).attempts();
        assertTrue(victimAttempts.size() >= 2, victim + " was trained again after its worker was killed");
        assertTrue(Files.readString(Path.of(store.attemptLog(victim, victimAttempts.size())))
                .contains("resuming from the checkpoint"), victim + " resumed from the checkpoint it had stored");
        RunSpec resumed = plan.runs().stream().filter(r -> r.runId().equals(victim)).findFirst().orElseThrow();
        assertEquals(List.of(), new StoredRuns(s3, BUCKET, metricsPrefix).stepProblems(resumed, dir.resolve("fetched")),
                "every step of the resumed run is stored once");

        assertFalse(Files.exists(MetricsLayout.ofSweep(sweepDir)), "no metrics on the scheduler's disk");
        for (RunSpec run : plan.runs()) {
            assertFalse(Files.exists(store.workDir(run.runId())), run.runId() + "'s working copy is removed");
        }
        List<String> fit = keys("team/stored/fit/");
        assertTrue(fit.contains("team/stored/fit/frontier.json") && fit.contains("team/stored/fit/report.html"),
                fit.toString());
        assertEquals(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("team/stored/fit/frontier.json")).asUtf8String(),
                Files.readString(sweepDir.resolve("fit/frontier.json")), "the frontier is fetched for the summary");
        assertTrue(second.contains("report: s3://" + BUCKET + "/team/stored/fit/report.html"), second);

        List<Path> logs = new ArrayList<>(List.of(dir.resolve("first.log"), dir.resolve("second.log")));
        try (Stream<Path> files = Files.walk(sweepDir)) {
            logs.addAll(files.filter(Files::isRegularFile).toList());
        }
        for (Path log : logs) {
            assertFalse(Files.readString(log).contains(S3Endpoint.SECRET_KEY), "the secret key is in " + log);
        }
    }

    private static IsoFlopPlan awaitPlan(SweepStore store, Process scheduler) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(store.planFile())) {
            assertTrue(scheduler.isAlive(), "the scheduler ended before it planned");
            assertTrue(System.nanoTime() < deadline, "no plan within 2 minutes");
            Thread.sleep(100);
        }
        return PlanJson.read(store.planFile());
    }

    /** Waits until a run is finished and another, still training, has stored a checkpoint; returns the latter. */
    private static String awaitARunFinishedAndAnotherCheckpointed(SweepStore store, IsoFlopPlan plan, String prefix,
            Process scheduler) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            assertTrue(scheduler.isAlive(), "the scheduler ended before it could be killed");
            assertTrue(System.nanoTime() < deadline, "no run finished and another checkpointed within 5 minutes");
            boolean oneFinished = false;
            String checkpointed = null;
            for (RunSpec run : plan.runs()) {
                if (store.isFinished(run.runId())) {
                    oneFinished = true;
                } else if (ProcessLock.isHeld(store.workerLockFile(run.runId()))
                        && keys(prefix + run.runId() + "/.checkpoints/").stream().anyMatch(k -> k.endsWith(".ckpt"))) {
                    checkpointed = run.runId();
                }
            }
            if (oneFinished && checkpointed != null) {
                return checkpointed;
            }
            Thread.sleep(200);
        }
    }

    private static void awaitReleased(Path lock) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ProcessLock.isHeld(lock)) {
            assertTrue(System.nanoTime() < deadline, "the killed worker's lock was not released");
            Thread.sleep(100);
        }
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }
}
