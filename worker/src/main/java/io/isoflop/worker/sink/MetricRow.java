package io.isoflop.worker.sink;

/**
 * One row of {@link io.isoflop.contracts.MetricsSchema}: the run's progress after an optimiser step.
 * Run constants (ids, budget, parameter counts, device) are added by the writer. {@code trainLoss} and
 * {@code evalLoss} may be NaN, written as null.
 *
 * @param epochs passes over the training data so far
 */
public record MetricRow(
        long step,
        long tokens,
        double flops,
        double trainLoss,
        double evalLoss,
        double learningRate,
        double wallSeconds,
        double tokensPerSecond,
        double epochs,
        boolean isFinal) {

    public MetricRow withTrainLoss(double loss) {
        return new MetricRow(step, tokens, flops, loss, evalLoss, learningRate, wallSeconds, tokensPerSecond, epochs,
                isFinal);
    }
}
