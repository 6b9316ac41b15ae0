package io.isoflop.scheduler.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffDoublesPerFailedAttemptUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, 3, Duration.ofSeconds(30), Duration.ofMinutes(5));
        assertEquals(Duration.ZERO, policy.backoffAfter(0));
        assertEquals(Duration.ofSeconds(30), policy.backoffAfter(1));
        assertEquals(Duration.ofSeconds(60), policy.backoffAfter(2));
        assertEquals(Duration.ofSeconds(240), policy.backoffAfter(4));
        assertEquals(Duration.ofMinutes(5), policy.backoffAfter(5));
        assertEquals(Duration.ofMinutes(5), policy.backoffAfter(1000), "no overflow for many failures");
    }

    @Test
    void theSweepStopsOnlyPastTheLimit() {
        RetryPolicy policy = new RetryPolicy(3, 2, Duration.ZERO, Duration.ZERO);
        assertFalse(policy.stopsAt(2));
        assertTrue(policy.stopsAt(3));
        assertFalse(RetryPolicy.immediate(3).stopsAt(1_000_000));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, -1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, 1, Duration.ofSeconds(10), Duration.ofSeconds(5)));
    }
}
