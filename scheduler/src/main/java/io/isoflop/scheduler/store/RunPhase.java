package io.isoflop.scheduler.store;

/** Where a run stands, derived from its metrics and its attempt records (never stored on its own). */
public enum RunPhase {
    PENDING,
    RUNNING,
    /** Its final metrics row exists: the only meaning of done. */
    SUCCEEDED,
    /** Out of attempts, or rejected by the worker. */
    FAILED;

    /** Where a run stands given whether its final metrics exist, its attempts, and the attempts it may have. */
    public static RunPhase of(boolean finished, RunRecord record, int maxAttempts) {
        if (finished) {
            return SUCCEEDED;
        }
        if (record.count(AttemptRecord.Outcome.REJECTED) > 0) {
            return FAILED;
        }
        if (record.last().map(a -> a.outcome() == AttemptRecord.Outcome.RUNNING).orElse(false)) {
            return RUNNING;
        }
        return record.count(AttemptRecord.Outcome.FAILED) >= maxAttempts ? FAILED : PENDING;
    }
}
