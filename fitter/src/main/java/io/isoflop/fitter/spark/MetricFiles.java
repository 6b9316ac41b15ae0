package io.isoflop.fitter.spark;

import io.isoflop.contracts.MetricsSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A sweep's metric files ({@code <metricsDir>/<runId>/*.parquet}), sorted into those the fitter reads and those it
 * leaves out, with why: a file that is not a whole Parquet file (cut short, overwritten), or one whose schema lacks
 * a column the fit needs or holds it with another type (written by something else, or another schema version).
 * Every file's footer is read once, in a Spark job, so that one bad file can neither fail the read nor impose its
 * schema on the others.
 */
public final class MetricFiles {
    /** The columns the fit reads, with their types in {@link MetricsSchema#PARQUET_MESSAGE}. */
    static final List<String> REQUIRED = List.of(MetricsSchema.RUN_ID, MetricsSchema.SWEEP, MetricsSchema.ATTEMPT,
            MetricsSchema.STEP, MetricsSchema.IS_FINAL, MetricsSchema.BUDGET_FLOPS, MetricsSchema.N_PARAMS,
            MetricsSchema.TOKENS, MetricsSchema.FLOPS, MetricsSchema.EVAL_LOSS, MetricsSchema.FLOP_CONVENTION);
    static final String NOT_PARQUET = "not a whole Parquet file";
    private static final int LISTED = 10;

    private final Path metricsDir;
    private final List<Path> readable;
    private final Map<Path, String> leftOut;

    private MetricFiles(Path metricsDir, List<Path> readable, Map<Path, String> leftOut) {
        this.metricsDir = metricsDir;
        this.readable = List.copyOf(readable);
        this.leftOut = leftOut;
    }

    /**
     * Lists and checks the metric files under {@code metricsDir}.
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
        Map<Path, String> leftOut = new TreeMap<>();
        context.parallelize(uris, Math.max(1, Math.min(uris.size() / 64 + 1, context.defaultParallelism())))
                .mapPartitions(MetricFiles::problems)
                .collect()
                .forEach(verdict -> leftOut.put(Path.of(java.net.URI.create(verdict[0])), verdict[1]));
        List<Path> readable = new ArrayList<>();
        for (String uri : uris) {
            Path file = Path.of(java.net.URI.create(uri));
            if (!leftOut.containsKey(file)) {
                readable.add(file);
            }
        }
        return new MetricFiles(metricsDir.toAbsolutePath(), readable, leftOut);
    }

    /**
     * The files of one partition that the fit cannot read, as {uri, why} pairs. One Hadoop configuration serves the
     * partition: creating one per file (it parses its default resources) cost 7 ms a file, as much as the read.
     */
    private static java.util.Iterator<String[]> problems(java.util.Iterator<String> uris) {
        Configuration hadoop = new Configuration();
        List<String[]> found = new ArrayList<>();
        uris.forEachRemaining(uri -> {
            String problem = problemOf(uri, hadoop);
            if (problem != null) {
                found.add(new String[] {uri, problem});
            }
        });
        return found.iterator();
    }

    /** Why the fit cannot read this file ({@link #NOT_PARQUET}, or what its schema lacks), or null when it can. */
    static String problemOf(String uri, Configuration hadoop) {
        MessageType schema;
        java.net.URI location = java.net.URI.create(uri);
        try (ParquetFileReader reader = ParquetFileReader.open("file".equals(location.getScheme())
                ? new LocalInputFile(Path.of(location)) // plain local reads: no Hadoop checksum-file lookups
                : HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(uri), hadoop))) {
            schema = reader.getFooter().getFileMetaData().getSchema();
        } catch (IOException | RuntimeException e) {
            return NOT_PARQUET;
        }
        return schemaProblem(schema);
    }

    /** What {@code schema} lacks or holds with another type, of the columns the fit reads; null when nothing. */
    static String schemaProblem(MessageType schema) {
        MessageType expected = MessageTypeParser.parseMessageType(MetricsSchema.PARQUET_MESSAGE);
        List<String> problems = new ArrayList<>();
        for (String column : REQUIRED) {
            Type want = expected.getType(column);
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

    /** The files the fit reads, as one table. */
    Dataset<Row> load(SparkSession spark) {
        return spark.read().parquet(readable.stream().map(f -> f.toUri().toString()).toArray(String[]::new));
    }

    boolean isEmpty() {
        return readable.isEmpty();
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
