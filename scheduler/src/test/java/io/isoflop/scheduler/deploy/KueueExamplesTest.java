package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.isoflop.scheduler.launch.k8s.ClusterConfigLoader;
import io.isoflop.scheduler.launch.k8s.KubernetesLaunchConfig;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kueue example k8s/kueue/queues.yaml hangs together (Kueue's CRDs are not on the test API server, so this is
 * structural): kueue.x-k8s.io/v1beta1 objects; the LocalQueue {@code isoflop} of namespace isoflop points at a
 * ClusterQueue that admits that namespace; every flavor the ClusterQueue names exists and quotes each covered
 * resource; a GPU quota exists, on a flavor whose node label and taint are those of terraform's GPU node group and
 * whose taint the worker pods tolerate.
 */
class KueueExamplesTest {
    private static final String QUEUES = "k8s/kueue/queues.yaml";
    private static final String API = "kueue.x-k8s.io/v1beta1";
    private static final String GPU = "nvidia.com/gpu";

    @Test
    void everyObjectIsAKueueV1beta1Object() throws Exception {
        List<JsonNode> objects = objects();
        assertTrue(objects.size() >= 3, "found " + objects.size());
        for (JsonNode object : objects) {
            assertEquals(API, object.path("apiVersion").asText(), object.toString());
            assertTrue(Set.of("ResourceFlavor", "ClusterQueue", "LocalQueue").contains(object.path("kind").asText()),
                    object.path("kind").asText());
            assertFalse(object.at("/metadata/name").asText().isEmpty());
            assertEquals("isoflop", object.at("/metadata/labels/app.kubernetes.io~1name").asText());
        }
    }

    @Test
    void theLocalQueueIsoflopFeedsAClusterQueueThatAdmitsItsNamespace() throws Exception {
        JsonNode local = only("LocalQueue");
        assertEquals("isoflop", local.at("/metadata/name").asText(), "what kueue.queueName=isoflop names");
        assertEquals("isoflop", local.at("/metadata/namespace").asText());

        JsonNode cluster = only("ClusterQueue");
        assertEquals(cluster.at("/metadata/name").asText(), local.at("/spec/clusterQueue").asText(),
                "the LocalQueue must point at the ClusterQueue");
        assertTrue(cluster.at("/metadata/namespace").isMissingNode(), "ClusterQueues are cluster-scoped");
        // the namespace's automatic name label (Kubernetes 1.21+) selects exactly the LocalQueue's namespace
        assertEquals(Map.of("kubernetes.io/metadata.name", "isoflop"),
                DeployFiles.JSON.convertValue(cluster.at("/spec/namespaceSelector/matchLabels"), Map.class));
    }

    @Test
    void theClusterQueueHoldsAGpuQuotaOnFlavorsThatExist() throws Exception {
        JsonNode cluster = only("ClusterQueue");
        Set<String> flavors = new TreeSet<>();
        for (JsonNode object : objects()) {
            if (object.path("kind").asText().equals("ResourceFlavor")) {
                flavors.add(object.at("/metadata/name").asText());
            }
        }
        Map<String, Quantity> gpuQuota = new TreeMap<>();
        boolean coversGpus = false;
        for (JsonNode group : cluster.at("/spec/resourceGroups")) {
            List<String> covered = new ArrayList<>();
            group.get("coveredResources").forEach(r -> covered.add(r.asText()));
            if (covered.contains(GPU)) {
                coversGpus = true;
                // a worker pod asks for all three: Kueue admits only pods whose every request is covered
                assertTrue(covered.containsAll(List.of("cpu", "memory")), "covered: " + covered);
            }
            for (JsonNode flavor : group.get("flavors")) {
                String name = flavor.get("name").asText();
                assertTrue(flavors.contains(name), "no ResourceFlavor " + name + " (have " + flavors + ")");
                // Kueue requires each flavor to list the group's covered resources, in order
                List<String> listed = new ArrayList<>();
                for (JsonNode resource : flavor.get("resources")) {
                    listed.add(resource.get("name").asText());
                    Quantity quota = new Quantity(resource.get("nominalQuota").asText());
                    if (resource.get("name").asText().equals(GPU)) {
                        gpuQuota.put(name, quota);
                    }
                }
                assertEquals(covered, listed, name);
            }
        }
        assertTrue(coversGpus, "no resource group covers " + GPU);
        assertTrue(gpuQuota.values().stream().anyMatch(q -> q.getNumber().signum() > 0), "GPU quotas: " + gpuQuota);
    }

