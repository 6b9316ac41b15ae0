package io.isoflop.worker.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.worker.device.ComputeDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetMetricsWriterTest {
    private static final RunConstants RUN =
            new RunConstants("c1e11-n3312-abc123", "demo", 1700000000000L, 1e11, "6N", 3312, 70000, 3312, 5_000_000,
                    6.0 * 3312, 6.0 * 3312, 30000, 40000, new ComputeDevice(ComputeDevice.CPU, "Test CPU", 1), "fp32");

    @Test
    void rowsRoundTripThroughParquetWithNullsForMissingLosses(@TempDir Path dir) throws IOException {
        List<MetricRow> rows = List.of(
                new MetricRow(1, 1024, 1024 * 6.0 * 3312, 5.61, Double.NaN, 1e-4, 0.5, 2048, 0.5, false),
                new MetricRow(2, 2048, 2048 * 6.0 * 3312, 5.12, 5.20, 2e-4, 1.0, 2048, 0.5, false),
                new MetricRow(2, 2048, 2048 * 6.0 * 3312, 5.12, 5.18, 2e-4, 1.2, 1700, 0.5, true));
        Path file = MetricsLayout.finalFile(dir, RUN.runId(), RUN.attempt());
        ParquetMetricsWriter.write(file, RUN, rows);

        List<Group> read = MetricFiles.readAll(file);
        assertEquals(3, read.size());
        Group first = read.get(0);
        assertEquals(RUN.runId(), first.getString(MetricsSchema.RUN_ID, 0));
        assertEquals(RUN.attempt(), first.getLong(MetricsSchema.ATTEMPT, 0));
        assertEquals(1, first.getLong(MetricsSchema.STEP, 0));
        assertEquals(5.61, first.getDouble(MetricsSchema.TRAIN_LOSS, 0));
        assertEquals(0, first.getFieldRepetitionCount(MetricsSchema.EVAL_LOSS), "no evaluation on step 1 → null");
        assertEquals(3312, first.getLong(MetricsSchema.N_PARAMS, 0));
        assertEquals(70000, first.getLong(MetricsSchema.N_PARAMS_TOTAL, 0));
        assertEquals("6N", first.getString(MetricsSchema.FLOP_CONVENTION, 0));
        assertEquals(5.20, read.get(1).getDouble(MetricsSchema.EVAL_LOSS, 0));
        Group summary = read.get(2);
        assertTrue(summary.getBoolean(MetricsSchema.IS_FINAL, 0));
        assertEquals(5.18, summary.getDouble(MetricsSchema.EVAL_LOSS, 0));
        assertEquals(2048 * 6.0 * 3312, summary.getDouble(MetricsSchema.FLOPS, 0));
        assertEquals(0.5, summary.getDouble(MetricsSchema.EPOCHS, 0));
        assertEquals(30000, first.getDouble(MetricsSchema.FLOPS_PER_TOKEN_MODEL, 0));
        assertEquals("cpu", first.getString(MetricsSchema.DEVICE_TYPE, 0));
        assertEquals("Test CPU", summary.getString(MetricsSchema.DEVICE_NAME, 0));
        assertEquals(1, summary.getInteger(MetricsSchema.DEVICE_COUNT, 0));
        assertEquals("fp32", summary.getString(MetricsSchema.PRECISION, 0));
        assertTrue(MetricsLayout.isFinished(dir, RUN.runId()));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left behind");
        }
    }

    @Test
    void partFilesDoNotMarkARunFinishedAndPartsBeyondAResumedCheckpointAreDropped(@TempDir Path dir)
            throws IOException {
        RunMetricsSink sink = new RunMetricsSink(dir, RUN);
        sink.add(new MetricRow(1, 1024, 1.0, 5.6, Double.NaN, 1e-4, 0.1, 1e4, 0.5, false));
        sink.writePart(1);
        sink.writePart(1);
        assertFalse(MetricsLayout.isFinished(dir, RUN.runId()));
        try (Stream<Path> files = Files.list(MetricsLayout.runDir(dir, RUN.runId()))) {
            assertEquals(1, files.count(), "an empty part writes nothing");
        }
        Path older = MetricsLayout.partFile(dir, RUN.runId(), RUN.attempt(), 1);
        Path later = MetricsLayout.partFile(dir, RUN.runId(), RUN.attempt() - 1, 7);
        Files.copy(older, later);
        sink.discardAfter(1);
        assertTrue(Files.exists(older), "rows up to the checkpoint stay");
        assertFalse(Files.exists(later), "rows after it are trained again, so their old part goes");
        sink.add(new MetricRow(2, 2048, 2.0, 5.5, Double.NaN, 1e-4, 0.2, 1e4, 0.5, false));
        Path last = sink.finish(new MetricRow(2, 2048, 2.0, 5.5, 5.4, 1e-4, 0.3, 1e4, 0.5, true));
        assertTrue(MetricsLayout.isFinished(dir, RUN.runId()));
        assertEquals(2, MetricFiles.readAll(last).size(), "the final file holds the unflushed row and the summary");
    }
}
