package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.util.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** k8s/example-spec.yaml must carry exactly the quickstart spec, and that spec must load. */
class ExampleSpecManifestTest {

    @Test
    void exampleSpecConfigMapHoldsTheQuickstartSpec() throws Exception {
        V1ConfigMap map = (V1ConfigMap) Yaml.load(Path.of("..", "k8s", "example-spec.yaml").toFile());
        String spec = map.getData().get("spec.yaml");

        assertEquals(Files.readString(Path.of("..", "examples", "quickstart.yaml")), spec);
        assertEquals("quickstart", BudgetSpecLoader.parse(spec, "k8s/example-spec.yaml").sweep().name());
    }
}
