package io.isoflop.scheduler.sweep;

import java.time.Duration;

/**
 * When a failed run is tried again and when a sweep gives up: each run gets up to {@code maxAttempts} attempts,
 * the n-th retry waiting {@code firstBackoff · 2^(n-1)} (at most {@code maxBackoff}) so a sick node or a full
 * cluster is not hammered; past {@code maxFailedRuns} runs failed for good, the sweep starts nothing new.
 */
public record RetryPolicy(int maxAttempts, int maxFailedRuns, Duration firstBackoff, Duration maxBackoff) {

    /** No limit on failed runs: every run gets its attempts. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, not " + maxAttempts);
        }
        if (maxFailedRuns < 0) {
            throw new IllegalArgumentException("max failed runs must be at least 0, not " + maxFailedRuns);
        }
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= first (" + firstBackoff + ") <= max ("
                    + maxBackoff + ")");
        }
    }

    /** Retries at once, every run gets its attempts: for tests and for callers that pace themselves. */
    public static RetryPolicy immediate(int maxAttempts) {
        return new RetryPolicy(maxAttempts, NO_LIMIT, Duration.ZERO, Duration.ZERO);
    }

    /** How long a run waits before its next attempt, after {@code failedAttempts} failed ones (at least 1). */
    public Duration backoffAfter(long failedAttempts) {
        if (failedAttempts < 1 || firstBackoff.isZero()) {
            return Duration.ZERO;
        }
        long doublings = Math.min(failedAttempts - 1, 30);
        Duration delay = firstBackoff.multipliedBy(1L << doublings);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    /** The sweep stops starting runs once more than {@code maxFailedRuns} have failed for good. */
    public boolean stopsAt(int failedRuns) {
        return failedRuns > maxFailedRuns;
    }
}
