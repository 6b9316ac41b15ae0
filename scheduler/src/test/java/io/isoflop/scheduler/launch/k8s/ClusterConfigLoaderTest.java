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

    private static ClusterConfig load(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, yaml);
        return ClusterConfigLoader.load(file);
    }
}
