package io.isoflop.fitter.fit;

/**
 * Where one start of the multi-start fit ended.
 *
 * @param startIndex the start's index in its {@link StartGrid}
 * @param parameters the final {@code (logA, logB, logE, α, β)}; null when the start failed
 * @param objective the objective there; NaN when the start failed
 * @param steps optimiser steps taken
 * @param stopped whether the optimiser stopped by itself (converged, or its line search made no more progress)
 *     rather than at the step limit
 * @param failure why the start gave no result; null when it did
 */
record LocalMinimum(int startIndex, double[] parameters, double objective, int steps, boolean stopped,
        String failure) {

    static LocalMinimum failed(int startIndex, String failure) {
        return new LocalMinimum(startIndex, null, Double.NaN, 0, true, failure);
    }

    boolean succeeded() {
        return failure == null;
    }
}
