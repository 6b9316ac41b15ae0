package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.testing.S3Endpoint;
import io.isoflop.scheduler.cli.SchedulerProcess;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.spec.SpecText;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.testing.StoredRuns;
import io.isoflop.worker.store.StoreClients;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A sweep on Kubernetes with no shared volume: its output is on a real S3 endpoint (s3proxy on 127.0.0.1), the
 * cluster config names the endpoint and a Secret holding the keys, and each Job's worker (a real process run by
 * {@link ProcessKubelet}, some stopped or killed part-way) gets them by reference. The scheduler sees runs finish
 * through the store, every run ends with every step stored once, and {@code isoflop fit} fits from the objects and
 * stores the report beside them. The secret appears in no Job, log or report.
 */
class KubernetesSweepS3IT {
    private static final String BUCKET = "isoflop-cluster";
    private static final String SECRET = "isoflop-s3-keys";

    @TempDir
    static Path work;
    private static TestCluster cluster;
    private static S3Endpoint endpoint;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(S3Endpoint.available(), "no s3proxy jar (the contracts module's build copies it)");
        cluster = TestCluster.start();
        endpoint = S3Endpoint.start(work);
        System.setProperty("aws.accessKeyId", S3Endpoint.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Endpoint.SECRET_KEY);
        s3 = StoreClients.s3(endpoint.settings());
        s3.createBucket(b -> b.bucket(BUCKET));
        new CoreV1Api(cluster.client).createNamespacedSecret(TestCluster.NAMESPACE, new V1Secret()
                .metadata(new V1ObjectMeta().name(SECRET))
                .stringData(Map.of(JobManifests.ACCESS_KEY_ENV, S3Endpoint.ACCESS_KEY,
                        JobManifests.SECRET_KEY_ENV, S3Endpoint.SECRET_KEY))).execute();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (endpoint != null) {
            endpoint.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jobsTrainIntoTheStoreAndTheFitReadsFromIt(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        String sweep = "storedjobs";
        Path spec = writeSpec(dir, sweep);
        Path config = writeClusterConfig(dir);
        ProcessKubelet kubelet = new ProcessKubelet(new CoreV1Api(cluster.client), RunNames.sweepSelector(sweep),
                dir.resolve("pods"), new Random(11), 0.3);
        kubelet.start();
        Process scheduler;
        try {
            scheduler = SchedulerProcess.start(dir.resolve("scheduler.log"), endpoint.environment(), "sweep",
                    spec.toString(), "--backend", "kubernetes", "--cluster-config", config.toString(),
                    "--kubeconfig", cluster.kubeconfig.toString(), "--no-fit", "--heartbeat", "5");
            assertTrue(scheduler.waitFor(15, TimeUnit.MINUTES), "the sweep ended");
        } finally {
            kubelet.interrupt();
            kubelet.join(10_000);
        }
        String schedulerLog = Files.readString(dir.resolve("scheduler.log"));
        assertEquals(0, scheduler.exitValue(), schedulerLog);

        Path sweepDir = dir.resolve("records").resolve(sweep);
        IsoFlopPlan plan = PlanJson.read(sweepDir.resolve("plan.json"));
        String metricsPrefix = "cluster/" + sweep + "/metrics/";
        StoredRuns stored = new StoredRuns(s3, BUCKET, metricsPrefix);
        Map<String, RunRecord> ledger = KubernetesSweep.ledger(cluster.client, TestCluster.NAMESPACE, sweep);
        int interruptions = kubelet.sigterms.values().stream().mapToInt(Integer::intValue).sum()
                + kubelet.sigkills.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(interruptions >= 1, "some worker pods were stopped or killed part-way");
        List<String> problems = new ArrayList<>();
        for (RunSpec run : plan.runs()) {
            assertEquals(1, stored.finals(run.runId()).size(), run.runId() + ": one final object");
            problems.addAll(stored.stepProblems(run, dir.resolve("fetched")));
            assertEquals(1, ledger.get(run.runId()).count(AttemptRecord.Outcome.SUCCEEDED), run.runId());
        }
        assertEquals(List.of(), problems, "every step of every run stored once");
        assertFalse(Files.exists(sweepDir.resolve("metrics")), "no metrics on the scheduler's disk");

        for (V1Job job : new BatchV1Api(cluster.client).listNamespacedJob(TestCluster.NAMESPACE)
                .labelSelector(RunNames.sweepSelector(sweep)).execute().getItems()) {
            assertNull(job.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getPersistentVolumeClaim() != null).findFirst().orElse(null), "no shared volume");
            for (V1EnvVar env : job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                assertFalse(S3Endpoint.SECRET_KEY.equals(env.getValue()), "the Job carries the key itself");
            }
        }

        Process fit = SchedulerProcess.start(dir.resolve("fit.log"), endpoint.environment(), "fit",
                sweepDir.toString(), "--bootstrap", "10");
        assertTrue(fit.waitFor(5, TimeUnit.MINUTES), "the fit ended");
        String fitLog = Files.readString(dir.resolve("fit.log"));
        assertEquals(0, fit.exitValue(), fitLog);
        assertTrue(stored.keys("cluster/" + sweep + "/fit/").contains("cluster/" + sweep + "/fit/report.html"),
                fitLog);
        assertTrue(fitLog.contains("report: s3://" + BUCKET + "/cluster/" + sweep + "/fit/report.html"), fitLog);

        List<Path> logs = new ArrayList<>(List.of(dir.resolve("scheduler.log"), dir.resolve("fit.log")));
        try (Stream<Path> pods = Files.list(dir.resolve("pods")); Stream<Path> records = Files.walk(sweepDir)) {
            logs.addAll(pods.toList());
            logs.addAll(records.filter(Files::isRegularFile).toList());
        }
        for (Path log : logs) {
            assertFalse(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(S3Endpoint.SECRET_KEY),
                    "the secret key is in " + log);
        }
    }

