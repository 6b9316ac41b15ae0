package io.isoflop.scheduler.launch.k8s;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fitter as a Spark operator {@code SparkApplication}: the operator starts a driver and executors on the
 * cluster; this class creates the object (owned by the sweep, labelled like a fitter Job) and reads its state
 * ({@code status.applicationState.state}: COMPLETED → 0; FAILED, SUBMISSION_FAILED → 1).
 */
final class FitterSparkApplications implements FitterKind {
    static final String GROUP = "sparkoperator.k8s.io";
    static final String VERSION = "v1beta2";
    static final String PLURAL = "sparkapplications";
    private static final String SHARED_VOLUME = "shared";

    private final CustomObjectsApi objects;
    private final ApiCalls api;
    private final KubernetesLaunchConfig config;
    private final String sweep;
    private static final java.lang.reflect.Type LABELS = new TypeToken<Map<String, String>>() {}.getType();
    private final Gson gson = new Gson();

    FitterSparkApplications(CustomObjectsApi objects, ApiCalls api, KubernetesLaunchConfig config, String sweep) {
        this.objects = objects;
        this.api = api;
        this.config = config;
        this.sweep = sweep;
    }

    @Override
    public List<Attempt> attempts() throws ApiException {
        Object list = api.call(() -> objects.listNamespacedCustomObject(GROUP, VERSION, config.namespace(), PLURAL)
                .labelSelector(RunNames.fitterSelector(sweep)).execute());
        List<Attempt> attempts = new ArrayList<>();
        for (JsonElement item : gson.toJsonTree(list).getAsJsonObject().getAsJsonArray("items")) {
            JsonObject object = item.getAsJsonObject();
            JsonObject meta = object.getAsJsonObject("metadata");
            V1ObjectMeta metadata = new V1ObjectMeta().name(meta.get("name").getAsString())
                    .labels(meta.has("labels") ? gson.fromJson(meta.get("labels"), LABELS) : Map.of());
            attempts.add(new Attempt(metadata.getName(), RunNames.attemptOf(metadata), exitCode(object)));
        }
        return attempts;
    }

    @Override
    public String create(int number, List<String> arguments, V1OwnerReference owner) throws ApiException {
        Map<String, Object> application = manifest(sweep, number, arguments, config, owner);
        api.createIfAbsent(() -> objects.createNamespacedCustomObject(GROUP, VERSION, config.namespace(), PLURAL,
                application).execute());
        return RunNames.fitterJobName(sweep, number);
    }

    @Override
    public Optional<Integer> outcome(String name) throws ApiException {
        Object object = api.call(() -> objects.getNamespacedCustomObject(GROUP, VERSION, config.namespace(), PLURAL,
                name).execute());
        return exitCode(gson.toJsonTree(object).getAsJsonObject());
    }

    @Override
    public void delete(String name) {
        try {
            objects.deleteNamespacedCustomObject(GROUP, VERSION, config.namespace(), PLURAL, name).execute();
        } catch (ApiException e) {
            // already gone, or the API server is unreachable
        }
    }

    /** COMPLETED → 0; FAILED or SUBMISSION_FAILED → 1; anything else (or no status yet) → still going. */
    static Optional<Integer> exitCode(JsonObject application) {
        JsonElement state = Optional.ofNullable(application.getAsJsonObject("status"))
                .map(s -> s.getAsJsonObject("applicationState")).map(a -> a.get("state")).orElse(null);
        if (state == null) {
            return Optional.empty();
        }
        return switch (state.getAsString()) {
            case "COMPLETED" -> Optional.of(0);
            case "FAILED", "SUBMISSION_FAILED" -> Optional.of(1);
            default -> Optional.empty();
        };
    }

    /**
     * The SparkApplication of one fitter attempt: FitterMain on the operator's driver and executors, reading and
     * writing the shared volume or the object store (both as the same account, for IRSA), non-root, never restarted
     * by the operator (the scheduler decides on re-fits).
     */
    static Map<String, Object> manifest(String sweep, int number, List<String> arguments,
            KubernetesLaunchConfig config, V1OwnerReference owner) {
        KubernetesLaunchConfig.SparkApplication spark = config.fitter().sparkApplication();
        Map<String, Object> securityContext = Map.of("runAsNonRoot", true, "runAsUser", config.runAsUser(),
                "allowPrivilegeEscalation", false, "capabilities", Map.of("drop", List.of("ALL")),
                "seccompProfile", Map.of("type", "RuntimeDefault")); // what Pod Security "restricted" asks
        boolean shared = config.sharedClaim() != null; // else the sweep is on the object store
        List<Object> mounts = shared ? List.of(Map.of("name", SHARED_VOLUME, "mountPath", config.sharedMountPath()))
                : List.of();
        List<Object> env = JobManifests.withObjectStore(config, List.of()).stream()
                .map(v -> v.getValue() != null ? (Object) Map.of("name", v.getName(), "value", v.getValue())
                        : Map.of("name", v.getName(), "valueFrom", Map.of("secretKeyRef", Map.of(
                                "name", v.getValueFrom().getSecretKeyRef().getName(),
                                "key", v.getValueFrom().getSecretKeyRef().getKey()))))
                .toList();
        Map<String, String> labels = RunNames.fitterLabels(sweep, number);
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("cores", 1);
        driver.put("memory", spark.driverMemory());
        driver.put("serviceAccount", spark.serviceAccountName());
        driver.put("labels", labels);
        driver.put("securityContext", securityContext);
        driver.put("volumeMounts", mounts);
        driver.put("env", env);
        Map<String, Object> executor = new LinkedHashMap<>();
        executor.put("instances", spark.executors());
        executor.put("cores", spark.executorCores());
        executor.put("memory", spark.executorMemory());
        // executors read the metrics too: with IRSA they need the account that carries the role
        executor.put("serviceAccount", spark.serviceAccountName());
        executor.put("labels", labels);
        executor.put("securityContext", securityContext);
        executor.put("volumeMounts", mounts);
        executor.put("env", env);
        Map<String, Object> specBody = new LinkedHashMap<>();
        specBody.put("type", "Java");
        specBody.put("mode", "cluster");
        specBody.put("image", spark.image());
        specBody.put("mainClass", "io.isoflop.fitter.FitterMain");
        specBody.put("mainApplicationFile", spark.mainApplicationFile());
        specBody.put("arguments", arguments);
        specBody.put("sparkVersion", spark.sparkVersion());
        specBody.put("sparkConf", Map.of(
                "spark.driver.extraClassPath", spark.classPath(),
                "spark.executor.extraClassPath", spark.classPath(),
                "spark.ui.enabled", "false"));
        specBody.put("restartPolicy", Map.of("type", "Never"));
        specBody.put("timeToLiveSeconds", config.ttlSecondsAfterFinished());
        specBody.put("volumes", shared ? List.of(Map.of("name", SHARED_VOLUME,
                "persistentVolumeClaim", Map.of("claimName", config.sharedClaim()))) : List.of());
        specBody.put("driver", driver);
        specBody.put("executor", executor);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", RunNames.fitterJobName(sweep, number));
        metadata.put("namespace", config.namespace());
        metadata.put("labels", labels);
        metadata.put("ownerReferences", List.of(Map.of("apiVersion", owner.getApiVersion(), "kind", owner.getKind(),
                "name", owner.getName(), "uid", owner.getUid())));
        Map<String, Object> application = new LinkedHashMap<>();
        application.put("apiVersion", GROUP + "/" + VERSION);
        application.put("kind", "SparkApplication");
        application.put("metadata", metadata);
        application.put("spec", specBody);
        return application;
    }
}