    @Test
    void theGpuFlavorIsTheTerraformGpuNodeGroupAndWorkersTolerateIt(@TempDir Path dir) throws Exception {
        JsonNode cluster = only("ClusterQueue");
        String gpuFlavor = null;
        for (JsonNode flavor : cluster.at("/spec/resourceGroups/0/flavors")) {
            for (JsonNode resource : flavor.get("resources")) {
                if (resource.get("name").asText().equals(GPU)
                        && new Quantity(resource.get("nominalQuota").asText()).getNumber().signum() > 0) {
                    gpuFlavor = flavor.get("name").asText();
                }
            }
        }
        assertNotNull(gpuFlavor);
        String name = gpuFlavor;
        JsonNode flavor = objects().stream().filter(o -> o.path("kind").asText().equals("ResourceFlavor")
                && o.at("/metadata/name").asText().equals(name)).findFirst().orElseThrow();

        // the node group's labels and taint in terraform/nodes.tf
        String nodes = Files.readString(DeployFiles.repo("terraform/nodes.tf"));
        assertFalse(flavor.at("/spec/nodeLabels").isEmpty(), "the GPU flavor pins pods to the GPU nodes");
        flavor.at("/spec/nodeLabels").fields().forEachRemaining(label -> assertTrue(
                Pattern.compile("\"" + Pattern.quote(label.getKey()) + "\"\\s*=\\s*\"" + Pattern.quote(
                        label.getValue().asText()) + "\"").matcher(nodes).find(),
                "terraform/nodes.tf does not label nodes " + label));
        assertEquals(1, flavor.at("/spec/nodeTaints").size());
        JsonNode taint = flavor.at("/spec/nodeTaints/0");
        assertTrue(Pattern.compile("taint\\s*\\{\\s*key\\s*=\\s*\"" + Pattern.quote(taint.get("key").asText())
                + "\"\\s*value\\s*=\\s*\"" + Pattern.quote(taint.get("value").asText())
                + "\"\\s*effect\\s*=\\s*\"NO_SCHEDULE\"").matcher(nodes).find(), "terraform's GPU taint: " + taint);
        assertEquals("NoSchedule", taint.get("effect").asText());

        // worker pods (the scheduler config k8s/scheduler-config.yaml) tolerate it, or Kueue never gives them the flavor
        V1ConfigMap configMap = (V1ConfigMap) Yaml.loadAll(DeployFiles.repo("k8s/scheduler-config.yaml").toFile())
                .get(0);
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, configMap.getData().get("scheduler.yaml"));
        KubernetesLaunchConfig config = ClusterConfigLoader.load(file).launch();
        assertTrue(config.placement().tolerations().stream().anyMatch(t -> t.key().equals(taint.get("key").asText())
                && ("Exists".equals(t.operator()) || taint.get("value").asText().equals(t.value()))
                && (t.effect() == null || t.effect().equals(taint.get("effect").asText()))),
                "workers do not tolerate " + taint);
    }

    private static List<JsonNode> objects() throws Exception {
        return DeployFiles.yamlDocuments(DeployFiles.repo(QUEUES));
    }

    private static JsonNode only(String kind) throws Exception {
        List<JsonNode> found = objects().stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), "expected one " + kind);
        return found.get(0);
    }
}
