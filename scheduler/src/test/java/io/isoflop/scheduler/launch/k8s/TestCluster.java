package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver, etcd, kube-controller-manager and kube-scheduler on 127.0.0.1, with fake GPU nodes,
 * started by {@code k8s-test/start-cluster.sh} from binaries that {@code k8s-test/build-binaries.sh} builds.
 * Without the binaries the tests are skipped, unless {@code ISOFLOP_K8S_REQUIRED=true} (set by CI), where that
 * is a failure.
 */
public final class TestCluster implements AutoCloseable {
    static final String NAMESPACE = "isoflop-test";
    static final Path HOME = Path.of(System.getProperty("isoflop.home", "..")).toAbsolutePath().normalize();

    private final Path workDir;
    public final Path kubeconfig;
    final ApiClient client;

    private TestCluster(Path workDir, Path kubeconfig, ApiClient client) {
        this.workDir = workDir;
        this.kubeconfig = kubeconfig;
        this.client = client;
    }

    public static TestCluster start() throws IOException, InterruptedException {
        Path bin = Path.of(System.getenv().getOrDefault("ISOFLOP_K8S_BIN",
                System.getProperty("user.home") + "/.cache/isoflop/k8s-1.20.2/bin"));
        boolean present = Files.isExecutable(bin.resolve("kube-apiserver"));
        if (!present && "true".equals(System.getenv("ISOFLOP_K8S_REQUIRED"))) {
            throw new IllegalStateException("no kube-apiserver in " + bin + ": run k8s-test/build-binaries.sh");
        }
        assumeTrue(present, "no kube-apiserver in " + bin + " (k8s-test/build-binaries.sh builds it)");
        Path workDir = Files.createTempDirectory("isoflop-k8s-");
        Process start = new ProcessBuilder("bash", HOME.resolve("k8s-test/start-cluster.sh").toString(),
                workDir.toString(), "--owner-pid", Long.toString(ProcessHandle.current().pid()))
                .redirectError(workDir.resolve("start.log").toFile())
                .start();
        String stdout = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!start.waitFor(180, TimeUnit.SECONDS) || start.exitValue() != 0) {
            throw new IllegalStateException("the test cluster did not start: "
                    + Files.readString(workDir.resolve("start.log")));
        }
        ApiClient client = Config.fromConfig(stdout);
        client.setReadTimeout(0);
        return new TestCluster(workDir, Path.of(stdout), client);
    }

    /**
     * A bound ReadWriteMany claim in the test namespace (a hostPath volume behind it), like the shared volume
     * every worker mounts: the real kube-scheduler places no pod whose claim is missing or unbound.
     */
    void createSharedClaim(String claim) throws Exception {
        CoreV1Api core = new CoreV1Api(client);
        core.createPersistentVolume(new V1PersistentVolume()
                .metadata(new V1ObjectMeta().name(claim + "-pv"))
                .spec(new V1PersistentVolumeSpec()
                        .capacity(Map.of("storage", new Quantity("1Gi")))
                        .accessModes(List.of("ReadWriteMany"))
                        .storageClassName("")
                        .hostPath(new V1HostPathVolumeSource().path("/tmp/" + claim))))
                .execute();
        core.createNamespacedPersistentVolumeClaim(TestCluster.NAMESPACE, new V1PersistentVolumeClaim()
                .metadata(new V1ObjectMeta().name(claim))
                .spec(new V1PersistentVolumeClaimSpec()
                        .accessModes(List.of("ReadWriteMany"))
                        .storageClassName("")
                        .volumeName(claim + "-pv")
                        .resources(new V1VolumeResourceRequirements().requests(Map.of("storage",
                                new Quantity("1Gi"))))))
                .execute();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"Bound".equals(core.readNamespacedPersistentVolumeClaim(claim, TestCluster.NAMESPACE)
                .execute().getStatus().getPhase())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the test volume claim " + claim + " was not bound within 60 s");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Writes {@code shared/scheduler.yaml}: this cluster's namespace, test images, the claim {@code isoflop-data}
     * mounted at {@code shared} (so that the sweep's files mean the same to the test and the "pods"), and a retry
     * policy of {@code maxAttempts} with {@code maxFailedRuns} runs allowed to fail for good.
     */
    static Path writeSchedulerConfig(Path shared, int maxAttempts, int maxFailedRuns) throws IOException {
        Path file = shared.resolve("scheduler.yaml");
        Files.writeString(file, String.join("\n",
                "namespace: " + NAMESPACE,
                "worker: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-worker], serviceAccountName: default}",
                "fitter: {image: 'isoflop:test', command: [/opt/isoflop/isoflop-fitter], cpu: 1, memory: 1Gi}",
                "shared: {claim: isoflop-data, mountPath: '" + shared + "'}",
                "jobs: {activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 3600, runAsUser: 1000}",
                "retries: {maxAttempts: " + maxAttempts + ", maxFailedRuns: " + maxFailedRuns
                        + ", backoffSeconds: 1, maxBackoffSeconds: 4}", ""));
        return file;
    }

    /** Runs kubectl (in the image, or installed by CI) against this cluster; returns its exit code and output. */
    public KubectlResult kubectl(String... args) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kubectl", "--kubeconfig",
                kubeconfig.toString()));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(120, TimeUnit.SECONDS);
        return new KubectlResult(process.exitValue(), output);
    }

    public record KubectlResult(int exitCode, String output) {}

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("bash", HOME.resolve("k8s-test/stop-cluster.sh").toString(), workDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(60, TimeUnit.SECONDS);
    }
}
