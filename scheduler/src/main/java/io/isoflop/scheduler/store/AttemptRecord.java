package io.isoflop.scheduler.store;

/**
 * One attempt of a run as the scheduler recorded it. {@code pid} and {@code processStart} identify the local
 * worker process (so a restarted scheduler can recognise one that is still alive); {@code exitCode} is null
 * while the attempt runs or when it could not be observed.
 */
public record AttemptRecord(
        int number, long pid, String processStart, String startedAt, String endedAt, Integer exitCode, Outcome outcome) {

    public enum Outcome {
        RUNNING,
        /** The worker wrote its final metrics file. */
        SUCCEEDED,
        /** The worker ended without final metrics. */
        FAILED,
        /** The worker rejected its run spec or data (exit 2): retrying cannot help. */
        REJECTED
    }

    public AttemptRecord ended(String at, Integer code, Outcome result) {
        return new AttemptRecord(number, pid, processStart, startedAt, at, code, result);
    }
}
