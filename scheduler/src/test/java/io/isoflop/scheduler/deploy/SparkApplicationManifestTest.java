package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * k8s/optional/fitter-sparkapplication.yaml, checked structurally: the test API server has no Spark operator CRD,
 * so no dry-run can check it. It must run the fitter's main class on the example spec's sweep on the bucket, its
 * driver and executors as the Spark account (which IRSA gives the bucket's role), hardened.
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
        // the example spec's sweep, on the bucket its sweep.output names
        BudgetSpec.Sweep sweep = BudgetSpecLoader.parse(DeployFiles.yaml("k8s/example-spec.yaml").at("/data/spec.yaml")
                .asText(), "k8s/example-spec.yaml").sweep();
        String metrics = sweep.metricsLocation(Path.of("/unused"));
        assertTrue(metrics.startsWith("s3://"), metrics);
        assertEquals(List.of("--metrics", metrics, "--out", metrics.replaceFirst("/metrics$", "/fit")),
                strings(spec.get("arguments")));
        // FitterMain keeps spark-submit's master when given none: no --master in the arguments
        assertTrue(!strings(spec.get("arguments")).contains("--master"));
    }

    @Test
    void driverAndExecutorsRunAsTheSparkAccountHardened() throws Exception {
        JsonNode spec = DeployFiles.yaml(FILE).get("spec");
        String account = DeployFiles.yamlDocuments(DeployFiles.repo("k8s/optional/spark-rbac.yaml")).stream()
                .filter(o -> o.get("kind").asText().equals("ServiceAccount")).findFirst().orElseThrow()
                .at("/metadata/name").asText();

        for (String role : List.of("driver", "executor")) {
            // executors read the objects too: with IRSA both need the account that carries the role
            assertEquals(account, spec.get(role).get("serviceAccount").asText(), role);
            assertEquals(1000, spec.get(role).get("securityContext").get("runAsUser").asInt(), role);
            assertTrue(spec.get(role).get("securityContext").get("runAsNonRoot").asBoolean(), role);
        }
        assertTrue(spec.path("volumes").isMissingNode(), "the bucket needs no volume");
        assertTrue(spec.get("executor").get("instances").asInt() >= 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
