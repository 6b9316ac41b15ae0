package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import io.isoflop.scheduler.launch.k8s.ClusterConfig;
import io.isoflop.scheduler.launch.k8s.ClusterConfigLoader;
import io.isoflop.scheduler.sweep.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's deployment manifests in k8s/ hang together: the Deployment runs {@code isoflop scheduler serve}
 * with the config file the ConfigMap provides, hardened, probed on the metrics port its Service exposes; sweeps go to
 * the object store by default and the shared volume (optional/shared-volume.yaml) is an option the config documents
 * in a form its loader reads; the config follows the agreed schema and names the objects that exist. (That each
 * object is valid Kubernetes 1.20 is KubernetesManifestsIT's server-side dry-run.)
 */
class KubernetesDeployManifestsTest {
    private static final String NAMESPACE = "isoflop";

    @Test
    void theSchedulerIsOneReplicaReplacedWithRecreate() throws Exception {
        V1Deployment deployment = deployment();

        assertEquals(1, deployment.getSpec().getReplicas());
        // RollingUpdate would run the new pod next to the old one: two schedulers driving one sweep
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType());
        assertEquals("isoflop-scheduler", pod(deployment).getServiceAccountName());
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()),
                "the selector must match the pod template's labels");
        assertTrue(serviceAccounts().contains("isoflop-scheduler"), "rbac.yaml must define isoflop-scheduler");
    }

    @Test
    void theContainerRunsSchedulerServeWithTheMountedConfigAndTheMetricsPort() throws Exception {
        V1Deployment deployment = deployment();
        V1Container container = container(deployment);

        assertEquals(List.of("/opt/isoflop/isoflop"), container.getCommand());
        assertEquals(List.of("scheduler", "serve", "--config", "/etc/isoflop/scheduler.yaml",
                "--metrics-address", "0.0.0.0", "--metrics-port", "9400"), container.getArgs());

        // --config names a key of the ConfigMap mounted at its folder
        V1Volume config = volumeMountedAt(deployment, "/etc/isoflop");
        assertEquals(configMap().getMetadata().getName(), config.getConfigMap().getName());
        assertTrue(configMap().getData().containsKey("scheduler.yaml"));
        assertTrue(mount(container, "/etc/isoflop").getReadOnly());

        // the working directory holds the sweeps' records (sweep.records "sweeps" is /data/sweeps); by default that is
        // scratch space the pod rebuilds, since run state is in ConfigMaps and metrics on the object store
        assertEquals("/data", container.getWorkingDir());
        assertNotNull(volumeMountedAt(deployment, "/data").getEmptyDir(), "/data is an emptyDir by default");

        assertEquals(9400, container.getPorts().get(0).getContainerPort());
        assertEquals("metrics", container.getPorts().get(0).getName());
    }

    @Test
    void theServiceExposesTheMetricsPortOfTheSchedulerPod() throws Exception {
        V1Deployment deployment = deployment();
        V1Service service = service();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                "the Service must select the scheduler pod");
        var port = service.getSpec().getPorts().get(0);
        assertEquals("metrics", port.getName());
        assertEquals(9400, port.getPort());
        assertEquals("metrics", port.getTargetPort().getStrValue(), "target the container port by name");
    }

    @Test
    void probesAskSimpleclientsHealthEndpointOnTheMetricsPort() throws Exception {
        V1Container container = container(deployment());

        for (V1Probe probe : new V1Probe[] {container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe()}) {
            assertNotNull(probe);
            assertEquals("/-/healthy", probe.getHttpGet().getPath());
            assertEquals("metrics", probe.getHttpGet().getPort().getStrValue());
        }
        // a JVM needs time to start: the startup probe allows at least a minute before liveness applies
        V1Probe startup = container.getStartupProbe();
        assertTrue(startup.getPeriodSeconds() * startup.getFailureThreshold() >= 60);
    }

    @Test
    void thePodRunsHardenedWithAWritableTmpOnly() throws Exception {
        V1Deployment deployment = deployment();
        V1PodSpec pod = pod(deployment);
        V1Container container = container(deployment);

        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(1000L, pod.getSecurityContext().getRunAsUser());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        var security = container.getSecurityContext();
        assertTrue(security.getReadOnlyRootFilesystem());
        assertFalse(security.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
        assertTrue(security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty());
        assertTrue(security.getPrivileged() == null || !security.getPrivileged());
        assertNotNull(volumeMountedAt(deployment, "/tmp").getEmptyDir(), "/tmp must be an emptyDir");
    }

    @Test
    void resourcesFitAJvmWhoseHeapFollowsTheLimit() throws Exception {
        V1Container container = container(deployment());
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();

        for (String resource : List.of("cpu", "memory")) {
            assertNotNull(requests.get(resource), resource + " request");
            assertNotNull(limits.get(resource), resource + " limit");
            assertTrue(requests.get(resource).getNumber().compareTo(limits.get(resource).getNumber()) <= 0,
                    resource + ": request above limit");
        }
        assertTrue(limits.get("memory").getNumber().longValue() >= 1L << 30, "a JVM scheduler needs 1Gi or more");
        String javaOptions = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst().orElseThrow().getValue();
        assertTrue(javaOptions.contains("-XX:MaxRAMPercentage="), javaOptions);
    }

    @Test
    void theSchedulerConfigIsReadByTheSchedulersOwnLoader(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, schedulerConfigText());
        ClusterConfig config = ClusterConfigLoader.load(file); // throws, naming each bad field

        assertEquals("isoflop", config.launch().namespace());
        assertEquals(null, config.launch().sharedMountPath(), "sweeps go to the object store by default");
        assertEquals(null, config.launch().objectStore(), "on AWS the bucket needs no settings (IRSA)");
        assertTrue(config.launch().placement().tolerations().stream().anyMatch(t -> t.key().equals("nvidia.com/gpu")),
                "workers tolerate the GPU nodes' taint (terraform/nodes.tf)");
        new Quantity(config.launch().fitter().memory()); // throws on a malformed quantity
        assertTrue(config.retries().maxAttempts() >= 1);
        assertTrue(config.retries().firstBackoff().toSeconds() > 0);
        assertTrue(config.retries().maxFailedRuns() < RetryPolicy.NO_LIMIT, "a cluster sweep stops somewhere");
    }

    @Test
    void theOptionsTheConfigDocumentsLoadAndNameTheOptionalClaim(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, uncommented(schedulerConfigText(), "shared:", "objectStore:"));
        ClusterConfig config = ClusterConfigLoader.load(file);

        // the optional claim exists, is shared between nodes, and is mounted where the scheduler keeps its records
        assertEquals(pvc().getMetadata().getName(), config.launch().sharedClaim());
        assertEquals(List.of("ReadWriteMany"), pvc().getSpec().getAccessModes());
        assertEquals(config.launch().sharedMountPath(), container(deployment()).getWorkingDir());
        assertTrue(Files.readString(DeployFiles.repo("k8s/scheduler.yaml"))
                        .contains("#     claimName: " + pvc().getMetadata().getName()),
                "scheduler.yaml says how its data volume becomes the claim");
        // an S3-compatible store: its keys come from a Secret by reference
        assertNotNull(config.launch().objectStore().endpoint());
        assertTrue(config.launch().objectStore().pathStyle());
        assertNotNull(config.launch().objectStore().credentialsSecret());
    }

    /** The config with the commented-out sections starting at these keys (and their indented lines) uncommented. */
    private static String uncommented(String config, String... keys) {
        StringBuilder out = new StringBuilder();
        boolean inSection = false;
        int found = 0;
        for (String line : config.split("\n", -1)) {
            String stripped = line.strip();
            boolean starts = false;
            for (String key : keys) {
                starts |= stripped.equals("# " + key);
            }
            if (starts) {
                inSection = true;
                found++;
                out.append(line.replaceFirst("# ", "")).append('\n');
            } else if (inSection && stripped.startsWith("#   ")) {
                out.append(line.replaceFirst("# ", "")).append('\n');
            } else {
                inSection = false;
                out.append(line).append('\n');
            }
        }
        assertEquals(keys.length, found, "scheduler-config.yaml documents each of " + List.of(keys));
        return out.toString();
    }

    @Test
    void theSchedulerConfigNamesObjectsThatTheManifestsCreate() throws Exception {
        JsonNode config = schedulerConfig();
        V1Deployment deployment = deployment();

        assertEquals(NAMESPACE, config.get("namespace").asText());
        // workers talk to no API: their account exists and mounts no token
        String workerAccount = config.get("worker").get("serviceAccountName").asText();
        V1ServiceAccount account = Yaml.loadAll(DeployFiles.repo("k8s/rbac.yaml").toFile()).stream()
                .filter(o -> o instanceof V1ServiceAccount a && a.getMetadata().getName().equals(workerAccount))
                .map(V1ServiceAccount.class::cast).findFirst().orElseThrow(() -> new AssertionError(
                        "rbac.yaml defines no ServiceAccount " + workerAccount));
        assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken());

        assertFalse(config.has("shared"), "the shared volume is an option, not the default");

        // worker Jobs write the shared volume as the same user as the scheduler
        assertEquals(pod(deployment).getSecurityContext().getRunAsUser().longValue(),
                config.get("jobs").get("runAsUser").asLong());
        // one release: the workers' GPU image is the scheduler's image plus CUDA's libtorch
        assertEquals(container(deployment).getImage().replace("/isoflop:", "/isoflop-gpu:"),
                config.get("worker").get("image").asText());
        assertEquals(container(deployment).getImage(), config.get("fitter").get("image").asText());
    }

    @Test
    void everyObjectLivesInTheIsoflopNamespaceAndCarriesTheAppLabel() throws Exception {
        List<Path> files = new ArrayList<>(manifestFiles(DeployFiles.repo("k8s")));
        files.addAll(manifestFiles(DeployFiles.repo("k8s/optional")));
        assertTrue(files.size() >= 6, "found only " + files);
        for (Path file : files) {
            for (JsonNode object : DeployFiles.yamlDocuments(file)) {
                String where = file.getFileName() + " " + object.path("kind").asText() + "/"
                        + object.path("metadata").path("name").asText();
                assertFalse(object.path("apiVersion").asText().isEmpty(), where + ": no apiVersion");
                if (!object.path("kind").asText().equals("Namespace")) {
                    assertEquals(NAMESPACE, object.path("metadata").path("namespace").asText(), where);
                }
                assertEquals("isoflop", object.path("metadata").path("labels").path("app.kubernetes.io/name")
                        .asText(), where);
            }
        }
    }

    @Test
    void theNonRecursiveApplyOfK8sSeesOnlyManifestsTheTestApiServerKnows() throws Exception {
        // `kubectl apply -f k8s/` reads the top level only: monitoring files, the Dockerfile and CRD objects
        // (SparkApplication) must stay in subfolders
        for (Path file : manifestFiles(DeployFiles.repo("k8s"))) {
            for (JsonNode object : DeployFiles.yamlDocuments(file)) {
                String apiVersion = object.path("apiVersion").asText();
                assertTrue(apiVersion.equals("v1") || apiVersion.startsWith("apps/")
                        || apiVersion.startsWith("rbac.authorization.k8s.io/") || apiVersion.startsWith("batch/")
                        || apiVersion.startsWith("policy/"), file + ": " + apiVersion + " needs a CRD");
            }
        }
        assertTrue(Files.isRegularFile(DeployFiles.repo("k8s/optional/fitter-sparkapplication.yaml")));
        assertTrue(Files.isRegularFile(DeployFiles.repo("k8s/monitoring/prometheus-scrape.yaml")));
        assertTrue(Files.isRegularFile(DeployFiles.repo("k8s/chart/files/isoflop-rules.yaml")));
    }

    @Test
    void theGpuImageBringsCudasLibtorchOfThePomsVersionAndTheWorkersUseIt() throws Exception {
        String dockerfile = Files.readString(DeployFiles.repo("k8s/image/Dockerfile"));
        String pom = Files.readString(DeployFiles.repo("pom.xml"));
        String torch = pom.replaceAll("(?s).*<torch.version>([^<]+)</torch.version>.*", "$1");
        String djl = pom.replaceAll("(?s).*<djl.version>([^<]+)</djl.version>.*", "$1");
        String gpuStage = dockerfile.substring(dockerfile.indexOf("FROM isoflop AS gpu"));
        assertTrue(gpuStage.contains("libtorch-cxx11-abi-shared-with-deps-" + torch + "%2Bcu128.zip"),
                "libtorch " + torch + " (the pom's) for CUDA 12.8");
        assertTrue(gpuStage.contains("PYTORCH_VERSION=" + torch) && gpuStage.contains("PYTORCH_FLAVOR=cu128")
                && gpuStage.contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib"), "DJL is pointed at it");
        assertTrue(gpuStage.contains("pytorch-jni-" + torch + "-" + djl + ".jar"), "the JNI bridge of the pom's DJL");
        assertTrue(schedulerConfig().get("worker").get("image").asText().contains("isoflop-gpu"),
                "the installation's worker Jobs run the GPU image");
    }

    @Test
    void theImageProvidesTheEntrypointsTheManifestsRunAsTheirUser() throws Exception {
        String dockerfile = Files.readString(DeployFiles.repo("k8s/image/Dockerfile"));
        JsonNode config = schedulerConfig();
        Map<String, String> mains = Map.of(
                container(deployment()).getCommand().get(0), "io.isoflop.scheduler.cli.IsoflopCli",
                config.get("worker").get("command").get(0).asText(), "io.isoflop.worker.WorkerMain",
                config.get("fitter").get("command").get(0).asText(), "io.isoflop.fitter.FitterMain");

        for (Map.Entry<String, String> entrypoint : mains.entrySet()) {
            // /opt/isoflop/<name> in the image is k8s/image/bin/<name>, copied by the Dockerfile
            Path path = Path.of(entrypoint.getKey());
            assertEquals(Path.of("/opt/isoflop"), path.getParent(), entrypoint.getKey());
            Path script = DeployFiles.repo("k8s/image/bin/" + path.getFileName());
            assertTrue(Files.isExecutable(script), script + " missing or not executable");
            assertTrue(dockerfile.contains(" k8s/image/bin/" + path.getFileName() + " "),
                    "the Dockerfile does not copy " + script);
            String main = entrypoint.getValue();
            assertTrue(Files.readString(script).contains(main), script + " does not start " + main);
            String module = main.split("\\.")[2];
            assertTrue(Files.isRegularFile(DeployFiles.repo(module + "/src/main/java/" + main.replace('.', '/')
                    + ".java")), main + " does not exist");
        }
        assertTrue(dockerfile.contains("COPY --chown=root:root --chmod=0755 k8s/image/bin/isoflop k8s/image/bin/"));
        assertTrue(dockerfile.contains("USER " + config.get("jobs").get("runAsUser").asText()));
    }

    private static List<Path> manifestFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")
                    || f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static V1Deployment deployment() throws IOException {
        return only(DeployFiles.repo("k8s/scheduler.yaml"), V1Deployment.class);
    }

    private static V1Service service() throws IOException {
        return only(DeployFiles.repo("k8s/scheduler.yaml"), V1Service.class);
    }

    private static V1ConfigMap configMap() throws IOException {
        return only(DeployFiles.repo("k8s/scheduler-config.yaml"), V1ConfigMap.class);
    }

    private static V1PersistentVolumeClaim pvc() throws IOException {
        return only(DeployFiles.repo("k8s/optional/shared-volume.yaml"), V1PersistentVolumeClaim.class);
    }

    private static JsonNode schedulerConfig() throws IOException {
        return DeployFiles.YAML.readTree(schedulerConfigText());
    }

    private static String schedulerConfigText() throws IOException {
        return configMap().getData().get("scheduler.yaml");
    }

    private static Set<String> serviceAccounts() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Object o : Yaml.loadAll(DeployFiles.repo("k8s/rbac.yaml").toFile())) {
            if (o instanceof V1ServiceAccount account) {
                names.add(account.getMetadata().getName());
            }
        }
        return names;
    }

    private static <T> T only(Path file, Class<T> type) throws IOException {
        List<T> found = Yaml.loadAll(file.toFile()).stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), file + ": expected one " + type.getSimpleName());
        return found.get(0);
    }

    private static V1PodSpec pod(V1Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    private static V1Container container(V1Deployment deployment) {
        assertEquals(1, pod(deployment).getContainers().size());
        return pod(deployment).getContainers().get(0);
    }

    private static V1VolumeMount mount(V1Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static V1Volume volumeMountedAt(V1Deployment deployment, String path) {
        String name = mount(container(deployment), path).getName();
        return pod(deployment).getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
