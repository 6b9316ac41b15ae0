package io.isoflop.worker.sink;

/**
 * One row of {@link io.isoflop.contracts.MetricsSchema}: the run's progress after an optimiser step.
 * Run constants (ids, budget, parameter counts) are added by the writer. {@code trainLoss} and
 * {@code evalLoss} may be NaN, written as null.
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
        boolean isFinal) {}
