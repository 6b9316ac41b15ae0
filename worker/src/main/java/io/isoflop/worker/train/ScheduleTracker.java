package io.isoflop.worker.train;

import ai.djl.training.tracker.Tracker;
import io.isoflop.contracts.TrainingRecipe;

/** Hands the recipe's warmup + cosine learning rate to DJL's optimizer (DJL counts updates from 1). */
final class ScheduleTracker implements Tracker {
    private final TrainingRecipe recipe;

    ScheduleTracker(TrainingRecipe recipe) {
        this.recipe = recipe;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) recipe.learningRateAt(numUpdate);
    }
}
