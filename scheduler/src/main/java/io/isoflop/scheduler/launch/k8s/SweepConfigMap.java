package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one object that stands for a sweep on the API server: every Job of the sweep (workers and fitter) names
 * it as owner (deleting it deletes the sweep), and its data holds what must outlive the Jobs (which are
 * garbage-collected after {@code ttlSecondsAfterFinished}): the run ledger and the sweep's status. Updates are
 * read-modify-replace with the resourceVersion, retried on a conflict, so two writers never lose each other's
 * keys.
 */
public final class SweepConfigMap {
    public static final String KEY_SWEEP = "sweep";
    public static final String KEY_RUNS = "runs";
    public static final String KEY_STATUS = "status";
    public static final String KEY_PLAN = "plan";
    /** The spec hash the plan came from: an adaptive sweep's plan grows under one spec. */
    public static final String KEY_SPEC = "specHash";
    /** The sweep's {@link io.isoflop.scheduler.sweep.SweepPolicy} as JSON. */
    public static final String KEY_POLICY = "policy";

    private final CoreV1Api core;
    private final ApiCalls api;
    private final String namespace;
    private final String sweep;
    private final String name;
    private final V1OwnerReference parent;
    private V1OwnerReference owner;

    public SweepConfigMap(CoreV1Api core, ApiCalls api, String namespace, String sweep) {
        this(core, api, namespace, sweep, null);
    }

    /**
     * @param parent the sweep's own resource (an IsoFlopSweep), or null: when given, it owns the ConfigMap and is
     *     the owner every Job names
     */
    public SweepConfigMap(CoreV1Api core, ApiCalls api, String namespace, String sweep, V1OwnerReference parent) {
        this.parent = parent;
        this.core = core;
        this.api = api;
        this.namespace = namespace;
        this.sweep = sweep;
        this.name = RunNames.sweepObjectName(sweep);
    }

    public String name() {
        return name;
    }

    /**
     * The owner reference every object of the sweep carries: the parent resource, or else this ConfigMap (created on
     * first use).
     */
    public synchronized V1OwnerReference owner() throws IOException {
        if (parent != null) {
            return parent;
        }
        if (owner == null) {
            V1ConfigMap map = ensure();
            owner = new V1OwnerReference().apiVersion("v1").kind("ConfigMap").name(name)
                    .uid(map.getMetadata().getUid()).blockOwnerDeletion(false);
        }
        return owner;
    }

    /** The ConfigMap's data (created empty if absent). */
    public Map<String, String> read() throws IOException {
        V1ConfigMap map = ensure();
        return map.getData() == null ? Map.of() : Map.copyOf(map.getData());
    }

    /** The ConfigMap's data, without creating it; empty when there is no such ConfigMap. */
    public Optional<Map<String, String>> readIfPresent() throws IOException {
        try {
            V1ConfigMap map = api.call(() -> core.readNamespacedConfigMap(name, namespace).execute());
            return Optional.of(map.getData() == null ? Map.of() : Map.copyOf(map.getData()));
        } catch (ApiException e) {
            if (e.getCode() == ApiCalls.NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("cannot read ConfigMap " + namespace + "/" + name + ": HTTP " + e.getCode() + " "
                    + e.getResponseBody(), e);
        }
    }

    /** Sets these keys, keeping the others. */
    public void write(Map<String, String> entries) throws IOException {
        for (int attempt = 1; ; attempt++) {
            V1ConfigMap map = ensure();
            Map<String, String> data = new HashMap<>(map.getData() == null ? Map.of() : map.getData());
            if (data.entrySet().containsAll(entries.entrySet())) {
                return;
            }
            data.putAll(entries);
            map.setData(data);
            try {
                api.call(() -> core.replaceNamespacedConfigMap(name, namespace, map).execute());
                return;
            } catch (ApiException e) {
                if (e.getCode() != ApiCalls.CONFLICT || attempt >= 10) {
                    throw new IOException("cannot update ConfigMap " + namespace + "/" + name + ": HTTP "
                            + e.getCode() + " " + e.getResponseBody(), e);
                }
            }
        }
    }

    private V1ConfigMap ensure() throws IOException {
        try {
            try {
                return api.call(() -> core.readNamespacedConfigMap(name, namespace).execute());
            } catch (ApiException e) {
                if (e.getCode() != ApiCalls.NOT_FOUND) {
                    throw e;
                }
            }
            V1ConfigMap created = api.createIfAbsent(() -> core.createNamespacedConfigMap(namespace,
                    new V1ConfigMap().metadata(new V1ObjectMeta().name(name).namespace(namespace)
                                    .labels(RunNames.sweepLabels(sweep))
                                    .ownerReferences(parent == null ? null : List.of(parent)))
                            .data(Map.of(KEY_SWEEP, sweep))).execute());
            return created != null ? created
                    : api.call(() -> core.readNamespacedConfigMap(name, namespace).execute());
        } catch (ApiException e) {
            throw new IOException("cannot read or create ConfigMap " + namespace + "/" + name + ": HTTP "
                    + e.getCode() + " " + e.getResponseBody(), e);
        }
    }
}
