package io.isoflop.fitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.fitter.fit.KnownLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.spark.MetricsException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import io.isoflop.fitter.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fitter end to end on a real local Spark, over metric files laid out as workers write them. */
class FitterJobIT {
    private static final KnownLaw LAW = KnownLaw.EPOCH_CHINCHILLA;
    private static final double[] BUDGETS = {1e16, 1e17, 1e18};
    private static final int SIZES = 6;
    private static final String SWEEP = "it-sweep";
    private static final String CONVENTION = "6N";
    private static final int PART_ROWS = 3;
    private static final String FILE_INDEX = "file_index";
    private static final StructType SCHEMA = new StructType()
            .add(MetricsSchema.RUN_ID, DataTypes.StringType, false)
            .add(MetricsSchema.SWEEP, DataTypes.StringType, false)
            .add(MetricsSchema.ATTEMPT, DataTypes.LongType, false)
            .add(MetricsSchema.STEP, DataTypes.LongType, false)
            .add(MetricsSchema.TOKENS, DataTypes.LongType, false)
            .add(MetricsSchema.FLOPS, DataTypes.DoubleType, false)
            .add(MetricsSchema.TRAIN_LOSS, DataTypes.DoubleType, true)
            .add(MetricsSchema.EVAL_LOSS, DataTypes.DoubleType, true)
            .add(MetricsSchema.LEARNING_RATE, DataTypes.DoubleType, false)
            .add(MetricsSchema.WALL_SECONDS, DataTypes.DoubleType, false)
            .add(MetricsSchema.TOKENS_PER_SECOND, DataTypes.DoubleType, false)
            .add(MetricsSchema.IS_FINAL, DataTypes.BooleanType, false)
            .add(MetricsSchema.BUDGET_FLOPS, DataTypes.DoubleType, false)
            .add(MetricsSchema.FLOP_CONVENTION, DataTypes.StringType, false)
            .add(MetricsSchema.N_PARAMS, DataTypes.LongType, false)
            .add(MetricsSchema.N_PARAMS_TOTAL, DataTypes.LongType, false)
            .add(MetricsSchema.N_PARAMS_NON_EMBEDDING, DataTypes.LongType, false)
            .add(MetricsSchema.PLANNED_TOKENS, DataTypes.LongType, false);

    private static SparkSession spark;

