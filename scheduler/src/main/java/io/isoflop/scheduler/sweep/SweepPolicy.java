package io.isoflop.scheduler.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;

/**
 * How a sweep is driven, kept with the sweep (its directory's {@code policy.json}, and its ConfigMap on a cluster)
 * so that every later command, {@code isoflop status} included, judges its runs by what it ran with.
 *
 * @param backend {@link #LOCAL} or {@link #KUBERNETES}
 * @param namespace where a cluster sweep's ConfigMap and Jobs are; null for a local sweep
 */
public record SweepPolicy(String backend, String namespace, int maxParallel, RetryPolicy retries) {
    public static final String LOCAL = "local";
    public static final String KUBERNETES = "kubernetes";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public static SweepPolicy local(int maxParallel, RetryPolicy retries) {
        return new SweepPolicy(LOCAL, null, maxParallel, retries);
    }

    public static SweepPolicy kubernetes(String namespace, int maxParallel, RetryPolicy retries) {
        return new SweepPolicy(KUBERNETES, namespace, maxParallel, retries);
    }

    public boolean onKubernetes() {
        return KUBERNETES.equals(backend);
    }

    /** The JSON form: backoffs in whole seconds. */
    private record Document(String backend, String namespace, int maxParallel, int maxAttempts, int maxFailedRuns,
            long backoffSeconds, long maxBackoffSeconds) {}

    public String toJson() {
        try {
            return JSON.writeValueAsString(new Document(backend, namespace, maxParallel, retries.maxAttempts(),
                    retries.maxFailedRuns(), retries.firstBackoff().toSeconds(), retries.maxBackoff().toSeconds()))
                    + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException if {@code json} is not a policy document */
    public static SweepPolicy fromJson(String json) {
        try {
            Document d = JSON.readValue(json, Document.class);
            return new SweepPolicy(d.backend(), d.namespace(), d.maxParallel(), new RetryPolicy(d.maxAttempts(),
                    d.maxFailedRuns(), Duration.ofSeconds(d.backoffSeconds()), Duration.ofSeconds(d.maxBackoffSeconds())));
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(name -> name != null).reduce((a, b) -> a + "." + b).orElse("(document)");
            throw new IllegalArgumentException("not a sweep policy document: " + field + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sweep policy document: " + e.getOriginalMessage(), e);
        }
    }
}
