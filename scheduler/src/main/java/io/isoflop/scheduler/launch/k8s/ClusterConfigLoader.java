package io.isoflop.scheduler.launch.k8s;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.isoflop.scheduler.launch.k8s.KubernetesLaunchConfig.Toleration;
import io.isoflop.scheduler.spec.FieldReader;
import io.isoflop.scheduler.spec.SpecError;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.isoflop.scheduler.sweep.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the installation's Kubernetes settings ({@code scheduler.yaml}), every problem reported with its field
 * path like a budget spec's. Worker node selector and tolerations (e.g. the GPU nodes' taint) live here, next to
 * the images, because they describe the cluster, not the experiment.
 */
public final class ClusterConfigLoader {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> SECTIONS = List.of("namespace", "worker", "fitter", "shared", "objectStore",
            "jobs", "retries");

    private ClusterConfigLoader() {}

    public static ClusterConfig load(Path file) throws SpecValidationException {
        String source = file.toString();
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new SpecValidationException(source, List.of(new SpecError("", "no such file")));
        } catch (JacksonException e) {
            throw new SpecValidationException(source, List.of(new SpecError("", "not valid YAML: "
                    + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new SpecValidationException(source, List.of(new SpecError("", "cannot read the file: " + e)));
        }
        if (root == null || !root.isObject()) {
            throw new SpecValidationException(source, List.of(new SpecError("",
                    "expected a mapping with sections: " + String.join(", ", SECTIONS))));
        }
        List<SpecError> errors = new ArrayList<>();
        FieldReader config = FieldReader.root(root, errors, SECTIONS);
        String namespace = config.requiredText("namespace");
        FieldReader worker = config.section("worker", true, List.of("image", "command", "serviceAccountName",
                "nodeSelector", "tolerations", "gpuTypeLabel", "affinity"));
        FieldReader fitter = config.section("fitter", true, List.of("image", "command", "cpu", "memory",
                "sparkApplication"));
        FieldReader shared = config.section("shared", false, List.of("claim", "mountPath"));
        FieldReader store = config.section("objectStore", false, List.of("endpoint", "region", "pathStyle",
                "credentialsSecret"));
        FieldReader jobs = config.section("jobs", false, List.of("activeDeadlineSeconds", "ttlSecondsAfterFinished",
                "runAsUser", "kueueQueue"));
        FieldReader retries = config.section("retries", false, List.of("maxAttempts", "maxFailedRuns",
                "backoffSeconds", "maxBackoffSeconds"));
        long deadline = jobs.integer("activeDeadlineSeconds", 0, 0, Long.MAX_VALUE);
        String queue = jobs.text("kueueQueue", "");
        String mountPath = shared.isPresent() ? shared.requiredText("mountPath") : null;
        if (mountPath != null && !mountPath.startsWith("/")) {
            shared.error("mountPath", "expected an absolute path, got " + mountPath);
        }
        KubernetesLaunchConfig launch = new KubernetesLaunchConfig(
                namespace,
                worker.requiredText("image"),
                strings(worker, "command"),
                worker.text("serviceAccountName", "isoflop-worker"),
                shared.isPresent() ? shared.requiredText("claim") : null,
                mountPath,
                new KubernetesLaunchConfig.Placement(stringMap(worker, "nodeSelector"), tolerations(worker),
                        worker.text("gpuTypeLabel", null), affinity(worker)),
                queue.isEmpty() ? null : queue,
                0,
                deadline == 0 ? null : deadline,
                (int) jobs.integer("ttlSecondsAfterFinished", 86_400, 0, Integer.MAX_VALUE),
                jobs.integer("runAsUser", 1000, 1, Integer.MAX_VALUE),
                new KubernetesLaunchConfig.FitterPod(fitter.requiredText("image"), strings(fitter, "command"),
                        fitter.intValue("cpu", 4, 1), fitter.scalarText("memory", "16Gi"), sparkApplication(fitter)),
                objectStore(store));
        long backoff = retries.integer("backoffSeconds", 30, 0, Long.MAX_VALUE);
        long maxBackoff = retries.integer("maxBackoffSeconds", 1800, 0, Long.MAX_VALUE);
        if (maxBackoff < backoff) {
            retries.error("maxBackoffSeconds", "expected at least backoffSeconds (" + backoff + "), got " + maxBackoff);
            maxBackoff = backoff;
        }
        RetryPolicy policy = new RetryPolicy(retries.intValue("maxAttempts", 3, 1),
                retries.intValue("maxFailedRuns", RetryPolicy.NO_LIMIT, 0), Duration.ofSeconds(backoff),
                Duration.ofSeconds(maxBackoff));
        if (!errors.isEmpty()) {
            throw new SpecValidationException(source, errors);
        }
        return new ClusterConfig(launch, policy);
    }

    /** The {@code objectStore} section; null when absent. */
    private static KubernetesLaunchConfig.ObjectStoreAccess objectStore(FieldReader store) {
        if (!store.isPresent()) {
            return null;
        }
        String endpoint = store.text("endpoint", null);
        if (endpoint != null && !endpoint.matches("https?://[^\\s/]+(/.*)?")) {
            store.error("endpoint", "expected an http:// or https:// URL, got '" + endpoint + "'");
        }
        JsonNode pathStyle = store.value("pathStyle");
        if (pathStyle != null && !pathStyle.isBoolean()) {
            store.error("pathStyle", "expected true or false, got " + FieldReader.describe(pathStyle));
        }
        return new KubernetesLaunchConfig.ObjectStoreAccess(endpoint, store.text("region", null),
                pathStyle != null && pathStyle.asBoolean(), store.text("credentialsSecret", null));
    }

    /** A required, non-empty list of strings. */
    private static List<String> strings(FieldReader section, String key) {
        JsonNode value = section.value(key);
        List<String> out = new ArrayList<>();
        if (value == null) {
            if (section.isPresent()) {
                section.error(key, "required");
            }
            return out;
        }
        if (!value.isArray() || value.isEmpty()) {
            section.error(key, "expected a non-empty list of strings, got " + FieldReader.describe(value));
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                section.error(key + "[" + i + "]", "expected a string, got " + FieldReader.describe(value.get(i)));
            } else {
                out.add(value.get(i).textValue());
            }
        }
        return out;
    }

    private static Map<String, String> stringMap(FieldReader section, String key) {
        JsonNode value = section.value(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!value.isObject()) {
            section.error(key, "expected a mapping of label to value, got " + FieldReader.describe(value));
            return out;
        }
        value.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                section.error(key + "." + e.getKey(), "expected a string, got " + FieldReader.describe(e.getValue()));
            }
        });
        return out;
    }

    /** The optional Spark operator settings; null (the fitter runs as a Job) when absent. */
    private static KubernetesLaunchConfig.SparkApplication sparkApplication(FieldReader fitter) {
        if (!fitter.has("sparkApplication")) {
            return null;
        }
        FieldReader spark = fitter.section("sparkApplication", false, List.of("image", "serviceAccountName",
                "sparkVersion", "mainApplicationFile", "classPath", "executors", "executorCores", "executorMemory",
                "driverMemory"));
        return new KubernetesLaunchConfig.SparkApplication(
                spark.requiredText("image"),
                spark.text("serviceAccountName", "isoflop-spark"),
                spark.scalarText("sparkVersion", "4.0.4"),
                spark.text("mainApplicationFile", "local:///opt/isoflop/fitter/target/isoflop-fitter.jar"),
                spark.text("classPath", "/opt/isoflop/fitter/target/lib/*"),
                spark.intValue("executors", 2, 1),
                spark.intValue("executorCores", 2, 1),
                spark.scalarText("executorMemory", "4g"),
                spark.scalarText("driverMemory", "4g"));
    }

    /** The affinity as JSON, checked with the Kubernetes client's own codec. */
    private static String affinity(FieldReader worker) {
        JsonNode value = worker.value("affinity");
        if (value == null) {
            return null;
        }
        try {
            JobManifests.affinity(value.toString());
            return value.toString();
        } catch (IllegalArgumentException e) {
            worker.error("affinity", "expected a PodSpec affinity (nodeAffinity, podAffinity, podAntiAffinity): "
                    + e.getMessage());
            return null;
        }
    }

    private static List<Toleration> tolerations(FieldReader worker) {
        JsonNode value = worker.value("tolerations");
        List<Toleration> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!value.isArray()) {
            worker.error("tolerations", "expected a list of {key, operator, value, effect}, got "
                    + FieldReader.describe(value));
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode t = value.get(i);
            String operator = t.path("operator").asText("Equal");
            if (!t.isObject() || !t.hasNonNull("key") || !List.of("Equal", "Exists").contains(operator)) {
                worker.error("tolerations[" + i + "]", "expected {key, operator: Equal|Exists, value, effect}, got "
                        + FieldReader.describe(t));
                continue;
            }
            out.add(new Toleration(t.get("key").asText(), operator,
                    t.hasNonNull("value") ? t.get("value").asText() : null,
                    t.hasNonNull("effect") ? t.get("effect").asText() : null));
        }
        return out;
    }
}
