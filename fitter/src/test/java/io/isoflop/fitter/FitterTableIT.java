package io.isoflop.fitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.fitter.fit.KnownLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.spark.TableReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code FitterMain --table} end to end on a real local Spark: a CSV of runs from a known law, with a C column, as
 * published IsoFLOP data lists them, and one without. FitterMain starts and stops its own SparkSession in each test.
 */
class FitterTableIT {
    private static final KnownLaw LAW = KnownLaw.EPOCH_CHINCHILLA;
    private static final double[] BUDGETS = {1e16, 1e17, 1e18};
    private static final int SIZES = 6;

    @TempDir
    Path work;

    @Test
    void fitsACsvTableOfRunsWithDeclaredComputeAndWritesTheReport() throws Exception {
        List<RunResult> runs = new ArrayList<>();
        for (double budget : BUDGETS) {
            runs.addAll(LAW.grid(budget, SIZES, 0.2, 0.05, 0.0, new Random(1)));
        }
        StringBuilder csv = new StringBuilder("run_id,N,D,loss,C\n");
        for (RunResult run : runs) {
            csv.append(run.runId()).append(',').append(run.parameters()).append(',').append(run.tokens()).append(',')
                    .append(run.finalLoss()).append(',').append(run.budgetFlops()).append('\n');
        }
        Path table = Files.writeString(work.resolve("runs.csv"), csv);
        Path report = work.resolve("report");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = FitterMain.run(new String[] {"--table", table.toString(), "--out", report.toString(), "--master",
                "local[2]", "--bootstrap", "40", "--seed", "3", "--target-budgets", "1e20,1e21", "--inference-tokens",
                "1e12"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(FitterMain.EXIT_OK, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("table runs.csv, FLOP convention declared by the"
                + " table, 3 budgets"), out.toString(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(report.resolve("frontier.json").toFile());
        assertEquals("runs.csv", json.get("sweep").asText());
        assertEquals(TableReader.DECLARED_CONVENTION, json.get("flopConvention").asText());
        assertTrue(Files.readString(report.resolve("report.html")).contains("Approach 3 allocates a budget by C = 6·N·D,"
                + " but these runs count C as <code>declared by the table</code>"), "the caveat of a declared C");
        assertEquals(BUDGETS.length, json.get("budgets").size());
        for (int i = 0; i < BUDGETS.length; i++) {
            JsonNode budget = json.get("budgets").get(i);
            assertEquals(BUDGETS[i], budget.get("budgetFlops").asDouble());
            assertEquals(SIZES, budget.get("points").size());
            assertTrue(budget.get("usedInPowerLaw").asBoolean(), budget.get("reason").asText());
            assertEquals(Math.log10(LAW.optimalParameters(BUDGETS[i])), Math.log10(budget.get("nOpt").asDouble()),
                    0.05, budget.toString());
        }
        assertEquals(LAW.exponentA(), json.at("/powerLaws/nOpt/exponent").asDouble(), 0.03);
        JsonNode approach3 = json.get("approach3");
        assertTrue(approach3.get("fitted").asBoolean(), approach3.toString());
        assertEquals(runs.size(), approach3.get("runsUsed").asInt());
        assertEquals(LAW.exponentA(), approach3.get("a").asDouble(), 0.05, approach3.toString());
        JsonNode bootstrap = json.get("bootstrap");
        assertEquals(40, bootstrap.get("resamples").asInt());
        assertEquals(3, bootstrap.get("seed").asLong());
        JsonNode a = bootstrap.at("/approach3/a");
        assertEquals(approach3.get("a").asDouble(), a.get("estimate").asDouble(), 1e-12);
        assertTrue(a.get("lower").asDouble() <= a.get("estimate").asDouble()
                && a.get("estimate").asDouble() <= a.get("upper").asDouble(), a.toString());
        assertTrue(a.get("stderr").asDouble() > 0, a.toString());
        assertEquals(json.at("/powerLaws/nOpt/exponent").asDouble(), bootstrap.at("/approach2/a/estimate").asDouble(),
                1e-12);
        JsonNode forecasts = json.get("forecasts");
        assertTrue(forecasts.at("/holdOut/checked").asBoolean(), forecasts.toString());
        assertEquals(BUDGETS[BUDGETS.length - 1], forecasts.at("/holdOut/budgetFlops").asDouble());
        assertEquals(2, forecasts.get("targets").size());
        assertEquals(1e21, forecasts.at("/targets/1/budgetFlops").asDouble());
        assertEquals(40, forecasts.at("/targets/1/nOpt/resamples").asInt(), forecasts.toString());
        assertEquals(1e12, forecasts.get("inferenceTokens").asDouble());
        JsonNode inference = forecasts.at("/inferenceAware/1");
        assertTrue(inference.get("n").asDouble() < forecasts.at("/targets/1/nOpt/estimate").asDouble(),
                inference.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("inference-aware at C=1.00e+21"),
                out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(report.resolve("frontier.csv")));
        assertTrue(Files.isRegularFile(report.resolve("frontier.png")));
        assertTrue(Files.isRegularFile(report.resolve("report.html")));
    }

    @Test
    void fitsATableWithoutComputeDerivingSixNDAndBudgetsThatDifferInTheThirdDigit() throws Exception {
        // 6·N·D = 1.23e16 and 1.24e16: budgets one chart label of two significant digits would merge
        StringBuilder csv = new StringBuilder("N,D,loss\n");
        Random random = new Random(7);
        for (double budget : new double[] {1.23e16, 1.24e16, 1e17}) {
            for (RunResult run : LAW.grid(budget, SIZES, 0.2, 0.0, 0.0, random)) {
                long tokens = Math.round(budget / (6.0 * run.parameters())); // 6·N·D within rounding of the budget
                csv.append(run.parameters()).append(',').append(tokens).append(',')
                        .append(LAW.loss(run.parameters(), tokens)).append('\n');
            }
        }
        Path table = Files.writeString(work.resolve("derived.csv"), csv);
        Path report = work.resolve("report");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = FitterMain.run(new String[] {"--table", table.toString(), "--out", report.toString(), "--master",
                "local[2]", "--bootstrap", "0"}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(FitterMain.EXIT_OK, exit, err.toString(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(report.resolve("frontier.json").toFile());
        assertTrue(json.get("bootstrap").isNull(), "--bootstrap 0: no intervals");
        assertEquals(3, json.at("/forecasts/targets").size(), "10x, 100x and 1000x the largest budget by default");
        assertEquals(1e18, json.at("/forecasts/targets/0/budgetFlops").asDouble(), 1e6);
        assertTrue(json.at("/forecasts/targets/0/nOpt/lower").isNull(), "no bootstrap, no interval");
        assertTrue(json.at("/forecasts/inferenceAware").isEmpty());
        assertEquals(TableReader.DERIVED_CONVENTION, json.get("flopConvention").asText());
        assertEquals(3, json.get("budgets").size(), json.get("budgets").toString());
        assertEquals("row-1", json.at("/budgets/0/points/0/runId").asText());
        assertTrue(json.at("/approach3/fitted").asBoolean(), json.get("approach3").toString());
        assertEquals(3 * SIZES, json.at("/approach3/runsUsed").asInt());
    }
}
