package io.isoflop.scheduler.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything the scheduler recorded about one run: its attempts, oldest first. */
public record RunRecord(String runId, List<AttemptRecord> attempts) {

    public RunRecord {
        attempts = List.copyOf(attempts);
    }

    public static RunRecord empty(String runId) {
        return new RunRecord(runId, List.of());
    }

    public Optional<AttemptRecord> last() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    public long count(AttemptRecord.Outcome outcome) {
        return attempts.stream().filter(a -> a.outcome() == outcome).count();
    }

    public RunRecord with(AttemptRecord attempt) {
        List<AttemptRecord> all = new ArrayList<>(attempts);
        all.add(attempt);
        return new RunRecord(runId, all);
    }

    /** Replaces the last attempt (the one that just ended). */
    public RunRecord withLast(AttemptRecord attempt) {
        List<AttemptRecord> all = new ArrayList<>(attempts);
        all.set(all.size() - 1, attempt);
        return new RunRecord(runId, all);
    }
}
