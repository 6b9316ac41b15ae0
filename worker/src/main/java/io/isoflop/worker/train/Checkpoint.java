package io.isoflop.worker.train;

/**
 * Where a run stood when its checkpoint was saved: the last step done, the tokens trained and the wall-clock
 * seconds spent so far. The data position and the learning rate follow from the step.
 */
public record Checkpoint(long step, long tokens, double wallSeconds) {
    public static final Checkpoint START = new Checkpoint(0, 0, 0);
}
