package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.isoflop.scheduler.launch.k8s.TestCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What KubernetesManifestsIT's dry-run of k8s/ does not cover, against the same real Kubernetes 1.20 API server
 * (k8s-test/start-cluster.sh): the non-CRD files of k8s/optional are accepted and the Spark account is granted what
 * its driver needs and no more; and k8s/ applied for real is stored as written: a 1.20 server silently drops
 * fields it does not know, so the hardening and probes are read back from the server.
 * Skipped without the binaries, unless ISOFLOP_K8S_REQUIRED=true.
 */
class DeployManifestsClusterIT {
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theOptionalSparkAccountPassesDryRunAndMayManageExecutorPodsOnly() throws Exception {
        assertOk(cluster.kubectl("apply", "-f", "k8s/namespace.yaml"));
        assertOk(cluster.kubectl("apply", "--dry-run=server", "-f", "k8s/optional/spark-rbac.yaml"));
        assertOk(cluster.kubectl("apply", "-f", "k8s/optional/spark-rbac.yaml"));

        String spark = "system:serviceaccount:isoflop:isoflop-spark";
        assertCan("yes", spark, "create", "pods", "-n", "isoflop");
        assertCan("yes", spark, "delete", "services", "-n", "isoflop");
        assertCan("no", spark, "get", "secrets", "-n", "isoflop");
        assertCan("no", spark, "create", "jobs.batch", "-n", "isoflop");
        assertCan("no", spark, "create", "pods", "-n", "default");
    }

    @Test
    void theSchedulerDeploymentIsStoredAsWritten() throws Exception {
        assertOk(cluster.kubectl("apply", "-f", "k8s/namespace.yaml"));
        assertOk(cluster.kubectl("apply", "-f", "k8s/"));

        JsonNode deployment = DeployFiles.JSON.readTree(
                assertOk(cluster.kubectl("get", "-n", "isoflop", "deployment/isoflop-scheduler", "-o", "json")));
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
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.at("/volumes").forEach(v -> volumes.put(v.get("name").asText(), v));
        assertEquals("1Gi", volumes.get("tmp").at("/emptyDir/sizeLimit").asText());
        assertEquals("2Gi", volumes.get("data").at("/emptyDir/sizeLimit").asText(), "records only, by default");
    }

    @Test
    void theOptionalSharedVolumeIsAReadWriteManyClaim() throws Exception {
        assertOk(cluster.kubectl("apply", "-f", "k8s/namespace.yaml"));
        assertOk(cluster.kubectl("apply", "-f", "k8s/optional/shared-volume.yaml"));

        JsonNode claim = DeployFiles.JSON.readTree(
                assertOk(cluster.kubectl("get", "-n", "isoflop", "pvc/isoflop-data", "-o", "json")));
        assertEquals("ReadWriteMany", claim.at("/spec/accessModes/0").asText());
        assertEquals("500Gi", claim.at("/spec/resources/requests/storage").asText());
    }

    private static void assertCan(String expected, String user, String... question) throws Exception {
        List<String> args = new ArrayList<>(List.of("auth", "can-i"));
        args.addAll(List.of(question));
        args.addAll(List.of("--as", user));
        TestCluster.KubectlResult answer = cluster.kubectl(args.toArray(String[]::new));
        String[] lines = answer.output().trim().split("\n");
        assertEquals(expected, lines[lines.length - 1].trim(), String.join(" ", question) + ": " + answer.output());
    }

    private static String assertOk(TestCluster.KubectlResult result) {
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }
}
