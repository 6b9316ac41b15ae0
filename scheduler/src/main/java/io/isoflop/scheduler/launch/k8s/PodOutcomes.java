package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.WorkerProtocol;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The exit code a finished worker Job stands for, so that the sweep runner judges a Kubernetes attempt as it
 * judges a local process (see {@link WorkerProtocol.Exit}). For a Failed Job, its latest pod decides:
 * <ol>
 *   <li>a pod the cluster took away (status reason {@value #EVICTED} from the kubelet, or a True
 *       {@value #DISRUPTION_TARGET} condition from Kubernetes 1.26 on: preemption, taint manager, eviction API,
 *       kubelet shutdown) → {@link WorkerProtocol.Exit#PREEMPTED}, whatever its container ended with;</li>
 *   <li>the worker container's {@code state.terminated.exitCode} (else {@code lastState.terminated}), as it is:
 *       a SIGTERMed worker's 143 is {@link WorkerProtocol.Exit#PREEMPTED} by the protocol itself;</li>
 *   <li>a pod that ended without its container's exit, no pod left, or a Job past its deadline (the job
 *       controller SIGTERMs the pod itself, and that must cost an attempt) → {@link WorkerProtocol.Exit#FAILED}.</li>
 * </ol>
 * A Complete Job is {@link WorkerProtocol.Exit#DONE}. Empty while the Job runs, and while its pod is known to the
 * caller's cache but that cache has not yet seen it end (the Job's and the pods' watches are separate: the Failed
 * condition can arrive first); the caller asks again when the pod changes.
 */
final class PodOutcomes {
    /** The pod status reason the kubelet writes on a pod it evicted (node pressure). */
    static final String EVICTED = "Evicted";
    /** The pod condition the control plane adds to a pod it is about to take away (Kubernetes 1.26 on). */
    static final String DISRUPTION_TARGET = "DisruptionTarget";

    private PodOutcomes() {}

    /**
     * @param pods the Job's pods as the caller's cache has them (label {@code job-name}), in any order
     */
    static Optional<Integer> exitCode(V1Job job, List<V1Pod> pods) {
        Optional<Integer> byJob = JobOutcomes.exitCode(job);
        if (byJob.isEmpty() || byJob.get() == WorkerProtocol.Exit.DONE.code() || JobOutcomes.pastDeadline(job)) {
            return byJob;
        }
        Optional<V1Pod> latest = pods.stream().filter(p -> p.getMetadata() != null)
                .max(Comparator.comparing(PodOutcomes::created, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(p -> p.getMetadata().getName()));
        if (latest.isEmpty()) {
            return Optional.of(WorkerProtocol.Exit.FAILED.code());
        }
        V1Pod pod = latest.get();
        if (disrupted(pod)) {
            return Optional.of(WorkerProtocol.Exit.PREEMPTED.code());
        }
        Optional<Integer> container = workerExit(pod);
        if (container.isPresent()) {
            return container;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean ended = "Failed".equals(phase) || "Succeeded".equals(phase);
        boolean going = pod.getMetadata().getDeletionTimestamp() != null;
        return ended || going ? Optional.of(WorkerProtocol.Exit.FAILED.code()) : Optional.empty();
    }

    /** Evicted by the kubelet, or marked for disruption by the control plane. */
    static boolean disrupted(V1Pod pod) {
        V1PodStatus status = pod.getStatus();
        if (status == null) {
            return false;
        }
        if (EVICTED.equals(status.getReason())) {
            return true;
        }
        return status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The worker container's exit code, once it has terminated. */
    static Optional<Integer> workerExit(V1Pod pod) {
        List<V1ContainerStatus> containers = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        if (containers == null) {
            return Optional.empty();
        }
        return containers.stream()
                .filter(c -> JobManifests.WORKER_CONTAINER.equals(c.getName()))
                .map(c -> terminated(c.getState()).or(() -> terminated(c.getLastState())))
                .flatMap(Optional::stream)
                .map(V1ContainerStateTerminated::getExitCode)
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static Optional<V1ContainerStateTerminated> terminated(V1ContainerState state) {
        return Optional.ofNullable(state).map(V1ContainerState::getTerminated);
    }

    private static OffsetDateTime created(V1Pod pod) {
        return pod.getMetadata().getCreationTimestamp();
    }
}
