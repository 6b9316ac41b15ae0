package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * k8s/optional/fitter-sparkapplication.yaml, checked structurally: the test API server has no Spark operator CRD,
 * so no dry-run can check it. It must run the fitter's main class on the quickstart sweep's metrics, with the
 * shared claim mounted where those paths live in the driver and in every executor.
 */
class SparkApplicationManifestTest {
    private static final String FILE = "k8s/optional/fitter-sparkapplication.yaml";

    @Test
    void runsTheFitterMainClassOnTheQuickstartMetrics() throws Exception {
        JsonNode app = DeployFiles.yaml(FILE);

        assertEquals("sparkoperator.k8s.io/v1beta2", app.get("apiVersion").asText());
        assertEquals("SparkApplication", app.get("kind").asText());
        assertEquals("isoflop", app.get("metadata").get("namespace").asText());
        JsonNode spec = app.get("spec");
        assertEquals("Java", spec.get("type").asText());
        assertEquals("cluster", spec.get("mode").asText());
        assertEquals("io.isoflop.fitter.FitterMain", spec.get("mainClass").asText());
        assertTrue(DeployFiles.repo("fitter/src/main/java/io/isoflop/fitter/FitterMain.java").toFile().isFile());
        assertTrue(spec.get("mainApplicationFile").asText().startsWith("local:///"),
                "the fitter jar is baked into the image");
        assertEquals(List.of("--metrics", "/data/sweeps/quickstart/metrics", "--out", "/data/sweeps/quickstart/fit"),
                strings(spec.get("arguments")));
        // FitterMain keeps spark-submit's master when given none: no --master in the arguments
        assertTrue(!strings(spec.get("arguments")).contains("--master"));
    }

    @Test
    void driverAndExecutorsMountTheSharedClaimAtData() throws Exception {
        JsonNode spec = DeployFiles.yaml(FILE).get("spec");
        String claim = DeployFiles.yaml("k8s/storage.yaml").get("metadata").get("name").asText();

        List<String> claimVolumes = new ArrayList<>();
        for (JsonNode volume : spec.get("volumes")) {
            if (volume.path("persistentVolumeClaim").path("claimName").asText().equals(claim)) {
                claimVolumes.add(volume.get("name").asText());
            }
        }
        assertEquals(1, claimVolumes.size(), "one volume for claim " + claim);
        for (String role : List.of("driver", "executor")) {
            JsonNode mounts = spec.get(role).get("volumeMounts");
            boolean mounted = false;
            for (JsonNode mount : mounts) {
                mounted |= mount.get("name").asText().equals(claimVolumes.get(0))
                        && mount.get("mountPath").asText().equals("/data");
            }
            assertTrue(mounted, role + " does not mount " + claim + " at /data");
            assertEquals(1000, spec.get(role).get("securityContext").get("runAsUser").asInt(), role);
        }
        assertTrue(spec.get("executor").get("instances").asInt() >= 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
