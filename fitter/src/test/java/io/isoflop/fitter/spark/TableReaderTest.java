package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.fitter.fit.BudgetGrouping;
import io.isoflop.fitter.fit.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** {@link TableReader}'s rows to runs, on rows made without Spark (the file reading is in {@link TableReaderIT}). */
class TableReaderTest {
    private static final Path TABLE = Path.of("digitized.csv");
    private static final String[] COLUMNS = {"run_id", "N", "D", "loss", "C"};

    /** Rows of three budgets whose C scatter by a few percent, as read off a figure; N and D are not checked. */
    private static List<Row> digitized() {
        List<Row> rows = new ArrayList<>();
        double[][] budgets = {{5.8e18, 6.1e18, 6.3e18}, {0.97e19, 1.02e19, 1.05e19}, {2.9e19, 3.1e19}};
        int id = 0;
        for (double[] budget : budgets) {
            for (double c : budget) {
                long n = 100_000_000L + 10_000_000L * id;
                rows.add(RowFactory.create("r" + id++, Long.toString(n), Long.toString(Math.round(c / (6.0 * n))),
                        Double.toString(3.0 - 0.01 * id), Double.toString(c)));
            }
        }
        return rows;
    }

    @Test
    void declaredBudgetsGroupAContinuousCAndEveryGroupIsNoted() throws Exception {
        SweepMetrics metrics = TableReader.runs(TABLE, COLUMNS, digitized(),
                BudgetGrouping.declared(List.of(6e18, 1e19, 3e19), 0.15));

        assertEquals(List.of(6e18, 6e18, 6e18, 1e19, 1e19, 1e19, 3e19, 3e19),
                metrics.runs().stream().map(RunResult::budgetFlops).toList());
        assertEquals(5.8e18, metrics.runs().get(0).flops(), "a run keeps its own C");
        String notes = String.join("\n", metrics.notes());
        assertTrue(notes.contains("grouped into 3 budget(s) by the nearest declared budget in log10 C (6e+18, 1e+19,"
                + " 3e+19), within 0.15 decades"), notes);
        assertTrue(notes.contains("budget grouping (the nearest declared budget in log10 C (6e+18, 1e+19, 3e+19),"
                + " within 0.15 decades): budget 6e+18 FLOPs: 3 row(s) (rows 1-3), C from 5.8e+18 to 6.3e+18"
                + " (0.036 decades)"), notes);
        assertTrue(notes.contains("budget 3e+19 FLOPs: 2 row(s) (rows 7-8)"), notes);
    }

    @Test
    void clustersOfLogCGroupTheSameRowsAtTheirGeometricMeans() throws Exception {
        SweepMetrics metrics = TableReader.runs(TABLE, COLUMNS, digitized(), BudgetGrouping.clusters(0.1, 0.15));

        List<Double> budgets = metrics.runs().stream().map(RunResult::budgetFlops).distinct().toList();
        assertEquals(3, budgets.size(), budgets.toString());
        assertEquals(Math.cbrt(5.8e18 * 6.1e18 * 6.3e18), budgets.get(0), 1e-9 * budgets.get(0));
        assertTrue(metrics.notes().get(0).contains("grouped into 3 budget(s) by clusters of log10 C"), metrics
                .notes().get(0));
    }

    @Test
    void aRowFarFromEveryDeclaredBudgetIsRefusedNamingIt() {
        TableException error = assertThrows(TableException.class, () -> TableReader.runs(TABLE, COLUMNS,
                digitized(), BudgetGrouping.declared(List.of(6e18, 1e19), 0.15)));

        assertEquals("table digitized.csv: row 7 (run_id r6) (C = 2.9e+19) is 0.462 decades from the nearest declared"
                + " budget, 1e+19, more than the tolerance of 0.15 decades", error.getMessage());
    }

    @Test
    void byDefaultAContinuousCGivesSingleRowBudgetsAndAHint() throws Exception {
        SweepMetrics metrics = TableReader.runs(TABLE, COLUMNS, digitized(), BudgetGrouping.defaults());

        assertEquals(8, metrics.runs().stream().map(RunResult::budgetFlops).distinct().count());
        assertTrue(metrics.notes().get(0).contains("grouped into 8 budget(s) by C to 3 significant digits"),
                metrics.notes().get(0));
        assertTrue(metrics.notes().stream().anyMatch(n -> n.startsWith("8 of 8 budgets hold a single row: if C is"
                + " continuous")), metrics.notes().toString());
    }
}
