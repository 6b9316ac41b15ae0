package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.scheduler.cli.SchedulerProcess;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized {@link SchedulerChaos}: a 50-run sweep whose scheduler is interrupted 12 times (SIGKILL at random
 * instants of start-up and dispatch, some SIGTERMs) while a proxy throttles, fails, slows and cuts its API calls,
 * with 4 runs failing once and 2 failing every attempt. Exactly the Jobs the runs' outcomes call for are created,
 * none beyond 3 attempts, no pod runs twice, the ledger agrees with the Jobs, nothing is lost; {@code status}
 * reads the same; and the kubeconfig's token appears in no log, sweep file or cluster object. {@code bench/chaos.sh}
 * runs the long form.
 */
class SchedulerChaosIT {
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
    void interruptedSchedulersBehindAFaultyApiNeitherDuplicateNorLoseARun(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path shared) throws Exception {
        long seed = System.nanoTime();
        System.out.println("chaos seed: " + seed);
        SchedulerChaos.Figures figures = SchedulerChaos.run(cluster, shared, new SchedulerChaos.Settings("chaos50",
                10, 12, 0.25, 0.3, 4, 2, FaultyApiProxy.Faults.chaos(), seed));
        System.out.println(figures.report());
        String why = figures.report() + "\n" + String.join("\n", figures.problems());

        assertEquals(List.of(), figures.unexpectedExits(), why);
        assertTrue(figures.sigkills() + figures.sigterms() >= 10, "interrupted only "
                + (figures.sigkills() + figures.sigterms()) + " times before the sweep ended\n" + why);
        assertEquals(50 + 4 + 2 * 2, figures.jobsExpected());
        assertEquals(figures.jobsExpected(), figures.jobsCreated(), why);
        assertEquals(0, figures.recreatedJobs(), why);
        assertEquals(0, figures.extraJobs(), why);
        assertEquals(0, figures.runsOverAttemptLimit(), why);
        assertEquals(0, figures.podsRunTwice(), why);
        assertEquals(0, figures.lostRuns(), why);
        assertEquals(0, figures.ledgerMismatches(), why);
        assertTrue(figures.faults().values().stream().mapToInt(Integer::intValue).sum() > 0,
                "the proxy injected no fault: " + why);

        Path statusLog = shared.resolve("status.log");
        Process status = SchedulerProcess.start(statusLog, "status", shared.resolve("sweeps/chaos50").toString(),
                "--kubeconfig", cluster.kubeconfig.toString());
        assertTrue(status.waitFor(120, TimeUnit.SECONDS), "status did not end in 2 minutes");
        String shown = Files.readString(statusLog);
        assertTrue(shown.contains("50 runs: {SUCCEEDED=48, FAILED=2}"), shown);
        assertTrue(shown.contains("up to 3 attempts per run"), "the cluster config's policy, kept with the sweep:\n"
                + shown);
        assertEquals(3, status.exitValue(), "status of a sweep with failed runs\n" + shown);

        // The credential the schedulers used appears in no log, no file of the sweep, no object on the cluster.
        String token = Files.readAllLines(cluster.kubeconfig).stream().map(String::strip)
                .filter(l -> l.startsWith("token:")).map(l -> l.substring("token:".length()).strip()).findFirst()
                .orElseThrow();
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(shared)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".kubeconfig"))
                    .toList()) {
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(token)) {
                    leaks.add(file.toString());
                }
            }
        }
        CoreV1Api core = new CoreV1Api(cluster.client);
        String objects = core.listNamespacedConfigMap(TestCluster.NAMESPACE).execute().toString()
                + new BatchV1Api(cluster.client).listNamespacedJob(TestCluster.NAMESPACE).execute().toString()
                + core.listNamespacedEvent(TestCluster.NAMESPACE).execute().toString();
        if (objects.contains(token)) {
            leaks.add("the namespace's ConfigMaps, Jobs or Events");
        }
        assertEquals(List.of(), leaks, "the kubeconfig's token leaked");
    }
}
