package io.isoflop.scheduler.launch.k8s;

import io.isoflop.scheduler.FinalMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.service.SchedulerService;
import io.isoflop.scheduler.launch.k8s.ClusterConfig;
import io.isoflop.scheduler.launch.k8s.ClusterConfigLoader;
import io.isoflop.scheduler.spec.SpecText;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.prometheus.client.CollectorRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isoflop scheduler serve} against a real API server, job controller and kube-scheduler: a budget spec
 * ConfigMap becomes a sweep of Jobs, then a fitter Job, and the sweep's ConfigMap says done; a spec that does not
 * validate is annotated with the field at fault; a restarted service creates nothing new for a finished sweep.
 */
class SchedulerServeIT {
    private static final String SWEEP = "served";
    private static TestCluster cluster;
    private static CoreV1Api core;
    private static BatchV1Api batch;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        cluster.createSharedClaim("isoflop-data");
        core = new CoreV1Api(cluster.client);
        batch = new BatchV1Api(cluster.client);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSpecConfigMapIsDrivenToAFittedFrontierAndARestartAddsNothing(@TempDir Path shared) throws Exception {
        Path config = shared.resolve("scheduler.yaml");
        Files.writeString(config, String.join("\n",
                "namespace: " + TestCluster.NAMESPACE,
                "worker: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-worker], serviceAccountName: default}",
                "fitter: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-fitter], cpu: 1, memory: 1Gi}",
                "shared: {claim: isoflop-data, mountPath: '" + shared + "'}",
                "retries: {maxAttempts: 2, maxFailedRuns: 0, backoffSeconds: 1, maxBackoffSeconds: 2}", ""));
        ClusterConfig cluster = ClusterConfigLoader.load(config);
        Path sweepDir = shared.resolve("sweeps").resolve(SWEEP);
        FakeKubelet kubelet = new FakeKubelet(core, "app.kubernetes.io/name=isoflop", new Random(11), pod -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            if ("fitter".equals(labels.get(RunNames.LABEL_ROLE))) {
                Path file = sweepDir.resolve("fit/frontier.json");
                Files.createDirectories(file.getParent());
                Files.writeString(file, "{}");
            } else {
                FinalMetrics.write(sweepDir.resolve("metrics"), labels.get(RunNames.LABEL_RUN),
                        System.currentTimeMillis());
            }
            return 0;
        });
        kubelet.start();
        createSpec("isoflop-spec-good", SpecText.minimal()
                .with("sweep", "{name: " + SWEEP + ", output: sweeps, seed: 3}")
                .with("resources", "{gpus: 1, gpu_type: test, cpu: 1, memory: 1Gi}")
                .with("limits", "{max_parallel: 4}")
                .yaml());
        createSpec("isoflop-spec-bad", SpecText.minimal().with("budgets", "{flops: [-1e11]}").yaml());

        CollectorRegistry registry = new CollectorRegistry();
        StringWriter log = new StringWriter();
        try (Serving first = Serving.start(cluster, registry, log, shared)) {
            String status = awaitStatus(s -> s.startsWith("done"), Duration.ofSeconds(120), log::toString);
            assertTrue(status.contains("frontier " + sweepDir.resolve("fit/frontier.json")), status);
            String problem = awaitAnnotation("isoflop-spec-bad", Duration.ofSeconds(30));
            assertTrue(problem.contains("budgets.flops"), "the problem names the field: " + problem);
        }
        int runs = 10;
        assertEquals(runs, workerJobs().size(), "one Job per run");
        assertEquals(1, fitterJobs().size(), "one fitter Job");
        assertEquals((double) runs, registry.getSampleValue("isoflop_runs", new String[] {"sweep", "state"},
                new String[] {SWEEP, "succeeded"}));
        assertTrue(registry.getSampleValue("isoflop_reconcile_duration_seconds_count") > 0);

        StringWriter again = new StringWriter();
        try (Serving second = Serving.start(cluster, new CollectorRegistry(), again, shared)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!again.toString().contains("done (")) {
                assertTrue(System.nanoTime() < deadline, "the restarted service did not confirm the sweep:\n" + again);
                Thread.sleep(200);
            }
        }
        assertEquals(runs, workerJobs().size(), "a restarted service starts no run again");
        assertEquals(1, fitterJobs().size(), "nor the fitter");
        kubelet.interrupt();
    }

    /** The service on a thread of its own, closed (as by SIGTERM) at the end. */
    private record Serving(SchedulerService service, Thread thread) implements AutoCloseable {
        static Serving start(ClusterConfig config, CollectorRegistry registry, StringWriter log, Path workingDir) {
            SchedulerService service = new SchedulerService(SchedulerServeIT.cluster.client, config,
                    new SchedulerMetrics(registry), new PrintWriter(log, true), workingDir, Duration.ofSeconds(5));
            Thread thread = new Thread(() -> {
                try {
                    service.serve(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            return new Serving(service, thread);
        }

        @Override
        public void close() throws Exception {
            service.close();
            thread.join(30_000);
        }
    }

    private static void createSpec(String name, String yaml) throws ApiException {
        core.createNamespacedConfigMap(TestCluster.NAMESPACE, new V1ConfigMap()
                .metadata(new V1ObjectMeta().name(name).labels(Map.of(SchedulerService.SPEC_LABEL, "true")))
                .data(Map.of(SchedulerService.SPEC_KEY, yaml))).execute();
    }

    private static String awaitStatus(java.util.function.Predicate<String> done, Duration timeout,
            Supplier<String> log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            try {
                status = core.readNamespacedConfigMap(RunNames.sweepObjectName(SWEEP), TestCluster.NAMESPACE)
                        .execute().getData().get(SweepConfigMap.KEY_STATUS);
            } catch (ApiException e) {
                status = null; // not created yet
            }
            if (status != null && done.test(status)) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sweep's status is " + status + " after " + timeout + ":\n" + log.get());
    }

    private static String awaitAnnotation(String spec, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, String> annotations = core.readNamespacedConfigMap(spec, TestCluster.NAMESPACE).execute()
                    .getMetadata().getAnnotations();
            if (annotations != null && annotations.containsKey(SchedulerService.PROBLEM_ANNOTATION)) {
                return annotations.get(SchedulerService.PROBLEM_ANNOTATION);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no problem annotation on " + spec);
    }

    private static List<V1Job> workerJobs() throws ApiException {
        return batch.listNamespacedJob(TestCluster.NAMESPACE).labelSelector(RunNames.sweepSelector(SWEEP)).execute()
                .getItems();
    }

    private static List<V1Job> fitterJobs() throws ApiException {
        return batch.listNamespacedJob(TestCluster.NAMESPACE).labelSelector(RunNames.fitterSelector(SWEEP)).execute()
                .getItems();
    }
}
