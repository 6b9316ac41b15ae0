package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What KubernetesManifestsIT's dry-run of k8s/ does not cover, against the same real Kubernetes 1.20 API server
 * (k8s-test/start-cluster.sh): the non-CRD files of k8s/optional pass a server-side dry-run and grant the Spark
 * driver what it needs and no more; and k8s/ applied for real is stored as written: a 1.20 server silently drops
 * fields it does not know, so the hardening and probes are read back from the server.
 * Skipped without the binaries, unless ISOFLOP_K8S_REQUIRED=true.
 */
class DeployManifestsClusterIT {
    private static Path workDir;
    private static Path kubeconfig;

    @BeforeAll
    static void startCluster() throws Exception {
        Path bin = Path.of(System.getenv().getOrDefault("ISOFLOP_K8S_BIN",
                System.getProperty("user.home") + "/.cache/isoflop/k8s-1.20.2/bin"));
        DeployFiles.assumeTool(Files.isExecutable(bin.resolve("kube-apiserver")), "ISOFLOP_K8S_REQUIRED",
                "no kube-apiserver in " + bin + " (k8s-test/build-binaries.sh builds it)");
        workDir = Files.createTempDirectory("isoflop-deploy-k8s-");
        // outside workDir: start-cluster.sh starts from a clean workdir. No fake nodes: nothing here schedules pods
        Path started = Files.createTempFile("isoflop-deploy-kubeconfig-", ".path");
        DeployFiles.Result start = DeployFiles.run(List.of("bash", "-c",
                "ISOFLOP_K8S_NODES=0 bash k8s-test/start-cluster.sh \"$0\" --owner-pid \"$1\" > \"$2\"",
                workDir.toString(), Long.toString(ProcessHandle.current().pid()), started.toString()), 180);
        assertEquals(0, start.exitCode(), "the test cluster did not start: " + start.output());
        kubeconfig = Path.of(Files.readString(started).trim());
        Files.delete(started);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (workDir != null) {
            DeployFiles.run(List.of("bash", "k8s-test/stop-cluster.sh", workDir.toString(), "--purge"), 60);
        }
    }

    @Test
    void theOptionalSparkAccountPassesDryRunAndMayManageExecutorPodsOnly() throws Exception {
        assertOk(kubectl("apply", "-f", "k8s/namespace.yaml"));
        assertOk(kubectl("apply", "--dry-run=server", "-f", "k8s/optional/spark-rbac.yaml"));
        assertOk(kubectl("apply", "-f", "k8s/optional/spark-rbac.yaml"));

        String spark = "system:serviceaccount:isoflop:isoflop-spark";
        assertCan("yes", spark, "create", "pods", "-n", "isoflop");
        assertCan("yes", spark, "delete", "services", "-n", "isoflop");
        assertCan("no", spark, "get", "secrets", "-n", "isoflop");
        assertCan("no", spark, "create", "jobs.batch", "-n", "isoflop");
        assertCan("no", spark, "create", "pods", "-n", "default");
    }

    @Test
    void theSchedulerDeploymentIsStoredAsWritten() throws Exception {
        assertOk(kubectl("apply", "-f", "k8s/namespace.yaml"));
        assertOk(kubectl("apply", "-f", "k8s/"));

        JsonNode deployment = DeployFiles.JSON.readTree(
                assertOk(kubectl("get", "-n", "isoflop", "deployment/isoflop-scheduler", "-o", "json")));
        assertEquals("Recreate", deployment.at("/spec/strategy/type").asText());
        assertEquals(1, deployment.at("/spec/replicas").asInt());
        JsonNode pod = deployment.at("/spec/template/spec");
        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());
        assertEquals(1000, pod.at("/securityContext/runAsUser").asInt());
        JsonNode container = pod.at("/containers/0");
        assertEquals("/-/healthy", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("metrics", container.at("/livenessProbe/httpGet/port").asText());
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText());
        assertEquals("1Gi", pod.at("/volumes").findValue("sizeLimit").asText());

        JsonNode claim = DeployFiles.JSON.readTree(
                assertOk(kubectl("get", "-n", "isoflop", "pvc/isoflop-data", "-o", "json")));
        assertEquals("ReadWriteMany", claim.at("/spec/accessModes/0").asText());
        assertEquals("500Gi", claim.at("/spec/resources/requests/storage").asText());
    }

    private static void assertCan(String expected, String user, String... question) throws Exception {
        List<String> args = new ArrayList<>(List.of("auth", "can-i"));
        args.addAll(List.of(question));
        args.addAll(List.of("--as", user));
        DeployFiles.Result answer = kubectl(args.toArray(String[]::new));
        String[] lines = answer.output().trim().split("\n");
        assertEquals(expected, lines[lines.length - 1].trim(), String.join(" ", question) + ": " + answer.output());
    }

    private static String assertOk(DeployFiles.Result result) {
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }

    private static DeployFiles.Result kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return DeployFiles.run(command, 120);
    }
}
