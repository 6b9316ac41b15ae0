package io.isoflop.fitter.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import io.isoflop.contracts.MetricsSchema;
import io.isoflop.fitter.fit.CurvePoint;
import io.isoflop.fitter.fit.TrainingCurve;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Reads the held-out loss curves of a sweep's finished runs for Approach 1: every step row with an evaluation
 * ({@code eval_loss} set and not NaN), as (FLOPs so far, tokens so far, loss), N being the run's {@code n_params}.
 *
 * <p>A run resumed after a crash writes rows for the same steps again under a later {@code attempt} (epoch ms):
 * for each (run, step) only the row of the latest attempt counts, also when that row has no evaluation; within an
 * attempt the final summary row, which shares the last step, wins over the plain step row. Only runs with a final
 * row in some attempt are read, like {@link MetricsReader}.
 */
public final class CurveReader {
    private static final String RANK = "step_rank";
    private static final String FINISHED = "finished";

    private final SparkSession spark;

    public CurveReader(SparkSession spark) {
        this.spark = spark;
    }

    /** The curves in the readable metric files, ordered by run id; the caller has checked there are some. */
    public List<TrainingCurve> read(MetricFiles files) {
        return curves(files.load(spark));
    }

    /** The curves of metric rows already loaded (same columns as the metric files). */
    public static List<TrainingCurve> curves(Dataset<Row> metrics) {
        Dataset<Row> finished = metrics.groupBy(MetricsSchema.RUN_ID)
                .agg(max(col(MetricsSchema.IS_FINAL)).as(FINISHED))
                .filter(col(FINISHED).equalTo(true))
                .select(MetricsSchema.RUN_ID);
        List<Row> rows = metrics
                .join(finished, MetricsSchema.RUN_ID)
                .withColumn(RANK, row_number().over(Window.partitionBy(MetricsSchema.RUN_ID, MetricsSchema.STEP)
                        .orderBy(col(MetricsSchema.ATTEMPT).desc(), col(MetricsSchema.IS_FINAL).desc())))
                .filter(col(RANK).equalTo(1))
                .filter(col(MetricsSchema.EVAL_LOSS).isNotNull().and(isnan(col(MetricsSchema.EVAL_LOSS)).unary_$bang()))
                .select(MetricsSchema.RUN_ID, MetricsSchema.N_PARAMS, MetricsSchema.STEP, MetricsSchema.FLOPS,
                        MetricsSchema.TOKENS, MetricsSchema.EVAL_LOSS)
                .orderBy(MetricsSchema.RUN_ID, MetricsSchema.STEP)
                .collectAsList();
        Map<String, List<CurvePoint>> points = new LinkedHashMap<>();
        Map<String, Long> parameters = new LinkedHashMap<>();
        for (Row row : rows) {
            String runId = row.getString(0);
            parameters.putIfAbsent(runId, row.getLong(1));
            points.computeIfAbsent(runId, id -> new ArrayList<>())
                    .add(new CurvePoint(row.getDouble(3), row.getLong(4), row.getDouble(5)));
        }
        List<TrainingCurve> curves = new ArrayList<>();
        points.forEach((runId, runPoints) -> curves.add(new TrainingCurve(runId, parameters.get(runId), runPoints)));
        return curves;
    }
}
