package io.isoflop.worker.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.contracts.MetricsLayout;
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

/** Reads metric Parquet files back, row by row, for tests. */
public final class MetricFiles {
    private MetricFiles() {}

    public static List<Group> readAll(Path file) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new UncompressedCodecFactory())
                .build();
        List<Group> groups = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            assertEquals(ParquetMetricsWriter.SCHEMA, schema);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    groups.add(records.read());
                }
            }
        }
        return groups;
    }

    /** The Parquet files of a run (parts and final), by name. */
    public static List<Path> ofRun(Path metricsDir, String runId) throws IOException {
        try (Stream<Path> files = Files.list(MetricsLayout.runDir(metricsDir, runId))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** Every row of every Parquet file of a run. */
    public static List<Group> rowsOfRun(Path metricsDir, String runId) throws IOException {
        List<Group> rows = new ArrayList<>();
        for (Path file : ofRun(metricsDir, runId)) {
            rows.addAll(readAll(file));
        }
        return rows;
    }
}
