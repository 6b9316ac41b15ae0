package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;

/**
 * Calls to the API server with the two rules every write here follows: a create that finds the object already
 * there (409) counts as done, which makes creation idempotent across scheduler restarts; throttling (429) and
 * server errors (5xx) are retried with exponential backoff a bounded number of times.
 */
final class ApiCalls {
    static final int CONFLICT = 409;
    private static final int MAX_TRIES = 6;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private ApiCalls() {}

    @FunctionalInterface
    interface Call<T> {
        T run() throws ApiException;
    }

    /** Runs a create; returns null if the object already existed. */
    static <T> T createIfAbsent(Call<T> create) throws ApiException {
        try {
            return withBackoff(create);
        } catch (ApiException e) {
            if (e.getCode() == CONFLICT) {
                return null;
            }
            throw e;
        }
    }

    static <T> T withBackoff(Call<T> call) throws ApiException {
        long sleep = FIRST_BACKOFF.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (ApiException e) {
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
