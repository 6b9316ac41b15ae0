package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.contracts.WorkerProtocol.Retry;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerProtocolTest {

    @Test
    void everyExitHasItsOwnCodeAndIsFoundByIt() {
        assertEquals(Exit.values().length, Arrays.stream(Exit.values()).mapToInt(Exit::code).distinct().count());
        for (Exit exit : Exit.values()) {
            assertEquals(Optional.of(exit), Exit.of(exit.code()));
        }
        assertEquals(Optional.empty(), Exit.of(137), "SIGKILL is outside the protocol");
    }

    @Test
    void whatTheSchedulerDoesAboutEachExit() {
        assertEquals(0, Exit.DONE.code());
        assertEquals(143, Exit.PREEMPTED.code(), "what a JVM stopped by SIGTERM reports");
        assertEquals(Retry.NO, Exit.BAD_INPUT.retry());
        assertEquals(Retry.NO, Exit.DIVERGED.retry());
        assertEquals(Retry.WITHOUT_USING_AN_ATTEMPT, Exit.PREEMPTED.retry());
        assertEquals(Retry.USING_AN_ATTEMPT, Exit.FAILED.retry());
        assertEquals(Retry.USING_AN_ATTEMPT, Exit.NO_GPU.retry());
    }
}
