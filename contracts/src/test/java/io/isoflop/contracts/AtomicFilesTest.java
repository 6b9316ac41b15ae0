package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails part-way leaves the file as it was, no temporary behind, and says which file. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskLeavesTheOldContentAndNamesTheFile() throws Exception {
        Path full = Path.of("/dev/full"); // every write to it fails with ENOSPC, as on a full disk
        assumeTrue(Files.exists(full), "no /dev/full on this system");
        Path state = dir.resolve("state.json");
        AtomicFiles.writeString(state, "{\"attempts\": 1}");
        // the temporary this write will use is routed to the full device
        Files.createSymbolicLink(AtomicFiles.temporarySibling(state.toAbsolutePath()), full);

        IOException error = assertThrows(IOException.class,
                () -> AtomicFiles.writeString(state, "{\"attempts\": 2}".repeat(10_000)));

        assertTrue(error.getMessage().startsWith("cannot write " + state.toAbsolutePath() + ": "), error.getMessage());
        assertTrue(error.getMessage().contains("No space left on device"), error.getMessage());
        assertEquals("{\"attempts\": 1}", Files.readString(state), "the old content is intact");
        assertEquals(1, files(), "no temporary left behind");
        AtomicFiles.writeString(state, "{\"attempts\": 2}");
        assertEquals("{\"attempts\": 2}", Files.readString(state), "once there is room, the write goes through");
    }

    @Test
    void aWriterThatFailsLeavesNothingBehind() throws Exception {
        Path report = dir.resolve("out/report.html");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(report, temporary -> {
            Files.writeString(temporary, "half a report");
            throw new IllegalStateException("the chart could not be drawn");
        }));
        assertTrue(Files.notExists(report));
        try (Stream<Path> left = Files.list(report.getParent())) {
            assertEquals(0, left.count(), "no temporary left behind");
        }
    }

    private long files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void temporariesAWriterKilledPartWayLeftAreRemovedAndNothingElse(@TempDir Path dir)
            throws Exception {
        Path target = dir.resolve("attempt-1-final.parquet");
        Path left = AtomicFiles.temporarySibling(target);
        Files.writeString(left, "half");
        Files.writeString(target, "whole");
        Files.writeString(dir.resolve(".worker.lock"), "");
        Files.writeString(dir.resolve("notes.tmp-12"), "not hidden: not ours");

        assertEquals(1, AtomicFiles.removeLeftTemporaries(dir));

        assertFalse(Files.exists(left));
        assertTrue(Files.exists(target) && Files.exists(dir.resolve(".worker.lock"))
                && Files.exists(dir.resolve("notes.tmp-12")));
        assertEquals(0, AtomicFiles.removeLeftTemporaries(dir.resolve("absent")));
    }
}
