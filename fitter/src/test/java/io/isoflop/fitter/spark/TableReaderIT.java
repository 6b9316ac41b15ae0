package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.fitter.fit.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TableReader} on a real local Spark, over small CSV and Parquet tables. */
class TableReaderIT {
    private static SparkSession spark;

    @TempDir
    Path work;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.start("isoflop-table-reader-it", "local[2]");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void declaredComputeGroupsRowsIntoBudgetsByThreeSignificantDigits() throws Exception {
        Path table = csv("published.csv", """
                Run_ID,n,d,Loss,c,notes
                a,1000000,1.6667e8,3.1,1.0e15,first
                b,2.0e6,8.3e7,3.0,1.0004e15,
                c,4000000,41666667,3.2,1.0e15,
                d,1000000,1666666667,2.8,1.0e16,
                """);

        SweepMetrics metrics = new TableReader(spark).read(table);

        assertEquals("published.csv", metrics.sweep());
        assertEquals(TableReader.DECLARED_CONVENTION, metrics.flopConvention());
        List<RunResult> runs = metrics.runs();
        assertEquals(List.of("a", "b", "c", "d"), runs.stream().map(RunResult::runId).toList());
        assertEquals(new RunResult("b", 1.0e15, 2_000_000, 83_000_000, 1.0004e15, 3.0), runs.get(1));
        assertEquals(List.of(1e15, 1e15, 1e15, 1e16), runs.stream().map(RunResult::budgetFlops).toList());
        assertTrue(metrics.notes().get(0).contains("grouped into 2 budget(s)"), metrics.notes().toString());
    }

    @Test
    void aRepeatedRowIsLeftOutAndACComputedOtherwiseIsNoted() throws Exception {
        Path table = csv("pasted-twice.csv", """
                N,D,loss,C
                1000000,166666667,3.1,1.0e15
                2000000,83333333,3.0,1.0e15
                1000000,166666667,3.1,1.0e15
                4000000,41666667,3.2,1.0e18
                """);

        SweepMetrics metrics = new TableReader(spark).read(table);

        assertEquals(List.of("row-1", "row-2", "row-4"), metrics.runs().stream().map(RunResult::runId).toList(),
                "the same run twice would weigh twice in every fit");
        String notes = metrics.notes().toString();
        assertTrue(notes.contains("1 row(s) repeat an earlier row (same N, D, C and loss) and were left out: row 3"
                + " repeats row 1"), notes);
        assertTrue(notes.contains("1 row(s) declare a C more than 100% away from 6·N·D: row 4 (C = 1.00e+18,"), notes);
    }

    @Test
    void withoutComputeTheBudgetIsSixNDAndRunIdsAreRowNumbers() throws Exception {
        Path table = csv("runs.csv", """
                N,D,loss
                1000,2000,4.0
                2000,1000,3.9
                """);

        SweepMetrics metrics = new TableReader(spark).read(table);

        assertEquals(TableReader.DERIVED_CONVENTION, metrics.flopConvention());
        assertEquals(List.of(new RunResult("row-1", 1.2e7, 1000, 2000, 1.2e7, 4.0),
                new RunResult("row-2", 1.2e7, 2000, 1000, 1.2e7, 3.9)), metrics.runs());
        assertTrue(metrics.notes().get(0).contains("no C column, so C = 6·N·D per row"), metrics.notes().toString());
    }

    @Test
    void readsParquetWithNumericColumns() throws Exception {
        StructType schema = new StructType()
                .add("N", DataTypes.LongType)
                .add("D", DataTypes.LongType)
                .add("loss", DataTypes.DoubleType)
                .add("C", DataTypes.DoubleType);
        Path table = work.resolve("runs.parquet");
        spark.createDataFrame(List.of(RowFactory.create(1000L, 2000L, 4.0, 1.23456e7)), schema)
                .coalesce(1)
                .write()
                .parquet(table.toUri().toString());

        SweepMetrics metrics = new TableReader(spark).read(table);

        assertEquals(List.of(new RunResult("row-1", 1.23e7, 1000, 2000, 1.23456e7, 4.0)), metrics.runs());
    }

    @Test
    void missingColumnIsNamedWithTheColumnsFound() throws Exception {
        Path table = csv("no-tokens.csv", """
                n,tokens,loss
                1000,2000,4.0
                """);

        TableException error = assertThrows(TableException.class, () -> new TableReader(spark).read(table));

        assertEquals("table " + table + " lacks column D; found [n, tokens, loss] (expected N, D, loss, optionally C"
                + ", run_id and unique_tokens, in any case)", error.getMessage());
    }

    @Test
    void badValueIsNamedByRowAndColumn() throws Exception {
        Path text = csv("text.csv", """
                N,D,loss
                1000,2000,4.0
                1000,2000,4.0
                1000,lots,3.9
                """);
        Path negative = csv("negative.csv", """
                N,D,loss,C
                1000,2000,4.0,1.2e7
                1000,2000,-1,1.2e7
                """);
        Path empty = csv("empty.csv", """
                N,D,loss,C
                1000,2000,4.0,
                """);
        TableReader reader = new TableReader(spark);

        assertEquals("table " + text + ", row 3 (data rows from 1), column D: is 'lots', not a number",
                assertThrows(TableException.class, () -> reader.read(text)).getMessage());
        assertEquals("table " + negative + ", row 2 (data rows from 1), column loss: is -1, not positive",
                assertThrows(TableException.class, () -> reader.read(negative)).getMessage());
        assertEquals("table " + empty + ", row 1 (data rows from 1), column C: is empty",
                assertThrows(TableException.class, () -> reader.read(empty)).getMessage());
    }

    @Test
    void repeatedRunIdOrNoRowsIsRejected() throws Exception {
        Path repeated = csv("repeated.csv", """
                run_id,N,D,loss
                x,1000,2000,4.0
                x,2000,1000,3.9
                """);
        Path headerOnly = csv("header-only.csv", "N,D,loss\n");
        TableReader reader = new TableReader(spark);

        assertEquals("table " + repeated + ", row 2: run_id 'x' repeats row 1",
                assertThrows(TableException.class, () -> reader.read(repeated)).getMessage());
        assertEquals("table " + headerOnly + " has no data rows",
                assertThrows(TableException.class, () -> reader.read(headerOnly)).getMessage());
    }

    @Test
    void budgetIsComputeRoundedToThreeSignificantDigits() {
        assertEquals(1e18, TableReader.budgetOf(1.0004e18));
        assertEquals(5.76e23, TableReader.budgetOf(5.7648e23));
        assertEquals(1.24e7, TableReader.budgetOf(12_350_001));
    }

    private Path csv(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content);
    }
}
