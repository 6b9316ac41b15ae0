package io.isoflop.scheduler.launch.k8s;

import io.isoflop.scheduler.FinalMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.scheduler.cli.SchedulerProcess;
import io.isoflop.scheduler.spec.SpecText;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50-run sweep on a real API server, job controller and kube-scheduler, driven by {@code isoflop sweep --backend
 * kubernetes} in its own JVM that is killed (SIGKILL) at a dozen random instants while it dispatches and follows
 * Jobs, and started again each time.
 * The test plays the kubelet and the workers: a pod bound to a node "trains" for a moment, then its final
 * metrics file appears on the shared volume and the pod is marked Succeeded. At the end exactly 50 Jobs were
 * ever created and every run completed once.
 */
class KubernetesSweepRestartIT {
    private static final String SWEEP = "restart50";
    private static final int RUNS = 50;
    private static final int KILLS = 12;
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
    void killedAtRandomInstantsTheSchedulerNeverDuplicatesOrForgetsARun(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path shared) throws Exception {
        Path spec = writeSpec(shared);
        Path config = writeClusterConfig(shared);
        Path metricsDir = shared.resolve("sweeps").resolve(SWEEP).resolve("metrics");
        BatchV1Api batch = new BatchV1Api(cluster.client);
        CoreV1Api core = new CoreV1Api(cluster.client);

        Set<String> jobsEverCreated = ConcurrentHashMap.newKeySet();
        SharedInformerFactory informers = new SharedInformerFactory(cluster.client);
        SharedIndexInformer<V1Job> jobs = informers.sharedIndexInformerFor(params -> batch
                .listNamespacedJob(TestCluster.NAMESPACE).labelSelector(RunNames.sweepSelector(SWEEP))
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds)
                .watch(params.watch).buildCall(null), V1Job.class, V1JobList.class);
        jobs.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Job job) {
                jobsEverCreated.add(job.getMetadata().getName());
            }

            @Override
            public void onUpdate(V1Job before, V1Job after) {}

            @Override
            public void onDelete(V1Job job, boolean stateUnknown) {}
        });
        informers.startAllRegisteredInformers();
        long seed = System.nanoTime();
        System.out.println("kill schedule seed: " + seed);
        Random random = new Random(seed);
        FakeKubelet kubelet = new FakeKubelet(core, RunNames.sweepSelector(SWEEP), new Random(seed + 1), pod -> {
            // the worker's final metrics file: the run is done
            FinalMetrics.write(metricsDir, pod.getMetadata().getLabels().get(RunNames.LABEL_RUN),
                    System.currentTimeMillis());
        });
        kubelet.start();
        try {
            int kills = 0;
            for (int life = 1; life <= KILLS; life++) {
                Path log = shared.resolve("life-" + life + ".log");
                Process scheduler = startScheduler(spec, config, log);
                awaitDispatching(scheduler, log);
                boolean ended = scheduler.waitFor(random.nextInt(1500), TimeUnit.MILLISECONDS);
                if (ended) {
                    assertEquals(0, scheduler.exitValue(), Files.readString(shared.resolve("life-" + life + ".log")));
                    break;
                }
                scheduler.destroyForcibly().waitFor();
                kills++;
                System.out.println("kill " + kills + ": " + finalFilesByRun(metricsDir).size() + " runs done");
            }
            assertTrue(kills >= 10, "the scheduler was killed only " + kills + " times before the sweep ended");

            Process last = startScheduler(spec, config, shared.resolve("last.log"));
            if (!last.waitFor(180, TimeUnit.SECONDS)) {
                last.destroyForcibly().waitFor();
                throw new AssertionError("the last scheduler did not finish in 3 minutes:\n"
                        + tail(shared.resolve("last.log")));
            }
            assertEquals(0, last.exitValue(), Files.readString(shared.resolve("last.log")));
        } finally {
            kubelet.interrupt();
            informers.stopAllRegisteredInformers();
        }

        List<V1Job> present = batch.listNamespacedJob(TestCluster.NAMESPACE)
                .labelSelector(RunNames.sweepSelector(SWEEP)).execute().getItems();
        assertEquals(RUNS, present.size(), "one Job per run");
        assertEquals(RUNS, jobsEverCreated.size(), "exactly 50 Jobs were ever created: " + jobsEverCreated.size());
        Set<String> runsWithJobs = present.stream()
                .map(j -> j.getMetadata().getLabels().get(RunNames.LABEL_RUN)).collect(Collectors.toSet());
        assertEquals(RUNS, runsWithJobs.size(), "no run has two Jobs");
        assertTrue(present.stream().allMatch(j -> JobOutcomes.exitCode(j).orElse(-1) == 0), "every Job completed");

        Map<String, Integer> finals = finalFilesByRun(metricsDir);
        assertEquals(RUNS, finals.size(), "every run finished");
        assertTrue(finals.values().stream().allMatch(n -> n == 1), "every run completed exactly once: " + finals);
        assertEquals(RUNS, kubelet.completed.size(), "no pod was run twice");

        String ledger = core.readNamespacedConfigMap(RunNames.sweepObjectName(SWEEP), TestCluster.NAMESPACE)
                .execute().getData().get(SweepConfigMap.KEY_RUNS);
        assertFalse(ledger.contains("F") || ledger.contains("R") || ledger.contains("X"),
                "no attempt counted failed, none left running:\n" + ledger);

        Path statusLog = shared.resolve("status.log");
        Process status = SchedulerProcess.start(statusLog, "status", shared.resolve("sweeps").resolve(SWEEP).toString(),
                "--kubeconfig", cluster.kubeconfig.toString());
        assertTrue(status.waitFor(120, TimeUnit.SECONDS), "status did not end in 2 minutes");
        String shown = Files.readString(statusLog);
        assertEquals(0, status.exitValue(), shown);
        assertTrue(shown.contains(RUNS + " runs: {SUCCEEDED=" + RUNS + "}"), shown);
        assertTrue(shown.contains("up to 3 attempts per run"), "the cluster config's policy, kept with the sweep:\n"
                + shown);
        assertTrue(shown.lines().filter(l -> l.contains(" succeeded ")).allMatch(l -> l.matches(".* succeeded +1 .*")),
                "each run's one attempt, read from the sweep's ConfigMap:\n" + shown);

        // The credential the schedulers used appears in no log, no file of the sweep, no object on the cluster.
        String token = Files.readAllLines(cluster.kubeconfig).stream().map(String::strip)
                .filter(l -> l.startsWith("token:")).map(l -> l.substring("token:".length()).strip()).findFirst()
                .orElseThrow();
        List<String> leaks = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.walk(shared)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(token)) {
                    leaks.add(file.toString());
                }
            }
        }
        String objects = core.listNamespacedConfigMap(TestCluster.NAMESPACE).execute().toString()
                + batch.listNamespacedJob(TestCluster.NAMESPACE).execute().toString()
                + core.listNamespacedEvent(TestCluster.NAMESPACE).execute().toString();
        if (objects.contains(token)) {
            leaks.add("the namespace's ConfigMaps, Jobs or Events");
        }
        assertEquals(List.of(), leaks, "the kubeconfig's token leaked");
    }

    /**
     * Waits until the scheduler has its informers synced and is about to dispatch (it prints the sweep line), so
     * that the kill lands while Jobs are being created and followed, not during JVM start-up.
     */
    private static void awaitDispatching(Process scheduler, Path log) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (scheduler.isAlive() && !Files.readString(log).contains("sweep " + SWEEP + ":")) {
            assertTrue(System.nanoTime() < deadline, "the scheduler did not start within 60 s:\n" + tail(log));
            Thread.sleep(20);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Process startScheduler(Path spec, Path config, Path log) throws IOException {
        return SchedulerProcess.start(log, "sweep", spec.toString(), "--backend", "kubernetes", "--cluster-config",
                config.toString(), "--kubeconfig", cluster.kubeconfig.toString(), "--no-fit", "--heartbeat", "1");
    }

    /**
     * 10 budgets × 5 sizes, its directory on the "shared volume"; at most 2 Jobs at once, so that the sweep needs
     * more scheduler lives than there are kills (about 3 runs finish per life).
     */
    private static Path writeSpec(Path shared) throws IOException {
        String yaml = SpecText.minimal()
                .with("sweep", "{name: " + SWEEP + ", output: '" + shared.resolve("sweeps") + "', seed: 5}")
                .with("budgets", "{flops: [1e11, 1.5e11, 2e11, 3e11, 4e11, 6e11, 8e11, 1e12, 1.5e12, 2e12]}")
                .with("resources", "{gpus: 1, gpu_type: test, cpu: 1, memory: 1Gi}")
                .with("limits", "{max_parallel: 2, max_runs: 100}")
                .yaml();
        Path spec = shared.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        return spec;
    }

    private static Path writeClusterConfig(Path shared) throws IOException {
        Path config = shared.resolve("scheduler.yaml");
        Files.writeString(config, String.join("\n",
                "namespace: " + TestCluster.NAMESPACE,
                "worker: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-worker], serviceAccountName: default}",
                "fitter: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-fitter], cpu: 1, memory: 1Gi}",
                "shared: {claim: isoflop-data, mountPath: '" + shared + "'}",
                "jobs: {activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 3600, runAsUser: 1000}",
                "retries: {maxAttempts: 3, maxFailedRuns: 0, backoffSeconds: 1, maxBackoffSeconds: 5}", ""));
        return config;
    }

    private static Map<String, Integer> finalFilesByRun(Path metricsDir) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        if (!Files.isDirectory(metricsDir)) {
            return counts;
        }
        try (Stream<Path> runs = Files.list(metricsDir)) {
            for (Path run : runs.toList()) {
                try (Stream<Path> files = Files.list(run)) {
                    counts.put(run.getFileName().toString(), (int) files
                            .filter(f -> f.getFileName().toString().endsWith(MetricsLayout.FINAL_SUFFIX)).count());
                }
            }
        }
        return counts;
    }
}
