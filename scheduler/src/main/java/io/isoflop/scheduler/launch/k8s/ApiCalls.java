package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Calls to the API server with the two rules every call here follows: a create that finds the object already
 * there (409) counts as done, which makes creation idempotent across scheduler restarts; throttling (429) and
 * server or connection errors (5xx, no response) are retried with exponential backoff a bounded number of
 * times. Every failed try is reported by HTTP status (0 when no response came back) for the metrics, except
 * 404 and 409: the answers that idempotent creation and restarts expect.
 */
public final class ApiCalls {
    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    private static final int MAX_TRIES = 6;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final IntConsumer errors;

    /** @param errors told the HTTP status of every failed try (0: no response) */
    public ApiCalls(IntConsumer errors) {
        this.errors = errors;
    }

    @FunctionalInterface
    public interface Call<T> {
        T run() throws ApiException;
    }

    /** Runs a create; returns null if the object already existed. */
    public <T> T createIfAbsent(Call<T> create) throws ApiException {
        try {
            return call(create);
        } catch (ApiException e) {
            if (e.getCode() == CONFLICT) {
                return null;
            }
            throw e;
        }
    }

    /** Runs a call, retrying throttling and transient failures with backoff. */
    public <T> T call(Call<T> call) throws ApiException {
        long sleep = FIRST_BACKOFF.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (ApiException e) {
                if (e.getCode() != NOT_FOUND && e.getCode() != CONFLICT) {
                    errors.accept(e.getCode());
                }
                boolean transientError = e.getCode() == 429 || e.getCode() >= 500 || e.getCode() == 0;
                if (!transientError || attempt >= MAX_TRIES) {
                    throw e;
                }
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                sleep *= 2;
            }
        }
    }
}
