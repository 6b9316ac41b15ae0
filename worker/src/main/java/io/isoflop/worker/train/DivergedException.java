package io.isoflop.worker.train;

/** The training loss became NaN or infinite: the same spec and seed would diverge again. */
public final class DivergedException extends RuntimeException {
    DivergedException(String message) {
        super(message);
    }
}
