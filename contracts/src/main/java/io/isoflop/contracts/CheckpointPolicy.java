package io.isoflop.contracts;

/**
 * When a worker saves a checkpoint (parameters, optimizer state, step and data position): every
 * {@code everySteps} steps and every {@code everySeconds} seconds of training, whichever comes first (0 turns
 * either off), and always when asked to stop (SIGTERM). Checkpoints are deleted when the run finishes unless
 * {@code keep}.
 */
public record CheckpointPolicy(long everySteps, long everySeconds, boolean keep) {

    /** Every ten minutes: a preempted run loses at most that much, and a short run writes none. */
    public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(0, 600, false);

    public CheckpointPolicy {
        if (everySteps < 0 || everySeconds < 0) {
            throw new IllegalArgumentException("checkpoint intervals must be >= 0, got every " + everySteps
                    + " steps, " + everySeconds + " s");
        }
    }

    /** True when a checkpoint is due after {@code step}, {@code secondsSinceLast} after the previous one. */
    public boolean isDue(long step, double secondsSinceLast) {
        return (everySteps > 0 && step % everySteps == 0) || (everySeconds > 0 && secondsSinceLast >= everySeconds);
    }
}
