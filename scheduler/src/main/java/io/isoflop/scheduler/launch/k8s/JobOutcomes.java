package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.WorkerProtocol;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Job's status the way the job controller writes it: Complete → {@link WorkerProtocol.Exit#DONE}'s code,
 * Failed → {@link WorkerProtocol.Exit#FAILED}'s. What the worker itself exited with is in the Job's pod, see
 * {@link PodOutcomes}.
 */
final class JobOutcomes {
    static final int SUCCEEDED = WorkerProtocol.Exit.DONE.code();
    static final int FAILED = WorkerProtocol.Exit.FAILED.code();
    /** The Failed condition's reason when the Job ran past its activeDeadlineSeconds. */
    static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

    private JobOutcomes() {}

    static Optional<Integer> exitCode(V1Job job) {
        return ended(job).map(c -> "Complete".equals(c.getType()) ? SUCCEEDED : FAILED);
    }

    /** Whether the job controller failed the Job for running past its deadline (and stopped its pod itself). */
    static boolean pastDeadline(V1Job job) {
        return ended(job).filter(c -> "Failed".equals(c.getType()) && DEADLINE_EXCEEDED.equals(c.getReason()))
                .isPresent();
    }

    /** The Job's Complete or Failed condition, once it is True. */
    private static Optional<V1JobCondition> ended(V1Job job) {
        List<V1JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream()
                .filter(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())))
                .findFirst();
    }
}
