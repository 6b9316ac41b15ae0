package io.isoflop.scheduler.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during a sweep: runs the stop it was given (the sweep runner's), then holds the JVM's exit until
 * the command has recorded how its attempts ended and let go of the sweep ({@link #close}), for at most
 * {@link #PATIENCE}: a worker gets 25 s to checkpoint, so that a stopped sweep leaves no attempt recorded as
 * running with nothing behind it.
 */
final class OrderlyStop implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(40);

    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook = new Thread(this::stopAndWait, "isoflop-orderly-stop");
    private volatile Runnable onSignal;

    private OrderlyStop() {}

    static OrderlyStop install() {
        OrderlyStop stop = new OrderlyStop();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** What a signal does from now on. */
    void onSignal(Runnable action) {
        onSignal = action;
    }

    private void stopAndWait() {
        Runnable action = onSignal;
        if (action == null) {
            return; // nothing started yet: nothing to record
        }
        action.run();
        try {
            released.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done with the sweep: an exit under way may go on, and a later one needs no stop. */
    @Override
    public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the latch is open
        }
    }
}
