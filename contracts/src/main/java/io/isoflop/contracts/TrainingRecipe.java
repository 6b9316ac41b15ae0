package io.isoflop.contracts;

/**
 * Everything the worker needs to train one run, already resolved by the planner: AdamW with a linear warmup
 * followed by a cosine decay to {@code minLearningRateRatio·peak} over exactly {@code steps} steps.
 * The last step may hold fewer sequences so that the run sees exactly its planned tokens.
 */
public record TrainingRecipe(
        int batchSequences,
        long steps,
        double peakLearningRate,
        double minLearningRateRatio,
        long warmupSteps,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay) {

    /** Learning rate at a 1-based step: linear warmup, then cosine decay ending at min ratio on the last step. */
    public double learningRateAt(long step) {
        if (warmupSteps > 0 && step <= warmupSteps) {
            return peakLearningRate * step / warmupSteps;
        }
        long decaySteps = Math.max(1, steps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peakLearningRate * (minLearningRateRatio + (1 - minLearningRateRatio) * cosine);
    }
}