    @TempDir
    Path work;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.start("isoflop-fitter-it", "local[2]");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void fitsTheLatestAttemptOfEveryFinishedRunAndWritesTheReport() throws Exception {
        List<RunResult> runs = new ArrayList<>();
        for (double budget : BUDGETS) {
            runs.addAll(LAW.grid(budget, SIZES, 0.2, 0.05, 0.0, new Random(1)));
        }
        RunResult stalled = runs.get(runs.size() - 1); // the largest model of the largest budget
        runs.set(runs.size() - 1, withLoss(stalled, LAW.optimalLoss(stalled.budgetFlops()) + 0.4));
        RunResult restarted = runs.get(SIZES + SIZES / 2); // an interior run of the middle budget
        RunResult unfinished = new RunResult("unfinished", BUDGETS[0], 1_000_000, 1_000_000, 6e12, 9.9);

        MetricFiles files = new MetricFiles(work.resolve("sweep/metrics"));
        for (RunResult run : runs) {
            long attempt = run == restarted ? 2_000 : 1_000;
            files.parts(run, attempt);
            files.finalRow(run, attempt);
        }
        files.parts(restarted, 1_000);
        files.finalRow(withLoss(restarted, restarted.finalLoss() + 0.5), 1_000); // the crashed-and-rerun attempt
        files.parts(unfinished, 1_000);
        files.write();
        // A final file cut short and one overwritten: named in the diagnostics, left out, the fit goes on.
        Path whole = MetricsLayout.finalFile(files.metricsDir, runs.get(0).runId(), 1_000);
        Path cut = MetricsLayout.finalFile(files.metricsDir, "cut-short", 1);
        Files.createDirectories(cut.getParent());
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(whole), (int) Files.size(whole) / 2));
        Path garbage = MetricsLayout.finalFile(files.metricsDir, "overwritten", 1);
        Files.createDirectories(garbage.getParent());
        Files.writeString(garbage, "this is not a Parquet file");

        // A final file of another schema, sorting first so that it would lend its schema to the whole read.
        Path foreign = MetricsLayout.finalFile(files.metricsDir, "aaa-foreign", 1);
        Path staging = work.resolve("foreign-staging");
        spark.createDataFrame(List.of(RowFactory.create("aaa-foreign", "one")), new StructType()
                .add(MetricsSchema.RUN_ID, DataTypes.StringType).add(MetricsSchema.STEP, DataTypes.StringType))
                .coalesce(1).write().parquet(staging.toUri().toString());
        Files.createDirectories(foreign.getParent());
        try (Stream<Path> written = Files.list(staging)) {
            Files.move(written.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(), foreign);
        }

        long started = System.nanoTime();
        FitterJob.Outcome outcome = new FitterJob(spark, FitterOptions.defaults().withBootstrapResamples(20)).run(files.metricsDir, work.resolve("report"));
        System.out.printf("FitterJobIT: job took %.1f s%n", (System.nanoTime() - started) / 1e9);

        JsonNode json = new ObjectMapper().readTree(outcome.files().frontierJson().toFile());
        assertEquals(SWEEP, json.get("sweep").asText());
        assertEquals(CONVENTION, json.get("flopConvention").asText());
        assertEquals(BUDGETS.length, json.get("budgets").size());
        Map<String, JsonNode> points = new HashMap<>();
        for (JsonNode budget : json.get("budgets")) {
            budget.get("points").forEach(point -> points.put(point.get("runId").asText(), point));
            double truth = Math.log10(LAW.optimalParameters(budget.get("budgetFlops").asDouble()));
            assertEquals(truth, Math.log10(budget.get("nOpt").asDouble()), 0.05, budget.toString());
            assertTrue(budget.get("usedInPowerLaw").asBoolean(), budget.get("reason").asText());
        }
        assertEquals(runs.size(), points.size(), "one point per finished run, the unfinished one left out");
        assertEquals(restarted.finalLoss(), points.get(restarted.runId()).get("loss").asDouble(), 1e-12);
        assertFalse(points.get(restarted.runId()).get("excluded").asBoolean());
        JsonNode stalledPoint = points.get(stalled.runId());
        assertTrue(stalledPoint.get("excluded").asBoolean());
        assertTrue(stalledPoint.get("reason").asText().startsWith("stalled: loss "), stalledPoint.toString());
        assertEquals(LAW.exponentA(), json.at("/powerLaws/nOpt/exponent").asDouble(), 0.03);
        assertEquals(LAW.exponentB(), json.at("/powerLaws/dOpt/exponent").asDouble(), 0.03);
        assertTrue(json.get("diagnostics").toString().contains("1 run(s) have not finished"), json.get("diagnostics").toString());
        assertTrue(json.get("diagnostics").toString().contains("2 metric file(s) are not whole Parquet files and were"
                + " left out"), json.get("diagnostics").toString());
        assertTrue(json.get("diagnostics").toString().contains("cut-short/attempt-1-final.parquet"));
        assertTrue(json.get("diagnostics").toString().contains("1 metric file(s) have a schema the fit cannot read and"
                + " were left out"), json.get("diagnostics").toString());
        assertTrue(json.get("diagnostics").toString().contains("aaa-foreign/attempt-1-final.parquet (another schema: "
                + "lacks sweep;"), json.get("diagnostics").toString());
        assertTrue(json.get("diagnostics").toString().contains("step is BINARY, expected INT64"),
                json.get("diagnostics").toString());
        assertEquals(4, json.get("schemaVersion").asInt());
        JsonNode approach1 = json.get("approach1");
        assertEquals(runs.size(), approach1.get("curves").asInt(), "one training curve per finished run: " + approach1);
        assertFalse(approach1.get("envelope").isEmpty(), approach1.toString());
        JsonNode approach3 = json.get("approach3");
        assertTrue(approach3.get("fitted").asBoolean(), approach3.toString());
        assertEquals(runs.size(), approach3.get("runsUsed").asInt(), "every finished run, the stalled one included");
        assertEquals(4500, approach3.get("starts").asInt());
        assertEquals(LAW.exponentA(), approach3.get("a").asDouble(), 0.05, approach3.toString());
        assertEquals(BUDGETS.length, approach3.get("budgets").size());
        assertEquals(20, json.at("/bootstrap/resamples").asInt());
        assertEquals(20, json.at("/bootstrap/approach3/alpha/resamples").asInt(), json.get("bootstrap").toString());
        assertTrue(json.at("/forecasts/holdOut/checked").asBoolean(), json.get("forecasts").toString());
        assertEquals(BUDGETS[BUDGETS.length - 1], json.at("/forecasts/holdOut/budgetFlops").asDouble());
        assertEquals("parabola vertex", json.at("/forecasts/holdOut/observedFrom").asText());
        assertEquals(0, json.at("/forecasts/holdOut/approach3LossError").asDouble(), 0.05,
                "noise-free runs of the two smaller budgets predict the largest: " + json.get("forecasts"));

        assertEquals(1 + BUDGETS.length, Files.readAllLines(outcome.files().frontierCsv()).size());
        assertImage(outcome.files().isoflopPng());
        assertImage(outcome.files().frontierPng());
        assertImage(outcome.files().contourPng());
        assertImage(outcome.files().residualsPng());
        String html = Files.readString(outcome.files().reportHtml());
        for (String image : List.of("isoflop.png", "frontier.png", "contours.png", "residuals.png")) {
            assertTrue(html.contains(" src=\"" + image + "\""), image);
        }
        assertTrue(html.contains("Parametric fit (Approach 3)"));
    }

    @Test
    void fitsApproach1ToTheTrainingCurvesWithIntervals() throws Exception {
        MetricFiles files = new MetricFiles(work.resolve("curves/metrics"));
        List<RunResult> runs = new ArrayList<>();
        for (double budget : BUDGETS) {
            runs.addAll(LAW.grid(budget, SIZES, 0.2, 0.0, 0.0, new Random(2)));
        }
        for (RunResult run : runs) {
            files.curve(run, 1_000, 20);
        }
        files.write();

        FitterJob.Outcome outcome = new FitterJob(spark, FitterOptions.defaults().withBootstrapResamples(20))
                .run(files.metricsDir, work.resolve("curves-report"));

        JsonNode json = new ObjectMapper().readTree(outcome.files().frontierJson().toFile());
        JsonNode approach1 = json.get("approach1");
        assertTrue(approach1.get("fitted").asBoolean(), approach1.toString());
        assertEquals(runs.size(), approach1.get("curves").asInt());
        assertEquals(LAW.exponentA(), approach1.at("/powerLaws/nOpt/exponent").asDouble(), 0.1, approach1.toString());
        for (JsonNode point : approach1.get("envelope")) {
            if (point.get("used").asBoolean()) {
                double truth = Math.log10(LAW.optimalParameters(point.get("flops").asDouble()));
                assertEquals(truth, Math.log10(point.get("nOpt").asDouble()), 0.35, point.toString());
            }
        }
        JsonNode interval = json.at("/bootstrap/approach1/a");
        assertEquals(approach1.at("/powerLaws/nOpt/exponent").asDouble(), interval.get("estimate").asDouble(), 1e-12);
        assertTrue(interval.get("resamples").asInt() > 0, interval.toString());

        JsonNode kaplan = json.get("kaplan");
        assertEquals(20, kaplan.get("resamples").asInt(), kaplan.toString());
        for (String law : List.of("parameters", "data", "compute")) {
            JsonNode fitted = kaplan.get(law);
            assertTrue(fitted.get("fitted").asBoolean(), fitted.toString());
            assertTrue(fitted.get("exponent").asDouble() > 0, fitted.toString());
            assertTrue(fitted.at("/exponentInterval/lower").asDouble() <= fitted.get("exponent").asDouble()
                    && fitted.get("exponent").asDouble() <= fitted.at("/exponentInterval/upper").asDouble(),
                    fitted.toString());
        }
        assertEquals(runs.stream().mapToLong(RunResult::parameters).distinct().count(),
                kaplan.at("/parameters/points").size(), "one point per model size");
        assertTrue(kaplan.at("/data/source").asText().contains("training curve"), kaplan.toString());
        assertEquals(approach1.get("envelope").findValues("used").stream().filter(JsonNode::asBoolean).count(),
                kaplan.at("/compute/points").size(), "Approach 1's used envelope points");
        assertTrue(Files.readString(outcome.files().reportHtml()).contains("Kaplan's one-variable laws"));
    }

    @Test
    void metricsWithoutFinishedRunsOrWithoutFilesAreRejectedNamingTheDirectory() throws Exception {
        FitterJob job = new FitterJob(spark);
        Path empty = Files.createDirectories(work.resolve("empty/metrics"));
        MetricsException noFiles = assertThrows(MetricsException.class, () -> job.run(empty, work.resolve("out1")));
        assertTrue(noFiles.getMessage().contains("no metric files") && noFiles.getMessage().contains(empty.toString()));

        MetricFiles files = new MetricFiles(work.resolve("running/metrics"));
        files.parts(new RunResult("still-training", 1e16, 1_000_000, 1_000_000, 6e12, 3.0), 1_000);
        files.write();
        MetricsException noFinal = assertThrows(MetricsException.class,
                () -> job.run(files.metricsDir, work.resolve("out2")));
        assertTrue(noFinal.getMessage().startsWith("no finished runs in " + files.metricsDir), noFinal.getMessage());
    }

    private static RunResult withLoss(RunResult run, double loss) {
        return new RunResult(run.runId(), run.budgetFlops(), run.parameters(), run.tokens(), run.flops(), loss);
    }

    private static void assertImage(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode");
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, png + " is too small");
    }

    /** Metric rows grouped by target file, written by Spark in one job and moved into the workers' layout. */
    private static final class MetricFiles {
        final Path metricsDir;
        final List<Row> rows = new ArrayList<>();
        final List<Path> targets = new ArrayList<>();

        MetricFiles(Path metricsDir) {
            this.metricsDir = metricsDir;
        }

        /** Training rows without a final evaluation: the first has no eval loss, the others a misleading low one. */
        void parts(RunResult run, long attempt) {
            int file = newFile(MetricsLayout.partFile(metricsDir, run.runId(), attempt, 0));
            for (int step = 1; step <= PART_ROWS; step++) {
                Double eval = step == 1 ? null : run.finalLoss() - 1.0;
                rows.add(row(file, run, attempt, step, run.tokens() * step / (PART_ROWS + 1), eval, false));
            }
        }

        /**
         * A run as the worker writes it: {@code evaluations} steps evaluated on the known law at the tokens seen so
         * far, the last step without an evaluation, then the final row at the same step with the run's loss.
         */
        void curve(RunResult run, long attempt, int evaluations) {
            int file = newFile(MetricsLayout.partFile(metricsDir, run.runId(), attempt, 0));
            for (int step = 1; step <= evaluations; step++) {
                long tokens = run.tokens() * step / evaluations;
                Double eval = step == evaluations ? null : LAW.loss(run.parameters(), tokens);
                rows.add(row(file, run, attempt, step, tokens, eval, false));
            }
            int last = newFile(MetricsLayout.finalFile(metricsDir, run.runId(), attempt));
            rows.add(row(last, run, attempt, evaluations, run.tokens(), run.finalLoss(), true));
        }

        void finalRow(RunResult run, long attempt) {
            int file = newFile(MetricsLayout.finalFile(metricsDir, run.runId(), attempt));
            rows.add(row(file, run, attempt, PART_ROWS + 1, run.tokens(), run.finalLoss(), true));
        }

        void write() throws IOException {
            Path staging = metricsDir.resolveSibling("staging");
            spark.createDataFrame(rows, SCHEMA.add(FILE_INDEX, DataTypes.IntegerType, false))
                    .repartition(functions.col(FILE_INDEX))
                    .write()
                    .partitionBy(FILE_INDEX)
                    .parquet(staging.toUri().toString());
            for (int i = 0; i < targets.size(); i++) {
                List<Path> parts;
                try (Stream<Path> written = Files.list(staging.resolve(FILE_INDEX + "=" + i))) {
                    parts = written.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
                }
                assertEquals(1, parts.size(), "Spark split file " + targets.get(i) + " into " + parts);
                Files.createDirectories(targets.get(i).getParent());
                Files.move(parts.get(0), targets.get(i));
            }
        }

        private int newFile(Path target) {
            targets.add(target);
            return targets.size() - 1;
        }

        private static Row row(int file, RunResult run, long attempt, long step, long tokens, Double evalLoss,
                boolean isFinal) {
            return RowFactory.create(run.runId(), SWEEP, attempt, step, tokens, 6.0 * run.parameters() * tokens,
                    evalLoss == null ? null : evalLoss + 0.05, evalLoss, 1e-3, 1.0 * step, 1000.0, isFinal,
                    run.budgetFlops(), CONVENTION, run.parameters(), run.parameters() + 4096,
                    run.parameters(), run.tokens(), file);
        }
    }
}
