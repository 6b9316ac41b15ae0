package io.isoflop.scheduler.plan;

import java.io.IOException;

/**
 * A sweep (its directory, or its ConfigMap on a cluster) was planned from another spec: retrying cannot help, a
 * new sweep name can.
 */
public final class PlanConflictException extends IOException {
    public PlanConflictException(String message) {
        super(message);
    }
}
