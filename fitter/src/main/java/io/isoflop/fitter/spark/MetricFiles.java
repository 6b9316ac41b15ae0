package io.isoflop.fitter.spark;

import io.isoflop.contracts.MetricsSchema;
import io.isoflop.fitter.metrics.AttemptRows;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A sweep's metric files ({@code <metricsDir>/<runId>/*.parquet}), read in one Spark job over the files: of each file
 * only the columns the fit reads ({@link #REQUIRED}) and only its evaluation and final rows ({@link MetricFileReader}),
 * so the driver receives a few rows per evaluation, not one per step. Files the fit cannot read are left out and
 * named with why: not a whole Parquet file (cut short, overwritten), or a schema that lacks a column the fit needs or
 * holds it with another type (written by something else, or another schema version). Each file is opened once, so
 * one bad file can neither fail the read nor impose its schema on the others.
 */
public final class MetricFiles {
    /** The columns the fit reads, with their types in {@link MetricsSchema#PARQUET_MESSAGE}. */
    static final List<String> REQUIRED = List.of(MetricsSchema.RUN_ID, MetricsSchema.SWEEP, MetricsSchema.ATTEMPT,
            MetricsSchema.STEP, MetricsSchema.IS_FINAL, MetricsSchema.BUDGET_FLOPS, MetricsSchema.N_PARAMS,
            MetricsSchema.TOKENS, MetricsSchema.FLOPS, MetricsSchema.EVAL_LOSS, MetricsSchema.FLOP_CONVENTION);
    static final String NOT_PARQUET = "not a whole Parquet file";
    private static final MessageType EXPECTED = MessageTypeParser.parseMessageType(MetricsSchema.PARQUET_MESSAGE);
    private static final int LISTED = 10;
    /** Tasks per core: files differ in size (runs differ in steps), so more tasks than cores even out the load. */
    private static final int TASKS_PER_CORE = 4;

    private final Path metricsDir;
    private final int files;
    private final Map<Path, String> leftOut;
    private final List<AttemptRows> attempts;
    private final long rows;

    private MetricFiles(Path metricsDir, int files, Map<Path, String> leftOut, List<AttemptRows> attempts,
            long rows) {
        this.metricsDir = metricsDir;
        this.files = files;
        this.rows = rows;
        this.leftOut = leftOut;
        this.attempts = List.copyOf(attempts);
    }

    /**
     * Lists the metric files under {@code metricsDir} and reads them.
     *
     * @throws MetricsException when the directory does not exist or holds no metric file at all
     */
    public static MetricFiles find(SparkSession spark, Path metricsDir) throws MetricsException {
        if (!Files.isDirectory(metricsDir)) {
            throw new MetricsException("metrics directory " + metricsDir + " does not exist or is not a directory");
        }
        List<String> uris;
        try (Stream<Path> files = Files.walk(metricsDir, 2)) {
            uris = files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".parquet"))
                    .sorted().map(f -> f.toAbsolutePath().toUri().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + metricsDir, e);
        }
        if (uris.isEmpty()) {
            throw new MetricsException("no metric files (<runId>/attempt-*.parquet) in " + metricsDir);
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int tasks = Math.max(1, Math.min(uris.size(), context.defaultParallelism() * TASKS_PER_CORE));
        Map<Path, String> leftOut = new TreeMap<>();
        List<AttemptRows> attempts = new ArrayList<>();
        long rows = 0;
        for (FileRead read : context.parallelize(uris, tasks).map(MetricFiles::read).collect()) {
            if (read.result().problem() != null) {
                leftOut.put(Path.of(URI.create(read.uri())), read.result().problem());
            }
            attempts.addAll(read.result().attempts());
            rows += read.result().rows();
        }
        return new MetricFiles(metricsDir.toAbsolutePath(), uris.size(), leftOut, attempts, rows);
    }

    private static FileRead read(String uri) {
        URI location = URI.create(uri);
        try {
            if ("file".equals(location.getScheme())) { // plain local reads: no Hadoop checksum-file lookups
                return new FileRead(uri, MetricFileReader.read(new LocalInputFile(Path.of(location)),
                        MetricFileReader.PLAIN_OPTIONS));
            }
            Configuration hadoop = new Configuration();
            return new FileRead(uri, MetricFileReader.read(
                    HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(uri), hadoop),
                    HadoopReadOptions.builder(hadoop).build()));
        } catch (IOException e) {
            return new FileRead(uri, MetricFileReader.Result.leftOut(NOT_PARQUET));
        }
    }

    private record FileRead(String uri, MetricFileReader.Result result) implements Serializable {}

    /** What {@code schema} lacks or holds with another type, of the columns the fit reads; null when nothing. */
    static String schemaProblem(MessageType schema) {
        List<String> problems = new ArrayList<>();
        for (String column : REQUIRED) {
            Type want = EXPECTED.getType(column);
            if (!schema.containsField(column)) {
                problems.add("lacks " + column);
                continue;
            }
            Type have = schema.getType(column);
            if (!have.isPrimitive() || have.asPrimitiveType().getPrimitiveTypeName()
                    != want.asPrimitiveType().getPrimitiveTypeName()) {
                problems.add(column + " is " + (have.isPrimitive() ? have.asPrimitiveType().getPrimitiveTypeName()
                        : "a group") + ", expected " + want.asPrimitiveType().getPrimitiveTypeName());
            }
        }
        return problems.isEmpty() ? null : "another schema: " + String.join("; ", problems);
    }

    /** The attempts read from the files the fit could read. */
    List<AttemptRows> attempts() {
        return attempts;
    }

    /** How many metric files there are, read or left out. */
    public int files() {
        return files;
    }

    /** How many metric rows the files that were read hold. */
    public long rows() {
        return rows;
    }

    /** Whether no file could be read. */
    boolean isEmpty() {
        return leftOut.size() == files;
    }

    Path metricsDir() {
        return metricsDir;
    }

    /** The files left out, with why. */
    public Map<Path, String> leftOut() {
        return leftOut;
    }

    /** One diagnostic per kind of file left out, naming up to ten files each. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        List<Path> cut = leftOut.entrySet().stream().filter(e -> e.getValue().equals(NOT_PARQUET))
                .map(Map.Entry::getKey).toList();
        if (!cut.isEmpty()) {
            notes.add(cut.size() + " metric file(s) are not whole Parquet files and were left out (the scheduler sets"
                    + " them aside and trains their runs again): " + cut.stream().limit(LISTED)
                    .map(f -> metricsDir.relativize(f.toAbsolutePath()).toString()).collect(Collectors.joining(", "))
                    + (cut.size() > LISTED ? ", …" : ""));
        }
        List<Map.Entry<Path, String>> foreign = leftOut.entrySet().stream()
                .filter(e -> !e.getValue().equals(NOT_PARQUET)).toList();
        if (!foreign.isEmpty()) {
            notes.add(foreign.size() + " metric file(s) have a schema the fit cannot read and were left out (their runs"
                    + " are not fitted unless another attempt's file is whole): " + foreign.stream().limit(LISTED)
                    .map(e -> metricsDir.relativize(e.getKey().toAbsolutePath()) + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", ")) + (foreign.size() > LISTED ? ", …" : ""));
        }
        return notes;
    }
}
