package io.isoflop.fitter.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.fitter.fit.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

    /** @throws MetricsException when no file can be read, or no run has finished */
    public SweepMetrics read(MetricFiles files) throws MetricsException {
        Path metricsDir = files.metricsDir();
        if (files.isEmpty()) {
            throw new MetricsException("no readable metric files in " + metricsDir + ": "
                    + String.join("; ", files.notes()));
        }
        Dataset<Row> metrics = files.load(spark);
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
        List<String> notes = new ArrayList<>(files.notes());
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

    private static void requireColumns(Dataset<Row> metrics, Path metricsDir) throws MetricsException {
        Set<String> present = Set.of(metrics.columns());
        List<String> missing = MetricFiles.REQUIRED.stream().filter(column -> !present.contains(column)).toList();
        if (!missing.isEmpty()) {
            throw new MetricsException("metric files in " + metricsDir + " lack columns " + missing + "; found "
                    + Arrays.toString(metrics.columns()));
        }
    }
}
