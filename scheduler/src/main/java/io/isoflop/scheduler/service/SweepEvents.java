package io.isoflop.scheduler.service;

import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes Events about one {@code IsoFlopSweep}, as {@code kubectl describe isoflopsweep NAME} lists them: the
 * things an operator should see (spec rejected and why, runs unschedulable, retries, runs failed, fit done). An
 * event that could not be written is logged, never fatal; one that says the same as an earlier one of this process
 * (the same Job unschedulable for the same reason) is written once.
 */
final class SweepEvents {
    static final String COMPONENT = "isoflop-scheduler";

    private final CoreV1Api core;
    private final ApiCalls api;
    private final String namespace;
    private final String name;
    private final String uid;
    private final PrintWriter out;
    private final Set<String> once = ConcurrentHashMap.newKeySet();

    SweepEvents(CoreV1Api core, ApiCalls api, String namespace, String name, String uid, PrintWriter out) {
        this.core = core;
        this.api = api;
        this.namespace = namespace;
        this.name = name;
        this.uid = uid;
        this.out = out;
    }

    void normal(String reason, String message) {
        write("Normal", reason, message);
    }

    void warning(String reason, String message) {
        write("Warning", reason, message);
    }

    /** A warning written at most once per (reason, message) by this process. */
    void warningOnce(String reason, String message) {
        if (once.add(reason + "\n" + message)) {
            warning(reason, message);
        }
    }

    private void write(String type, String reason, String message) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        CoreV1Event event = new CoreV1Event()
                .metadata(new V1ObjectMeta().generateName(name + ".").namespace(namespace))
                .involvedObject(new V1ObjectReference().apiVersion(IsoFlopSweeps.API_VERSION).kind(IsoFlopSweeps.KIND)
                        .name(name).namespace(namespace).uid(uid))
                .type(type)
                .reason(reason)
                .message(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .source(new V1EventSource().component(COMPONENT))
                .firstTimestamp(now)
                .lastTimestamp(now)
                .count(1);
        try {
            api.call(() -> core.createNamespacedEvent(namespace, event).execute());
        } catch (ApiException e) {
            out.println("cannot write event " + reason + " for " + IsoFlopSweeps.KIND + " " + name + ": HTTP "
                    + e.getCode());
        }
    }
}
