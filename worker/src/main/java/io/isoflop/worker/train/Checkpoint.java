package io.isoflop.worker.train;

/**
 * Where a run stood when its checkpoint was saved: the last step done, the tokens trained, the wall-clock seconds
 * spent so far, and the loss scale of fp16 training (1 in fp32). The data position and the learning rate follow
 * from the step.
 */
public record Checkpoint(long step, long tokens, double wallSeconds, double lossScale, long lossScaleGoodSteps) {
    public static final Checkpoint START = new Checkpoint(0, 0, 0, 0, 0);
}
