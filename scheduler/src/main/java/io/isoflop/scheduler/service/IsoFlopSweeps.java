package io.isoflop.scheduler.service;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.Optional;

/**
 * The {@code IsoFlopSweep} custom resource of one namespace (CRD {@code k8s/chart/crds/isoflopsweeps.yaml}): read,
 * created, replaced, its status merge-patched and its finalizer set, each call through {@link ApiCalls} (retried on
 * throttling and server errors). Objects are plain JSON: the spec is the budget spec, whose own loader reads it.
 */
public final class IsoFlopSweeps {
    public static final String GROUP = "isoflop.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "IsoFlopSweep";
    public static final String PLURAL = "isoflopsweeps";
    /** Held by every sweep the service drives: its Jobs are deleted before the resource goes. */
    public static final String FINALIZER = "isoflop.io/delete-jobs";

    private final ApiClient client;
    private final CustomObjectsApi custom;
    private final ApiCalls api;
    private final String namespace;

    public IsoFlopSweeps(ApiClient client, ApiCalls api, String namespace) {
        this.client = client;
        this.custom = new CustomObjectsApi(client);
        this.api = api;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** The generic API the informer lists and watches through. */
    DynamicKubernetesApi dynamic() {
        return new DynamicKubernetesApi(GROUP, VERSION, PLURAL, client);
    }

    /** Whether the API server serves the resource (the CRD is installed). */
    public boolean installed() throws ApiException {
        try {
            api.call(() -> custom.listNamespacedCustomObject(GROUP, VERSION, namespace, PLURAL).limit(1).execute());
            return true;
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    public Optional<JsonObject> get(String name) throws ApiException {
        try {
            return Optional.of(api.call(() -> raw(dynamic().get(namespace, name))));
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public JsonObject create(JsonObject resource) throws ApiException {
        return api.call(() -> raw(dynamic().create(new DynamicKubernetesObject(resource))));
    }

    /** Replaces the resource; its {@code metadata.resourceVersion} makes a concurrent change a 409. */
    public JsonObject replace(JsonObject resource) throws ApiException {
        return api.call(() -> raw(dynamic().update(new DynamicKubernetesObject(resource))));
    }

    /** Merges this status into the resource's status subresource (no resourceVersion: never a conflict). */
    void patchStatus(String name, JsonObject status) throws ApiException {
        JsonObject patch = new JsonObject();
        patch.add("status", status);
        api.call(() -> PatchUtils.patch(Object.class, () -> custom.patchNamespacedCustomObjectStatus(GROUP, VERSION,
                namespace, PLURAL, name, new V1Patch(patch.toString())).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client));
    }

    /**
     * Adds or removes {@link #FINALIZER} (read, then a merge patch of the finalizers at that resourceVersion; again
     * on a conflict). Returns false when the
     * resource is gone.
     */
    boolean finalizer(String name, boolean present) throws ApiException {
        for (int attempt = 1; ; attempt++) {
            Optional<JsonObject> current = get(name);
            if (current.isEmpty()) {
                return false;
            }
            JsonObject resource = current.get();
            JsonObject metadata = resource.getAsJsonObject("metadata");
            JsonArray finalizers = metadata.has("finalizers") ? metadata.getAsJsonArray("finalizers") : new JsonArray();
            boolean has = false;
            JsonArray others = new JsonArray();
            for (JsonElement f : finalizers) {
                if (FINALIZER.equals(f.getAsString())) {
                    has = true;
                } else {
                    others.add(f);
                }
            }
            if (has == present) {
                return true;
            }
            if (present) {
                others.add(FINALIZER);
            }
            JsonObject patch = new JsonObject();
            JsonObject patchMetadata = new JsonObject();
            patchMetadata.add("finalizers", others);
            patchMetadata.add("resourceVersion", metadata.get("resourceVersion")); // a change meanwhile: 409
            patch.add("metadata", patchMetadata);
            try {
                api.call(() -> raw(dynamic().patch(namespace, name, V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                        new V1Patch(patch.toString()))));
                return true;
            } catch (ApiException e) {
                if (e.getCode() != 409 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** The reference every object of the sweep carries: deleting the resource deletes them. */
    static V1OwnerReference owner(String name, String uid) {
        return new V1OwnerReference().apiVersion(API_VERSION).kind(KIND).name(name).uid(uid).controller(true)
                .blockOwnerDeletion(false);
    }

    /**
     * The object of a generic call as JSON, numbers as written (the typed client would turn 7 into 7.0, and a
     * replaced spec would then differ from the one applied); a failed call as an ApiException with its HTTP status.
     */
    private static JsonObject raw(KubernetesApiResponse<DynamicKubernetesObject> response) throws ApiException {
        if (!response.isSuccess()) {
            V1Status status = response.getStatus();
            throw new ApiException(response.getHttpStatusCode(), null, status == null ? "" : status.getMessage());
        }
        return response.getObject().getRaw();
    }
}
