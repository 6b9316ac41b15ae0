package io.isoflop.fitter.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.ParquetFiles;
import io.isoflop.fitter.fit.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Reads a sweep's metric Parquet files ({@link MetricsLayout}: {@code <metricsDir>/<runId>/attempt-<ms>-*.parquet})
 * and returns one {@link RunResult} per finished run: the {@code is_final} row of its latest attempt (largest
 * {@code attempt}; a run restarted after a crash writes a larger one). N is {@code n_params}, the count the run
 * declares; the loss is {@code eval_loss} (NaN where the final row has none).
 */
public final class MetricsReader {
    private static final String ATTEMPT_RANK = "attempt_rank";
    private static final int UNFINISHED_LISTED = 10;

    private final SparkSession spark;

    public MetricsReader(SparkSession spark) {
        this.spark = spark;
    }

    public SweepMetrics read(Path metricsDir) throws MetricsException {
        requireMetricFiles(metricsDir);
        List<Path> unreadable = unreadableFiles(metricsDir);
        Dataset<Row> metrics = metricFiles(spark, metricsDir);
        requireColumns(metrics, metricsDir);

        WindowSpec latestAttemptFirst = Window.partitionBy(MetricsSchema.RUN_ID)
                .orderBy(col(MetricsSchema.ATTEMPT).desc(), col(MetricsSchema.STEP).desc());
        List<Row> finals = metrics
                .filter(col(MetricsSchema.IS_FINAL).equalTo(true))
                .withColumn(ATTEMPT_RANK, row_number().over(latestAttemptFirst))
                .filter(col(ATTEMPT_RANK).equalTo(1))
                .select(MetricsSchema.RUN_ID, MetricsSchema.SWEEP, MetricsSchema.BUDGET_FLOPS,
                        MetricsSchema.N_PARAMS, MetricsSchema.TOKENS, MetricsSchema.FLOPS, MetricsSchema.EVAL_LOSS,
                        MetricsSchema.FLOP_CONVENTION)
                .orderBy(MetricsSchema.BUDGET_FLOPS, MetricsSchema.N_PARAMS, MetricsSchema.RUN_ID)
                .collectAsList();
        Set<String> allRuns = metrics.select(MetricsSchema.RUN_ID).distinct().collectAsList().stream()
                .map(row -> row.getString(0))
                .collect(Collectors.toCollection(TreeSet::new));
        if (finals.isEmpty()) {
            throw new MetricsException("no finished runs in " + metricsDir + ": " + allRuns.size()
                    + " run(s) have metrics, none has a final row (attempt-*" + MetricsLayout.FINAL_SUFFIX + ") yet");
        }

        List<RunResult> runs = finals.stream().map(MetricsReader::toRunResult).toList();
        Set<String> conventions = distinct(finals, MetricsSchema.FLOP_CONVENTION);
        if (conventions.size() > 1) {
            throw new MetricsException("runs in " + metricsDir + " declare different FLOP conventions " + conventions
                    + "; budgets counted differently cannot share one frontier");
        }
        List<String> notes = new ArrayList<>();
        if (!unreadable.isEmpty()) {
            notes.add(unreadable.size() + " metric file(s) are not whole Parquet files and were left out (the scheduler"
                    + " sets them aside and trains their runs again): " + unreadable.stream().limit(UNFINISHED_LISTED)
                    .map(f -> metricsDir.relativize(f).toString()).collect(Collectors.joining(", "))
                    + (unreadable.size() > UNFINISHED_LISTED ? ", …" : ""));
        }
        Set<String> sweeps = distinct(finals, MetricsSchema.SWEEP);
        if (sweeps.size() > 1) {
            notes.add("runs in " + metricsDir + " belong to several sweeps: " + sweeps);
        }
        allRuns.removeAll(runs.stream().map(RunResult::runId).toList());
        if (!allRuns.isEmpty()) {
            notes.add(allRuns.size() + " run(s) have not finished and are not fitted: "
                    + allRuns.stream().limit(UNFINISHED_LISTED).collect(Collectors.joining(", "))
                    + (allRuns.size() > UNFINISHED_LISTED ? ", …" : ""));
        }
        return new SweepMetrics(String.join(", ", sweeps), conventions.iterator().next(), runs, notes);
    }

    /**
     * Every {@code *.parquet} under {@code metricsDir} as one table. A file that is not a whole Parquet file (cut
     * short, overwritten) is skipped rather than failing the read; {@link #unreadableFiles} names them.
     */
    static Dataset<Row> metricFiles(SparkSession spark, Path metricsDir) {
        return spark.read()
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.parquet")
                .option("ignoreCorruptFiles", "true")
                .parquet(metricsDir.toAbsolutePath().toUri().toString());
    }

    /** The {@code *.parquet} files under {@code metricsDir} that are not whole Parquet files. */
    static List<Path> unreadableFiles(Path metricsDir) {
        try (Stream<Path> files = Files.walk(metricsDir, 2)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(f))
                    .filter(f -> !ParquetFiles.isComplete(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + metricsDir, e);
        }
    }

    private static RunResult toRunResult(Row row) {
        int loss = row.fieldIndex(MetricsSchema.EVAL_LOSS);
        return new RunResult(
                row.getAs(MetricsSchema.RUN_ID),
                row.<Double>getAs(MetricsSchema.BUDGET_FLOPS),
                row.<Long>getAs(MetricsSchema.N_PARAMS),
                row.<Long>getAs(MetricsSchema.TOKENS),
                row.<Double>getAs(MetricsSchema.FLOPS),
                row.isNullAt(loss) ? Double.NaN : row.getDouble(loss));
    }

    private static Set<String> distinct(List<Row> rows, String column) {
        return rows.stream().map(row -> row.<String>getAs(column)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void requireMetricFiles(Path metricsDir) throws MetricsException {
        if (!Files.isDirectory(metricsDir)) {
            throw new MetricsException("metrics directory " + metricsDir + " does not exist or is not a directory");
        }
        try (Stream<Path> files = Files.walk(metricsDir, 2)) {
            if (files.noneMatch(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".parquet"))) {
                throw new MetricsException("no metric files (<runId>/attempt-*.parquet) in " + metricsDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + metricsDir, e);
        }
    }

    private static void requireColumns(Dataset<Row> metrics, Path metricsDir) throws MetricsException {
        Set<String> present = Set.of(metrics.columns());
        List<String> missing = Stream.of(MetricsSchema.RUN_ID, MetricsSchema.SWEEP, MetricsSchema.ATTEMPT,
                        MetricsSchema.STEP, MetricsSchema.IS_FINAL, MetricsSchema.BUDGET_FLOPS, MetricsSchema.N_PARAMS,
                        MetricsSchema.TOKENS, MetricsSchema.FLOPS, MetricsSchema.EVAL_LOSS, MetricsSchema.FLOP_CONVENTION)
                .filter(column -> !present.contains(column))
                .toList();
        if (!missing.isEmpty()) {
            throw new MetricsException("metric files in " + metricsDir + " lack columns " + missing + "; found "
                    + Arrays.toString(metrics.columns()));
        }
    }
}
