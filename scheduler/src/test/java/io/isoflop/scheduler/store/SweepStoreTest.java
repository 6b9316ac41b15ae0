package io.isoflop.scheduler.store;

import io.isoflop.scheduler.FinalMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ProcessLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unreadable state file is rebuilt from the metrics and the worker's lock, never a dead end. */
class SweepStoreTest {

    @Test
    void unreadableStateOfAnUnfinishedRunIsSetAsideAndTheRunIsPendingAgain(@TempDir Path dir) throws Exception {
        SweepStore store = new SweepStore(dir);
        store.save(RunRecord.empty("r1").with(AttemptRecord.started(1, "t").ended("t", 1, AttemptRecord.Outcome.FAILED)));
        Path state = store.runDir("r1").resolve("state.json");
        Files.writeString(state, "{\"runId\": \"r1\", \"attempts\": [{\"numb"); // cut off mid-write

        RunRecord record = store.load("r1");

        assertEquals(List.of(), record.attempts());
        assertEquals(RunPhase.PENDING, RunPhase.of(store.isFinished("r1"), record, 3));
        assertEquals("{\"runId\": \"r1\", \"attempts\": [{\"numb",
                Files.readString(state.resolveSibling("state.json.unreadable")), "the evidence is kept");
    }

    @Test
    void unreadableStateOfAFinishedRunReadsAsSucceeded(@TempDir Path dir) throws Exception {
        SweepStore store = new SweepStore(dir);
        FinalMetrics.write(MetricsLayout.ofSweep(store.sweepDir()), "r2", 1);
        Files.createDirectories(store.runDir("r2"));
        Files.writeString(store.runDir("r2").resolve("state.json"), "\u0000\u0000garbage");

        assertEquals(RunPhase.SUCCEEDED, RunPhase.of(store.isFinished("r2"), store.load("r2"), 3));
    }

    @Test
    void unreadableStateOfARunWhoseWorkerIsTrainingReadsAsRunningSoThatItIsFollowed(@TempDir Path dir)
            throws Exception {
        SweepStore store = new SweepStore(dir);
        Files.createDirectories(store.runDir("r3"));
        Files.writeString(store.runDir("r3").resolve("state.json"), "[]");
        try (ProcessLock worker = ProcessLock.tryAcquire(MetricsLayout.lockFile(MetricsLayout.ofSweep(store.sweepDir()), "r3"))
                .orElseThrow()) {
            assertEquals(RunPhase.RUNNING, RunPhase.of(store.isFinished("r3"), store.load("r3"), 3));
        }
    }
}
