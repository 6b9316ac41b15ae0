package io.isoflop.scheduler.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One attempt of a run as the sweep runner recorded it: written as {@link Outcome#RUNNING} before the backend is
 * asked to start it, then ended with how it went. {@code exitCode} is null while the attempt runs or when it
 * could not be observed. (State files of earlier versions also carry the worker's pid; it is ignored.)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AttemptRecord(int number, String startedAt, String endedAt, Integer exitCode, Outcome outcome) {

    public enum Outcome {
        RUNNING,
        /** The worker wrote its final metrics file. */
        SUCCEEDED,
        /** The worker ended without final metrics. */
        FAILED,
        /** The worker ended in a way another attempt cannot mend (bad input, a diverged loss): not retried. */
        REJECTED,
        /** The worker was asked to stop (preemption, eviction, drain) after a checkpoint: retried for free. */
        PREEMPTED
    }

    /** Attempt {@code number}, about to be started. */
    public static AttemptRecord started(int number, String at) {
        return new AttemptRecord(number, at, null, null, Outcome.RUNNING);
    }

    public AttemptRecord ended(String at, Integer code, Outcome result) {
        return new AttemptRecord(number, startedAt, at, code, result);
    }
}
