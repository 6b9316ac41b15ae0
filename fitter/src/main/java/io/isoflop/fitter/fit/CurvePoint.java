package io.isoflop.fitter.fit;

/**
 * One held-out evaluation during a run.
 *
 * @param flops training FLOPs spent so far, under the sweep's declared FLOP convention
 * @param tokens training tokens seen so far
 * @param loss held-out cross-entropy, nats per token
 */
public record CurvePoint(double flops, long tokens, double loss) {}
