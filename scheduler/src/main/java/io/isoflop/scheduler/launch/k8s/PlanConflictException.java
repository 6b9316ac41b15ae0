package io.isoflop.scheduler.launch.k8s;

import java.io.IOException;

/** The sweep on the cluster was planned from another spec: retrying cannot help, a new sweep name can. */
public final class PlanConflictException extends IOException {
    PlanConflictException(String message) {
        super(message);
    }
}
