package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubernetes.client.util.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * k8s/example-spec.yaml carries the quickstart spec kept on the cluster's bucket: the same text as
 * examples/quickstart.yaml except its sweep.output line, and that spec loads with an object store output.
 */
class ExampleSpecManifestTest {

    @Test
    void exampleSpecConfigMapHoldsTheQuickstartSpecOnTheBucket() throws Exception {
        V1ConfigMap map = (V1ConfigMap) Yaml.load(Path.of("..", "k8s", "example-spec.yaml").toFile());
        String spec = map.getData().get("spec.yaml");
        List<String> cluster = spec.lines().toList();
        List<String> local = Files.readString(Path.of("..", "examples", "quickstart.yaml")).lines().toList();

        assertEquals(local.size(), cluster.size());
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < local.size(); i++) {
            if (!local.get(i).equals(cluster.get(i))) {
                differing.add(cluster.get(i).strip());
            }
        }
        assertEquals(1, differing.size(), "only sweep.output differs: " + differing);
        assertTrue(differing.get(0).startsWith("output: s3://"), differing.get(0));

        BudgetSpec loaded = BudgetSpecLoader.parse(spec, "k8s/example-spec.yaml");
        assertEquals("quickstart", loaded.sweep().name());
        assertTrue(loaded.sweep().onObjectStore(), "the example keeps its sweep on the bucket");
    }

    @Test
    void exampleSweepResourceHoldsTheSameSpec() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode resource = yaml.readTree(Path.of("..", "k8s", "sweeps", "quickstart.yaml").toFile());
        assertEquals("isoflop.io/v1alpha1", resource.path("apiVersion").asText());
        assertEquals("IsoFlopSweep", resource.path("kind").asText());
        assertEquals("quickstart", resource.path("metadata").path("name").asText());
        V1ConfigMap map = (V1ConfigMap) Yaml.load(Path.of("..", "k8s", "example-spec.yaml").toFile());
        assertEquals(yaml.readTree(map.getData().get("spec.yaml")), resource.path("spec"));
        BudgetSpec loaded = BudgetSpecLoader.parse(resource.path("spec").toString(), "k8s/sweeps/quickstart.yaml");
        assertEquals(resource.path("metadata").path("name").asText(), loaded.sweep().name());
    }
}
