package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLayoutTest {

    @Test
    void filesOfARunLiveUnderItsIdInTheSweepsMetricsDirectory(@TempDir Path sweep) {
        Path metrics = MetricsLayout.ofSweep(sweep);
        assertEquals(sweep.resolve("metrics"), metrics);
        Path part = MetricsLayout.partFile(metrics, "r1", 7, 1200);
        assertEquals(metrics.resolve("r1/attempt-7-part-000001200.parquet"), part);
        assertEquals(1200, MetricsLayout.partLastStep(part).orElseThrow(), "a part names the last step it holds");
        assertTrue(MetricsLayout.partLastStep(MetricsLayout.finalFile(metrics, "r1", 7)).isEmpty());
        assertTrue(MetricsLayout.checkpointDir(metrics, "r1").getFileName().toString().startsWith("."),
                "checkpoints are hidden from Spark too");
        assertEquals(MetricsLayout.checkpointDir(metrics, "r1"), MetricsLayout.checkpointFile(metrics, "r1", 5)
                .getParent());
        assertEquals(metrics.resolve("r1/attempt-7-final.parquet"), MetricsLayout.finalFile(metrics, "r1", 7));
        assertTrue(MetricsLayout.lockFile(metrics, "r1").getFileName().toString().startsWith("."),
                "the lock is a hidden file, which Spark does not read as data");
    }

    @Test
    void aRunIsFinishedExactlyWhenAFinalFileExists(@TempDir Path metrics) throws Exception {
        assertFalse(MetricsLayout.isFinished(metrics, "r1"), "no directory");
        Files.createDirectories(MetricsLayout.runDir(metrics, "r1"));
        Files.writeString(MetricsLayout.partFile(metrics, "r1", 1, 0), "");
        Files.writeString(MetricsLayout.lockFile(metrics, "r1"), "");
        assertFalse(MetricsLayout.isFinished(metrics, "r1"), "parts and a lock only");
        Files.writeString(MetricsLayout.finalFile(metrics, "r1", 2), "");
        assertTrue(MetricsLayout.isFinished(metrics, "r1"));
        assertFalse(MetricsLayout.isFinished(metrics, "r2"), "another run");
    }
}
