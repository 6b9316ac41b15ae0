package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.RunHandle;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fitter through the Spark operator, on a real API server that knows the SparkApplication resource (the
 * operator's CRD, reduced to its name and an open schema): the scheduler creates the application owned by the
 * sweep, and the test plays the operator by writing its state.
 */
class FitterSparkApplicationIT {
    private static TestCluster cluster;
    private static final Gson GSON = new Gson();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        Path crd = Files.createTempFile("sparkapplication-crd", ".yaml");
        Files.writeString(crd, String.join("\n",
                "apiVersion: apiextensions.k8s.io/v1",
                "kind: CustomResourceDefinition",
                "metadata:",
                "  name: sparkapplications.sparkoperator.k8s.io",
                "  annotations: {api-approved.kubernetes.io: 'unapproved, a test stand-in for the operator CRD'}",
                "spec:",
                "  group: sparkoperator.k8s.io",
                "  scope: Namespaced",
                "  names: {plural: sparkapplications, singular: sparkapplication, kind: SparkApplication}",
                "  versions:",
                "    - name: v1beta2",
                "      served: true",
                "      storage: true",
                "      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}", ""));
        TestCluster.KubectlResult applied = cluster.kubectl("apply", "-f", crd.toString());
        assertEquals(0, applied.exitCode(), applied.output());
        TestCluster.KubectlResult established = cluster.kubectl("wait", "--for=condition=Established",
                "--timeout=60s", "crd/sparkapplications.sparkoperator.k8s.io");
        assertEquals(0, established.exitCode(), established.output());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theFitterBecomesASparkApplicationFollowedToItsEnd(@TempDir Path dir) throws Exception {
        KubernetesLaunchConfig config = new KubernetesLaunchConfig(TestCluster.NAMESPACE, "isoflop:test",
                List.of("/opt/isoflop/isoflop-worker"), "default", "isoflop-data", "/data",
                KubernetesLaunchConfig.Placement.anywhere(), null, 0, 3600L, 600, 1000,
                new KubernetesLaunchConfig.FitterPod("isoflop:test", List.of("/opt/isoflop/isoflop-fitter"), 1, "1Gi",
                        new KubernetesLaunchConfig.SparkApplication("isoflop-spark-fitter:test", "isoflop-spark",
                                "4.0.4", "local:///opt/isoflop/fitter/target/isoflop-fitter.jar",
                                "/opt/isoflop/fitter/target/lib/*", 3, 2, "4g", "2g")));
        CoreV1Api core = new CoreV1Api(cluster.client);
        CustomObjectsApi objects = new CustomObjectsApi(cluster.client);
        SweepConfigMap sweepMap = new SweepConfigMap(core, new ApiCalls(code -> { }), TestCluster.NAMESPACE, "sparky");
        try (KubernetesJobLauncher launcher = new KubernetesJobLauncher(cluster.client, config, "sparky", sweepMap,
                new ApiCalls(code -> { }))) {
            RunHandle first = launcher.startFitter(FitInput.metrics("/data/sweeps/sparky/metrics"),
                    FitTarget.directory(Path.of("/data/sweeps/sparky/fit")));
            assertEquals("isoflop-fit-sparky", first.name());
            JsonObject created = read(objects, first.name());
            JsonObject spec = created.getAsJsonObject("spec");
            assertEquals("io.isoflop.fitter.FitterMain", spec.get("mainClass").getAsString());
            assertEquals(List.of("--metrics", "/data/sweeps/sparky/metrics", "--out", "/data/sweeps/sparky/fit"),
                    GSON.fromJson(spec.get("arguments"), List.class));
            assertEquals(3, spec.getAsJsonObject("executor").get("instances").getAsInt());
            assertEquals(spec.getAsJsonObject("driver").get("serviceAccount"),
                    spec.getAsJsonObject("executor").get("serviceAccount"), "executors read metrics as the driver");
            assertEquals("isoflop-data", spec.getAsJsonArray("volumes").get(0).getAsJsonObject()
                    .getAsJsonObject("persistentVolumeClaim").get("claimName").getAsString());
            assertEquals(sweepMap.name(), created.getAsJsonObject("metadata").getAsJsonArray("ownerReferences")
                    .get(0).getAsJsonObject().get("name").getAsString(), "deleting the sweep deletes it");

            setState(objects, first.name(), "RUNNING");
            RunHandle again = launcher.startFitter(FitInput.metrics("/data/sweeps/sparky/metrics"),
                    FitTarget.directory(Path.of("/data/sweeps/sparky/fit")));
            assertEquals(first.name(), again.name(), "a running fitter is followed, not started twice");

            setState(objects, first.name(), "FAILED");
            assertEquals(1, first.exit().get(30, TimeUnit.SECONDS));
            RunHandle retry = launcher.startFitter(FitInput.metrics("/data/sweeps/sparky/metrics"),
                    FitTarget.directory(Path.of("/data/sweeps/sparky/fit")));
            assertEquals("isoflop-fit-sparky-a2", retry.name(), "a finished application is never reused");
            setState(objects, retry.name(), "COMPLETED");
            assertEquals(0, retry.exit().get(30, TimeUnit.SECONDS));
        }
    }

    private static JsonObject read(CustomObjectsApi objects, String name) throws Exception {
        return GSON.toJsonTree(objects.getNamespacedCustomObject(FitterSparkApplications.GROUP,
                FitterSparkApplications.VERSION, TestCluster.NAMESPACE, FitterSparkApplications.PLURAL, name)
                .execute()).getAsJsonObject();
    }

    /** Plays the operator: writes the application's state (no status subresource in this CRD). */
    @SuppressWarnings("unchecked")
    private static void setState(CustomObjectsApi objects, String name, String state) throws Exception {
        Map<String, Object> object = (Map<String, Object>) objects.getNamespacedCustomObject(
                FitterSparkApplications.GROUP, FitterSparkApplications.VERSION, TestCluster.NAMESPACE,
                FitterSparkApplications.PLURAL, name).execute();
        object.put("status", Map.of("applicationState", Map.of("state", state)));
        objects.replaceNamespacedCustomObject(FitterSparkApplications.GROUP, FitterSparkApplications.VERSION,
                TestCluster.NAMESPACE, FitterSparkApplications.PLURAL, name, object).execute();
        assertTrue(read(objects, name).toString().contains(state));
    }
}
