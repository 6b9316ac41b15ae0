package io.isoflop.worker.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request to stop training early (SIGTERM: preemption, eviction, a node drain), made from a shutdown hook while
 * the training thread runs: the trainer sees it at the next step, saves a checkpoint and ends; the hook waits for
 * that, within the grace period the platform gives.
 */
public final class StopRequest {
    private volatile boolean requested;
    private final CountDownLatch ended = new CountDownLatch(1);

    /** A request nobody will make (tests, tools). */
    public static StopRequest never() {
        return new StopRequest();
    }

    public void request() {
        requested = true;
    }

    boolean requested() {
        return requested;
    }

    /** Training is over: stopped on request, finished, or failed. */
    public void ended() {
        ended.countDown();
    }

    /** Waits until training is over or {@code grace} passes; true if it ended in time. */
    public boolean awaitEnd(Duration grace) throws InterruptedException {
        return ended.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
