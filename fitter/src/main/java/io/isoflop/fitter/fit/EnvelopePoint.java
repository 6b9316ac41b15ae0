package io.isoflop.fitter.fit;

/**
 * The lowest loss any run reached at one compute value C: a point of Approach 1's envelope.
 *
 * @param flops the compute value C
 * @param runId the run whose curve is lowest at C
 * @param parameters that run's N: N_opt(C)
 * @param tokens that run's tokens seen at C (interpolated): D_opt(C), C/(k·N) under the sweep's convention
 * @param loss its loss at C, nats per token
 * @param curvesCompared how many runs' curves reach C
 * @param used whether the point enters the power laws
 * @param reason why it does not; null when it does
 */
public record EnvelopePoint(double flops, String runId, long parameters, double tokens, double loss,
        int curvesCompared, boolean used, String reason) {}
