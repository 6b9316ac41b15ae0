package io.isoflop.scheduler.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SweepPolicyTest {

    @Test
    void aPolicyReadsBackAsWritten() {
        SweepPolicy cluster = SweepPolicy.kubernetes("isoflop", 64,
                new RetryPolicy(5, RetryPolicy.NO_LIMIT, Duration.ofSeconds(30), Duration.ofMinutes(30)));
        assertEquals(cluster, SweepPolicy.fromJson(cluster.toJson()));
        SweepPolicy local = SweepPolicy.local(2, new RetryPolicy(1, 0, Duration.ZERO, Duration.ofSeconds(5)));
        assertEquals(local, SweepPolicy.fromJson(local.toJson()));
        assertTrue(cluster.onKubernetes() && !local.onKubernetes());
    }

    @Test
    void somethingElseIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepPolicy.fromJson(
                SweepPolicy.local(2, RetryPolicy.immediate(1)).toJson().replace("\"maxAttempts\" : 1",
                        "\"maxAttempts\" : 0")));
        assertTrue(e.getMessage().contains("max attempts must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SweepPolicy.fromJson("{\"backend\": \"local\", \"maxAttempts\": 3}"));
        assertTrue(e.getMessage().contains("maxParallel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SweepPolicy.fromJson("[]"));
    }
}