    /** Tiny real runs, a checkpoint every 20 steps, the output on the store and the records in {@code dir}. */
    private static Path writeSpec(Path dir, String sweep) throws Exception {
        String yaml = SpecText.minimal()
                .with("sweep", "{name: " + sweep + ", output: 's3://" + BUCKET + "/cluster', records: '"
                        + dir.resolve("records") + "', seed: 3}")
                .with("budgets", "{flops: [4e9]}")
                .with("models", "{per_budget: 3, parameters: {min: 2000, max: 16000}}")
                .with("shape", "{context: 32, aspect_ratio: 16, head_dim: 16, width_multiple: 8}")
                .with("dataset", "{eval_tokens: 2048, final_eval_tokens: 8192}")
                .with("batch", "{sequences: 8, min_steps: 100}")
                .with("eval", "{interval_tokens: 32768}")
                .with("checkpoint", "{every_steps: 20}")
                .with("resources", "{gpus: 0, cpu: 1, memory: 1Gi}")
                .with("limits", "{max_parallel: 2}")
                .yaml();
        Path spec = dir.resolve(sweep + ".yaml");
        Files.writeString(spec, yaml);
        return spec;
    }

    /** No shared volume: the object store's endpoint, and the Secret the pods take the keys from. */
    private static Path writeClusterConfig(Path dir) throws Exception {
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, String.join("\n",
                "namespace: " + TestCluster.NAMESPACE,
                "worker: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-worker], serviceAccountName: default}",
                "fitter: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-fitter], cpu: 1, memory: 1Gi}",
                "objectStore: {endpoint: '" + endpoint.url() + "', pathStyle: true, region: us-east-1,"
                        + " credentialsSecret: " + SECRET + "}",
                "jobs: {activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 3600, runAsUser: 1000}",
                "retries: {maxAttempts: 3, maxFailedRuns: 0, backoffSeconds: 1, maxBackoffSeconds: 4}", ""));
        return file;
    }
}
