package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.contracts.MetricsSchema;
import io.isoflop.fitter.fit.CurvePoint;
import io.isoflop.fitter.fit.TrainingCurve;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurveReaderIT {
    private static final StructType SCHEMA = new StructType()
            .add(MetricsSchema.RUN_ID, DataTypes.StringType, false)
            .add(MetricsSchema.ATTEMPT, DataTypes.LongType, false)
            .add(MetricsSchema.STEP, DataTypes.LongType, false)
            .add(MetricsSchema.TOKENS, DataTypes.LongType, false)
            .add(MetricsSchema.FLOPS, DataTypes.DoubleType, false)
            .add(MetricsSchema.EVAL_LOSS, DataTypes.DoubleType, true)
            .add(MetricsSchema.IS_FINAL, DataTypes.BooleanType, false)
            .add(MetricsSchema.N_PARAMS, DataTypes.LongType, false)
            .add(MetricsSchema.SWEEP, DataTypes.StringType, false)
            .add(MetricsSchema.BUDGET_FLOPS, DataTypes.DoubleType, false)
            .add(MetricsSchema.FLOP_CONVENTION, DataTypes.StringType, false);

    private static SparkSession spark;

    @TempDir
    Path work;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.start("isoflop-curve-reader-it", "local[2]");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void duplicateStepsOfAResumedRunKeepTheLatestAttempt() {
        List<Row> rows = new ArrayList<>();
        // attempt 1000 evaluates at steps 10, 20, 30 and crashes; attempt 2000 resumes from step 20 and finishes
        rows.add(row("r", 1000, 10, 3.0, false));
        rows.add(row("r", 1000, 20, 2.8, false));
        rows.add(row("r", 1000, 30, 2.9, false)); // superseded by attempt 2000's step 30
        rows.add(row("r", 1000, 25, null, false)); // superseded by a row without an evaluation: no point at 25
        rows.add(row("r", 2000, 20, 2.7, false));
        rows.add(row("r", 2000, 25, null, false));
        rows.add(row("r", 2000, 30, 2.5, false));
        rows.add(row("r", 2000, 40, Double.NaN, false)); // the last step: evaluated by the final row instead
        rows.add(row("r", 2000, 40, 2.4, true));
        rows.add(row("unfinished", 1000, 10, 3.0, false));

        List<TrainingCurve> curves = CurveReader.curves(spark.createDataFrame(rows, SCHEMA));

        assertEquals(1, curves.size(), "the unfinished run has no curve");
        TrainingCurve curve = curves.get(0);
        assertEquals("r", curve.runId());
        assertEquals(5, curve.parameters());
        assertEquals(List.of(point(10, 3.0), point(20, 2.7), point(30, 2.5), point(40, 2.4)), curve.points());
    }

    @Test
    void readsTheCurvesFromParquetFiles() throws Exception {
        List<Row> rows = List.of(row("a", 1000, 1, 3.0, false), row("a", 1000, 2, 2.0, true),
                row("b", 1000, 1, 4.0, true));
        String dir = work.resolve("metrics").toUri().toString();
        spark.createDataFrame(rows, SCHEMA).write().parquet(dir);

        List<TrainingCurve> curves = new CurveReader(spark).read(MetricFiles.find(spark, work.resolve("metrics")));

        assertEquals(List.of("a", "b"), curves.stream().map(TrainingCurve::runId).toList());
        assertEquals(List.of(point(1, 3.0), point(2, 2.0)), curves.get(0).points());
    }

    private static CurvePoint point(long step, double loss) {
        return new CurvePoint(6.0 * 5 * step * 100, step * 100, loss);
    }

    private static Row row(String run, long attempt, long step, Double loss, boolean isFinal) {
        return RowFactory.create(run, attempt, step, step * 100, 6.0 * 5 * step * 100, loss, isFinal, 5L, "s", 1e9,
                "6N");
    }
}
