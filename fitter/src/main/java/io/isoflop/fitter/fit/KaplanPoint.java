package io.isoflop.fitter.fit;

/**
 * One point a one-variable Kaplan law is fitted through ({@link KaplanLaw}).
 *
 * @param x the law's variable: N (parameters), D (tokens) or C (FLOPs)
 * @param loss the loss there, nats per token
 * @param runId the run the loss comes from (for an envelope, the run whose curve is lowest at x)
 * @param parameters that run's N
 */
public record KaplanPoint(double x, double loss, String runId, long parameters) {}
