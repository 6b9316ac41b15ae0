package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.MetricsSchema;
import io.isoflop.fitter.fit.CurvePoint;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.fit.TrainingCurve;
import java.nio.file.Path;
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

class MetricFilesIT {
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
        spark = SparkSessions.start("isoflop-metric-files-it", "local[2]");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void readsTheCurvesAndFinalRowsFromParquetFiles() throws Exception {
        List<Row> rows = List.of(row("a", 1000, 1, 3.0, false), row("a", 1000, 2, null, false),
                row("a", 1000, 3, 2.0, true), row("b", 1000, 1, 4.0, true), row("c", 1000, 1, 5.0, false));
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(work.resolve("metrics/all").toUri().toString());

        SweepMetrics metrics = new MetricsReader().read(MetricFiles.find(spark, work.resolve("metrics")));

        assertEquals(List.of("a", "b"), metrics.curves().stream().map(TrainingCurve::runId).toList());
        assertEquals(List.of(point(1, 3.0), point(3, 2.0)), metrics.curves().get(0).points());
        assertEquals(List.of(2.0, 4.0), metrics.runs().stream().map(RunResult::finalLoss).toList());
        assertTrue(metrics.notes().stream().anyMatch(n -> n.contains("1 run(s) have not finished") && n.contains("c")),
                metrics.notes().toString());
    }

    @Test
    void readsOnlyTheColumnsItNeedsWhateverElseAFileHoldsAndLeavesOutAFileWithANullItNeeds() throws Exception {
        StructType wider = new StructType().add("extra", DataTypes.StringType, true);
        for (var field : SCHEMA.fields()) {
            wider = wider.add(field);
        }
        Row withExtra = RowFactory.create("ignored", "a", 1000L, 1L, 100L, 3000.0, 2.5, true, 5L, "s", 1e9, "6N");
        spark.createDataFrame(List.of(withExtra), wider).coalesce(1).write()
                .parquet(work.resolve("metrics/a").toUri().toString());
        StructType nullableTokens = new StructType(java.util.Arrays.stream(SCHEMA.fields())
                .map(f -> f.name().equals(MetricsSchema.TOKENS) ? f.copy(f.name(), f.dataType(), true, f.metadata()) : f)
                .toArray(org.apache.spark.sql.types.StructField[]::new));
        Row nullTokens = RowFactory.create("b", 1000L, 1L, null, 3000.0, 2.5, true, 5L, "s", 1e9, "6N");
        spark.createDataFrame(List.of(nullTokens), nullableTokens).coalesce(1).write()
                .parquet(work.resolve("metrics/b").toUri().toString());

        MetricFiles files = MetricFiles.find(spark, work.resolve("metrics"));
        SweepMetrics metrics = new MetricsReader().read(files);

        assertEquals(List.of("a"), metrics.runs().stream().map(RunResult::runId).toList());
        assertEquals(1, files.leftOut().size(), files.leftOut().toString());
        String why = files.leftOut().values().iterator().next();
        assertTrue(why.contains(MetricsSchema.TOKENS + " is null"), why);
    }

    private static CurvePoint point(long step, double loss) {
        return new CurvePoint(6.0 * 5 * step * 100, step * 100, loss);
    }

    private static Row row(String run, long attempt, long step, Double loss, boolean isFinal) {
        return RowFactory.create(run, attempt, step, step * 100, 6.0 * 5 * step * 100, loss, isFinal, 5L, "s", 1e9,
                "6N");
    }
}
