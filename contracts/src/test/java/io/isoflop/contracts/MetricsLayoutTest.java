package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
    void aRunIsFinishedExactlyWhenAWholeFinalFileExists(@TempDir Path metrics) throws Exception {
        assertFalse(MetricsLayout.isFinished(metrics, "r1"), "no directory");
        Files.createDirectories(MetricsLayout.runDir(metrics, "r1"));
        Files.write(MetricsLayout.partFile(metrics, "r1", 1, 0), parquetFrame(40));
        Files.writeString(MetricsLayout.lockFile(metrics, "r1"), "");
        assertFalse(MetricsLayout.isFinished(metrics, "r1"), "parts and a lock only");
        byte[] whole = parquetFrame(100);
        Files.write(MetricsLayout.finalFile(metrics, "r1", 2), Arrays.copyOf(whole, whole.length - 3));
        assertFalse(MetricsLayout.isFinished(metrics, "r1"), "a final file cut short");
        Files.writeString(MetricsLayout.finalFile(metrics, "r1", 3), "garbage, not Parquet");
        assertFalse(MetricsLayout.isFinished(metrics, "r1"), "a final file that is not Parquet");
        Files.write(MetricsLayout.finalFile(metrics, "r1", 4), whole);
        assertTrue(MetricsLayout.isFinished(metrics, "r1"));
        assertFalse(MetricsLayout.isFinished(metrics, "r2"), "another run");
    }

    @Test
    void unreadableMetricFilesAreSetAsideUnderANameReadersSkip(@TempDir Path metrics) throws Exception {
        Files.createDirectories(MetricsLayout.runDir(metrics, "r1"));
        Path part = MetricsLayout.partFile(metrics, "r1", 1, 10);
        Files.write(part, parquetFrame(30));
        Path cut = MetricsLayout.finalFile(metrics, "r1", 1);
        Files.write(cut, Arrays.copyOf(parquetFrame(30), 20));

        List<Path> setAside = MetricsLayout.setAsideUnreadable(metrics, "r1");

        assertEquals(List.of(cut.resolveSibling("attempt-1-final.parquet.unreadable")), setAside);
        assertTrue(Files.exists(part) && !Files.exists(cut) && Files.exists(setAside.get(0)));
        assertEquals(List.of(), MetricsLayout.setAsideUnreadable(metrics, "r2"), "no such run");
    }

    /** A Parquet file's frame around {@code footer} bytes of (meaningless) footer and some data. */
    static byte[] parquetFrame(int footer) {
        ByteBuffer bytes = ByteBuffer.allocate(4 + 16 + footer + 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put("PAR1".getBytes(StandardCharsets.US_ASCII)).put(new byte[16]).put(new byte[footer]).putInt(footer)
                .put("PAR1".getBytes(StandardCharsets.US_ASCII));
        return bytes.array();
    }
}
