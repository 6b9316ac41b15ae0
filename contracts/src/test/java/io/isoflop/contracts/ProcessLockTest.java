package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLockTest {

    @Test
    void oneHolderAtATimeWhoNamesItself(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/.worker.lock");
        assertFalse(ProcessLock.isHeld(file));
        assertEquals(Optional.empty(), ProcessLock.holder(file));
        try (ProcessLock held = ProcessLock.tryAcquire(file).orElseThrow()) {
            assertTrue(ProcessLock.tryAcquire(file).isEmpty(), "a second holder is refused");
            assertTrue(ProcessLock.isHeld(file));
            assertEquals(Optional.of(ProcessHandle.current().pid()), ProcessLock.holder(file));
        }
        assertFalse(ProcessLock.isHeld(file), "released on close");
        assertTrue(ProcessLock.tryAcquire(file, Duration.ofMillis(200)).isPresent());
    }

    @Test
    void waitingForALockGivesUpAfterItsPatience(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".lock");
        try (ProcessLock held = ProcessLock.tryAcquire(file).orElseThrow()) {
            long start = System.nanoTime();
            assertTrue(ProcessLock.tryAcquire(file, Duration.ofMillis(300)).isEmpty());
            assertTrue(System.nanoTime() - start >= 300_000_000L, "it waited");
        }
    }
}
