package io.isoflop.scheduler.store;

/** Where a run stands, derived from its metrics and its attempt records (never stored on its own). */
public enum RunPhase {
    PENDING,
    RUNNING,
    /** Its final metrics row exists: the only meaning of done. */
    SUCCEEDED,
    /** Out of attempts, or rejected by the worker. */
    FAILED
}
