package io.isoflop.fitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.fitter.fit.BudgetGrouping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitterArgumentsTest {

    @Test
    void parsesRequiredAndOptionalArguments() {
        FitterArguments args = FitterArguments.parse("--metrics", "s/metrics", "--out", "o", "--master", "local[2]");

        assertEquals("s/metrics", args.metricsDir());
        assertEquals("o", args.out());
        assertEquals("local[2]", args.master());
        assertFalse(args.strict());
        assertNull(FitterArguments.parse("--out", "o", "--metrics", "m", "--strict").master());
        assertTrue(FitterArguments.parse("--out", "o", "--metrics", "m", "--strict").strict());
    }

    @Test
    void parsesATableAsTheInput() {
        FitterArguments args = FitterArguments.parse("--table", "runs.csv", "--out", "o");

        assertTrue(args.readsTable());
        assertEquals(Path.of("runs.csv"), args.table());
        assertNull(args.metricsDir());
        assertFalse(FitterArguments.parse("--metrics", "m", "--out", "o").readsTable());
    }

    @Test
    void metricsAndTableExcludeEachOtherAndOneIsRequired() {
        assertEquals("--metrics and --table exclude each other: give one input",
                assertThrows(IllegalArgumentException.class,
                        () -> FitterArguments.parse("--metrics", "m", "--table", "t.csv", "--out", "o")).getMessage());
        assertEquals("--metrics or --table is required",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--out", "o")).getMessage());
        assertEquals("--table needs a value",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--table", "--out", "o"))
                        .getMessage());
    }

    @Test
    void tableWithMetricsIsAUsageErrorExitingWithTwo(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertEquals(FitterMain.EXIT_BAD_INPUT, FitterMain.run(new String[] {"--metrics", dir.toString(), "--table",
                dir.resolve("runs.csv").toString(), "--out", dir.resolve("out").toString()}, out, errStream));

        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("--metrics and --table exclude each other"), message);
        assertTrue(message.contains(FitterArguments.USAGE), message);
    }

    @Test
    void tableOfUnknownKindOrMissingExitsWithTwoBeforeStartingSpark(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path json = Files.writeString(dir.resolve("runs.json"), "[]");
        Path missing = dir.resolve("missing.csv");

        assertEquals(FitterMain.EXIT_BAD_INPUT, FitterMain.run(
                new String[] {"--table", json.toString(), "--out", dir.resolve("out").toString()}, out, errStream));
        assertEquals(FitterMain.EXIT_BAD_INPUT, FitterMain.run(
                new String[] {"--table", missing.toString(), "--out", dir.resolve("out").toString()}, out, errStream));

        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("table " + json + " is neither CSV nor Parquet: its name must end in .csv or"
                + " .parquet"), message);
        assertTrue(message.contains("table " + missing + " does not exist"), message);
    }

    @Test
    void rejectsMissingOrUnknownArguments() {
        assertEquals("--out is required",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--metrics", "m")).getMessage());
        assertEquals("--metrics needs a value",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--metrics", "--out", "o"))
                        .getMessage());
        assertEquals("unknown argument '--budget'",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--budget", "1")).getMessage());
    }

    @Test
    void badArgumentsAndMissingMetricsDirectoryExitWithTwoBeforeStartingSpark(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertEquals(FitterMain.EXIT_BAD_INPUT, FitterMain.run(new String[] {"--metrics"}, out, errStream));
        Path missing = dir.resolve("nowhere/metrics");
        assertEquals(FitterMain.EXIT_BAD_INPUT, FitterMain.run(
                new String[] {"--metrics", missing.toString(), "--out", dir.resolve("out").toString()}, out, errStream));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains(FitterArguments.USAGE));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(missing.toString()));
    }

    @Test
    void parsesBootstrapTargetBudgetsAndInferenceTokens() {
        FitterArguments defaults = FitterArguments.parse("--metrics", "m", "--out", "o");
        assertEquals(FitterOptions.defaults(), defaults.options());

        FitterOptions options = FitterArguments.parse("--metrics", "m", "--out", "o", "--bootstrap", "200", "--seed",
                "9", "--target-budgets", "1e21, 1e23", "--inference-tokens", "2e12").options();

        assertEquals(new FitterOptions(200, 9, java.util.List.of(1e21, 1e23), 2e12), options);
    }

    @Test
    void aTablesRowsAreGroupedBySignificantDigitsDeclaredBudgetsOrClusters() {
        assertEquals(BudgetGrouping.defaults(), FitterArguments.parse("--table", "t.csv", "--out", "o").grouping());
        assertEquals(BudgetGrouping.defaults(), FitterArguments.parse("--metrics", "m", "--out", "o").grouping());
        assertEquals(BudgetGrouping.declared(List.of(6e18, 1e19, 3e19), 0.15), FitterArguments.parse("--table",
                "t.csv", "--out", "o", "--budgets", "6e18, 1e19,3e19").grouping());
        assertEquals(BudgetGrouping.declared(List.of(6e18, 1e19), 0.2), FitterArguments.parse("--table", "t.csv",
                "--out", "o", "--budgets", "6e18,1e19", "--budget-tolerance", "0.2").grouping());
        assertEquals(BudgetGrouping.clusters(0.1, 0.15), FitterArguments.parse("--table", "t.csv", "--out", "o",
                "--group-budgets", "auto").grouping());
        assertEquals(BudgetGrouping.clusters(0.05, 0.1), FitterArguments.parse("--table", "t.csv", "--out", "o",
                "--group-budgets", "auto", "--budget-gap", "0.05", "--budget-tolerance", "0.1").grouping());
        assertEquals(BudgetGrouping.defaults(), FitterArguments.parse("--table", "t.csv", "--out", "o",
                "--group-budgets", "significant-digits").grouping());
    }

    @Test
    void budgetGroupingOptionsThatDoNotFitTogetherAreRefused() {
        assertEquals("--budgets and --group-budgets exclude each other: declare the budgets or group C, not both",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--table", "t.csv", "--out",
                        "o", "--budgets", "1e19", "--group-budgets", "auto")).getMessage());
        assertEquals("--budget-gap applies only to --group-budgets auto", assertThrows(IllegalArgumentException.class,
                () -> FitterArguments.parse("--table", "t.csv", "--out", "o", "--budgets", "1e19", "--budget-gap",
                        "0.1")).getMessage());
        assertEquals("--budget-tolerance applies only to --budgets or --group-budgets auto", assertThrows(
                IllegalArgumentException.class, () -> FitterArguments.parse("--table", "t.csv", "--out", "o",
                        "--budget-tolerance", "0.1")).getMessage());
        assertEquals("--group-budgets must be auto or significant-digits, got 'kmeans'", assertThrows(
                IllegalArgumentException.class, () -> FitterArguments.parse("--table", "t.csv", "--out", "o",
                        "--group-budgets", "kmeans")).getMessage());
        assertEquals("--budgets: a budget is declared twice: [1.0E19, 1.0E19]", assertThrows(
                IllegalArgumentException.class, () -> FitterArguments.parse("--table", "t.csv", "--out", "o",
                        "--budgets", "1e19,1e19")).getMessage());
        assertEquals("--budget-tolerance must be a positive number of decades, got '0'", assertThrows(
                IllegalArgumentException.class, () -> FitterArguments.parse("--table", "t.csv", "--out", "o",
                        "--budgets", "1e19", "--budget-tolerance", "0")).getMessage());
        assertEquals("--budgets, --group-budgets, --budget-gap and --budget-tolerance apply only to --table: a sweep's"
                + " runs carry their budget", assertThrows(IllegalArgumentException.class,
                () -> FitterArguments.parse("--metrics", "m", "--out", "o", "--group-budgets", "auto")).getMessage());
    }

    @Test
    void badOptionValuesNameTheOption() {
        assertEquals("--bootstrap must be a whole number, got 'many'", assertThrows(IllegalArgumentException.class,
                () -> FitterArguments.parse("--metrics", "m", "--out", "o", "--bootstrap", "many")).getMessage());
        assertEquals("--target-budgets: budgets must be positive FLOPs, got '0'", assertThrows(
                IllegalArgumentException.class, () -> FitterArguments.parse("--metrics", "m", "--out", "o",
                        "--target-budgets", "1e21,0")).getMessage());
        assertEquals("--inference-tokens must be a number, got 'lots'", assertThrows(IllegalArgumentException.class,
                () -> FitterArguments.parse("--metrics", "m", "--out", "o", "--inference-tokens", "lots"))
                .getMessage());
        assertEquals("--bootstrap must be a whole number from 0 to 2147483647, got '-3'", assertThrows(
                IllegalArgumentException.class, () -> FitterArguments.parse("--metrics", "m", "--out", "o",
                        "--bootstrap", "-3")).getMessage());
    }
}
