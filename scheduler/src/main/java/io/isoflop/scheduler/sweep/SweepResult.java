package io.isoflop.scheduler.sweep;

import java.util.List;

/** How a sweep invocation ended: the runs that are done and the ones that failed for good. */
public record SweepResult(int succeeded, List<String> failed) {
    public boolean complete() {
        return failed.isEmpty();
    }
}
