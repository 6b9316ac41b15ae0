package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import java.util.List;
import java.util.Optional;

/** Reads a Job's status the way the job controller writes it: Complete → exit 0, Failed → exit 1. */
final class JobOutcomes {
    static final int SUCCEEDED = 0;
    static final int FAILED = 1;

    private JobOutcomes() {}

    static Optional<Integer> exitCode(V1Job job) {
        List<V1JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        if (conditions == null) {
            return Optional.empty();
        }
        for (V1JobCondition condition : conditions) {
            if ("True".equals(condition.getStatus())) {
                if ("Complete".equals(condition.getType())) {
                    return Optional.of(SUCCEEDED);
                }
                if ("Failed".equals(condition.getType())) {
                    return Optional.of(FAILED);
                }
            }
        }
        return Optional.empty();
    }
}
