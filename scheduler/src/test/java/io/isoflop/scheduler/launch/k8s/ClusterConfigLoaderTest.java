package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.scheduler.spec.SpecValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigLoaderTest {
    private static final String GOOD = String.join("\n",
            "namespace: ml",
            "worker:",
            "  image: reg/isoflop:1",
            "  command: [/opt/isoflop/isoflop-worker]",
            "  gpuTypeLabel: isoflop.io/gpu-type",
            "  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]",
            "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms:"
                    + " [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}",
            "fitter: {image: reg/isoflop:1, command: [/opt/isoflop/isoflop-fitter], cpu: 8, memory: 32Gi}",
            "shared: {claim: data, mountPath: /data}",
            "retries: {maxAttempts: 4, maxFailedRuns: 5, backoffSeconds: 10, maxBackoffSeconds: 600}",
            "");

    @Test
    void everySettingIsRead(@TempDir Path dir) throws Exception {
        ClusterConfig config = load(dir, GOOD);
        assertEquals("ml", config.launch().namespace());
        assertEquals("isoflop-worker", config.launch().serviceAccountName(), "default account");
        assertEquals("isoflop.io/gpu-type", config.launch().placement().gpuTypeLabel());
        assertEquals("NoSchedule", config.launch().placement().tolerations().get(0).effect());
        assertTrue(config.launch().placement().affinityJson().contains("nodeSelectorTerms"));
        assertEquals(8, config.launch().fitter().cpu());
        assertEquals(86_400, config.launch().ttlSecondsAfterFinished(), "default TTL");
        assertEquals(4, config.retries().maxAttempts());
        assertEquals(5, config.retries().maxFailedRuns());
        assertEquals(Duration.ofSeconds(10), config.retries().firstBackoff());
    }

    @Test
    void everyProblemIsNamedByItsField(@TempDir Path dir) {
        String bad = GOOD.replace("namespace: ml\n", "")
                .replace("command: [/opt/isoflop/isoflop-worker]", "command: /opt/isoflop/isoflop-worker")
                .replace("mountPath: /data", "mountPath: data")
                .replace("operator: Exists", "operator: Maybe")
                .replace("nodeAffinity:", "nodeAfinity:")
                .replace("backoffSeconds: 10, maxBackoffSeconds: 600", "backoffSeconds: 10, maxBackoffSeconds: 5")
                + "colour: blue\n";
        SpecValidationException e = assertThrows(SpecValidationException.class, () -> load(dir, bad));
        String message = e.getMessage();
        for (String field : new String[] {"namespace: required", "worker.command:", "shared.mountPath:",
            "worker.tolerations[0]:", "worker.affinity:", "retries.maxBackoffSeconds:", "colour: unknown field"}) {
            assertTrue(message.contains(field), "names " + field + ":\n" + message);
        }
    }

    @Test
    void anObjectStoreInstallationNeedsNoSharedVolume(@TempDir Path dir) throws Exception {
        ClusterConfig config = load(dir, GOOD.replace("shared: {claim: data, mountPath: /data}",
                "objectStore: {endpoint: 'http://minio.storage:9000', pathStyle: true, region: eu-west-1,"
                        + " credentialsSecret: minio-keys}"));
        assertEquals(null, config.launch().sharedClaim());
        assertEquals(new KubernetesLaunchConfig.ObjectStoreAccess("http://minio.storage:9000", "eu-west-1", true,
                "minio-keys"), config.launch().objectStore());
        assertEquals(null, load(dir, GOOD).launch().objectStore(), "none declared: AWS S3 through the pods' role");

        SpecValidationException e = assertThrows(SpecValidationException.class, () -> load(dir, GOOD.replace(
                "shared: {claim: data, mountPath: /data}", "objectStore: {endpoint: minio:9000, pathStyle: maybe}")));
        assertTrue(e.getMessage().contains("objectStore.endpoint:") && e.getMessage().contains("objectStore.pathStyle:"),
                e.getMessage());
    }

    @Test
    void podsGetTheStoreAndTheKeysOnlyByReference(@TempDir Path dir) throws Exception {
        ClusterConfig config = load(dir, GOOD.replace("shared: {claim: data, mountPath: /data}",
                "objectStore: {endpoint: 'http://minio.storage:9000', pathStyle: true, credentialsSecret: keys}"));
        var env = JobManifests.withObjectStore(config.launch(), java.util.List.of());
        java.util.Map<String, String> values = new java.util.HashMap<>();
        java.util.Map<String, String> secretKeys = new java.util.HashMap<>();
        for (var variable : env) {
            if (variable.getValue() != null) {
                values.put(variable.getName(), variable.getValue());
            } else {
                secretKeys.put(variable.getName(), variable.getValueFrom().getSecretKeyRef().getName() + "/"
                        + variable.getValueFrom().getSecretKeyRef().getKey());
            }
        }
        assertEquals(java.util.Map.of("ISOFLOP_S3_ENDPOINT", "http://minio.storage:9000", "ISOFLOP_S3_PATH_STYLE",
                "true"), values);
        assertEquals(java.util.Map.of("AWS_ACCESS_KEY_ID", "keys/AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "keys/AWS_SECRET_ACCESS_KEY"), secretKeys);
    }

    private static ClusterConfig load(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, yaml);
        return ClusterConfigLoader.load(file);
    }
}
