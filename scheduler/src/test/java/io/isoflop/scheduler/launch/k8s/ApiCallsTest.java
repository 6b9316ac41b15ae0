package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubernetes.client.openapi.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiCallsTest {
    private final List<Integer> counted = new ArrayList<>();
    private final ApiCalls api = new ApiCalls(counted::add);

    private static ApiCalls.Call<String> failing(AtomicInteger calls, int times, int code) {
        return () -> {
            if (calls.incrementAndGet() <= times) {
                throw new ApiException(code, "HTTP " + code);
            }
            return "ok";
        };
    }

    @Test
    void throttlingAndServerErrorsAreRetriedAndCountedByCode() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        assertEquals("ok", api.call(failing(calls, 2, 429)));
        assertEquals(3, calls.get());
        AtomicInteger again = new AtomicInteger();
        assertEquals("ok", api.call(failing(again, 1, 503)));
        assertEquals(List.of(429, 429, 503), counted);
    }

    @Test
    void aClientErrorIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        ApiException e = assertThrows(ApiException.class, () -> api.call(failing(calls, 5, 422)));
        assertEquals(422, e.getCode());
        assertEquals(1, calls.get());
        assertEquals(List.of(422), counted);
    }

    @Test
    void aCreateThatFindsTheObjectIsDoneAndNotAnError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        assertNull(api.createIfAbsent(failing(calls, 1, 409)));
        assertEquals(1, calls.get(), "409 is an answer, not a failure to retry");
        assertEquals(List.of(), counted, "nor an error to count: restarts expect it");
    }
}
