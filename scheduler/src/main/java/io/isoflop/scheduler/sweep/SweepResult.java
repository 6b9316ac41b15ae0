package io.isoflop.scheduler.sweep;

import java.util.List;
import java.util.Optional;

/**
 * How a sweep invocation ended: the runs that are done, the ones that failed for good, and, when the sweep
 * stopped early (past its limit of failed runs, or interrupted), why and how many runs it did not finish.
 */
public record SweepResult(int succeeded, List<String> failed, int notStarted, String stopReason) {

    public SweepResult {
        failed = List.copyOf(failed);
    }

    public boolean complete() {
        return failed.isEmpty() && notStarted == 0;
    }

    public Optional<String> stopped() {
        return Optional.ofNullable(stopReason);
    }
}
