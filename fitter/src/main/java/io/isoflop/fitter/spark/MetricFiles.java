package io.isoflop.fitter.spark;

import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.ObjectStore;
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
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.HadoopReadOptions;
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

    private final String metricsDir;
    private final int files;
    private final Map<String, String> leftOut;
    private final List<AttemptRows> attempts;
    private final long rows;

    private MetricFiles(String metricsDir, int files, Map<String, String> leftOut, List<AttemptRows> attempts,
            long rows) {
        this.metricsDir = metricsDir;
        this.files = files;
        this.rows = rows;
        this.leftOut = leftOut;
        this.attempts = List.copyOf(attempts);
    }

    /** Lists the metric files under the directory {@code metricsDir} and reads them; see {@link #find(SparkSession, String)}. */
    public static MetricFiles find(SparkSession spark, Path metricsDir) throws MetricsException {
        return find(spark, metricsDir.toString());
    }

    /**
     * Lists the metric files under {@code location} (a directory, or {@code s3://bucket/prefix} on an object store,
     * read through Hadoop's S3A filesystem as the session's Hadoop configuration sets it up) and reads them.
     *
     * @throws MetricsException when the location does not exist or holds no metric file at all
     */
    public static MetricFiles find(SparkSession spark, String location) throws MetricsException {
        Listing listing = ObjectStore.isObjectStore(location)
                ? listStore(location, ObjectStore.parse(location).hadoopUri(), spark.sparkContext().hadoopConfiguration())
                : listDirectory(Path.of(location));
        if (listing.files().isEmpty()) {
            throw new MetricsException("no metric files (<runId>/attempt-*.parquet) in " + location);
        }
        Map<String, String> s3a = new TreeMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(entry -> {
            if (entry.getKey().startsWith("fs.s3a.")) {
                s3a.put(entry.getKey(), entry.getValue());
            }
        });
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<FileRef> files = listing.files();
        int tasks = Math.max(1, Math.min(files.size(), context.defaultParallelism() * TASKS_PER_CORE));
        Map<String, String> leftOut = new TreeMap<>();
        List<AttemptRows> attempts = new ArrayList<>();
        long rows = 0;
        for (FileRead read : context.parallelize(files, tasks).mapPartitions(part -> readAll(part, s3a)).collect()) {
            if (read.result().problem() != null) {
                leftOut.put(listing.relative(read.uri()), read.result().problem());
            }
            attempts.addAll(read.result().attempts());
            rows += read.result().rows();
        }
        return new MetricFiles(location, files.size(), leftOut, attempts, rows);
    }

    /** A metric file: its URI and its length in bytes. */
    private record FileRef(String uri, long length) implements Serializable {}

    /** The metric files under a root, in name order. */
    private record Listing(String root, List<FileRef> files) {
        /** {@code uri} relative to the root, for messages. */
        String relative(String uri) {
            return uri.startsWith(root) ? uri.substring(root.length()).replaceFirst("^/", "") : uri;
        }
    }

    private static Listing listDirectory(Path metricsDir) throws MetricsException {
        if (!Files.isDirectory(metricsDir)) {
            throw new MetricsException("metrics directory " + metricsDir + " does not exist or is not a directory");
        }
        try (Stream<Path> files = Files.walk(metricsDir, 2)) {
            return new Listing(metricsDir.toAbsolutePath().toUri().toString(), files
                    .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".parquet"))
                    .sorted().map(f -> new FileRef(f.toAbsolutePath().toUri().toString(), 0)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + metricsDir, e);
        }
    }

    /**
     * Lists {@code <root>/<runId>/*.parquet} on a Hadoop filesystem (S3A) in one recursive listing, which the store
     * answers a thousand keys a request; keys under hidden prefixes ({@code .checkpoints/}) are not metric files.
     */
    private static Listing listStore(String location, String root, Configuration hadoop) throws MetricsException {
        org.apache.hadoop.fs.Path rootPath = new org.apache.hadoop.fs.Path(root);
        List<FileRef> found = new ArrayList<>();
        try {
            FileSystem filesystem = rootPath.getFileSystem(hadoop);
            String prefix = filesystem.makeQualified(rootPath).toString();
            RemoteIterator<LocatedFileStatus> files = filesystem.listFiles(rootPath, true);
            while (files.hasNext()) {
                LocatedFileStatus status = files.next();
                String uri = status.getPath().toString();
                String relative = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
                if (uri.endsWith(".parquet") && !relative.contains("/.") && !relative.contains("/_")) {
                    found.add(new FileRef(uri, status.getLen()));
                }
            }
            found.sort(java.util.Comparator.comparing(FileRef::uri));
            return new Listing(prefix, found);
        } catch (java.io.FileNotFoundException e) {
            throw new MetricsException("no metric files (<runId>/attempt-*.parquet) in " + location
                    + ": nothing is stored under that prefix");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one task's files. One Hadoop configuration for the task, made only when a file is not local: each one
     * parses Hadoop's XML resources (1.5 ms).
     */
    private static java.util.Iterator<FileRead> readAll(java.util.Iterator<FileRef> refs, Map<String, String> s3a) {
        Configuration hadoop = null;
        List<FileRead> reads = new ArrayList<>();
        while (refs.hasNext()) {
            FileRef ref = refs.next();
            String uri = ref.uri();
            URI location = URI.create(uri);
            if ("file".equals(location.getScheme())) { // plain local reads: no Hadoop checksum-file lookups
                reads.add(new FileRead(uri, MetricFileReader.read(new LocalInputFile(Path.of(location)),
                        MetricFileReader.plainOptions())));
                continue;
            }
            if (hadoop == null) {
                hadoop = new Configuration();
                s3a.forEach(hadoop::set);
            }
            reads.add(new FileRead(uri, MetricFileReader.read(
                    new StoreInputFile(new org.apache.hadoop.fs.Path(uri), ref.length(), hadoop),
                    HadoopReadOptions.builder(hadoop).build())));
        }
        return reads.iterator();
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

    /** Where the files are, as given. */
    String metricsDir() {
        return metricsDir;
    }

    /** The files left out, by name relative to the metrics location, with why. */
    public Map<String, String> leftOut() {
        return leftOut;
    }

    /** One diagnostic per kind of file left out, naming up to ten files each. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        List<String> cut = leftOut.entrySet().stream().filter(e -> e.getValue().startsWith(NOT_PARQUET))
                .map(e -> e.getKey() + e.getValue().substring(NOT_PARQUET.length())).toList();
        if (!cut.isEmpty()) {
            notes.add(cut.size() + " metric file(s) are not whole Parquet files and were left out (the scheduler sets"
                    + " them aside and trains their runs again): " + cut.stream().limit(LISTED)
                    .collect(Collectors.joining(", "))
                    + (cut.size() > LISTED ? ", …" : ""));
        }
        List<Map.Entry<String, String>> foreign = leftOut.entrySet().stream()
                .filter(e -> !e.getValue().startsWith(NOT_PARQUET)).toList();
        if (!foreign.isEmpty()) {
            notes.add(foreign.size() + " metric file(s) have a schema the fit cannot read and were left out (their runs"
                    + " are not fitted unless another attempt's file is whole): " + foreign.stream().limit(LISTED)
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", ")) + (foreign.size() > LISTED ? ", …" : ""));
        }
        return notes;
    }
}
