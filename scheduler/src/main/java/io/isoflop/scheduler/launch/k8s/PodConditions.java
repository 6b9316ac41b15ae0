package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Optional;

/** Reads the pod conditions the kube-scheduler writes. */
final class PodConditions {
    private PodConditions() {}

    /** The scheduler's message when it cannot place the pod (PodScheduled=False, reason Unschedulable). */
    static Optional<String> unschedulable(V1Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()))
                .map(c -> c.getMessage() == null ? "Unschedulable" : c.getMessage())
                .findFirst();
    }
}
