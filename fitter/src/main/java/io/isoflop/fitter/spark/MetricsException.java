package io.isoflop.fitter.spark;

/** The metrics directory cannot be fitted: it is missing, holds no metric files or no finished run. */
public final class MetricsException extends Exception {
    public MetricsException(String message) {
        super(message);
    }
}
