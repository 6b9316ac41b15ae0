package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BudgetGroupingTest {
    /** Chinchilla's IsoFLOP budgets (Hoffmann et al. 2022, Figure 3). */
    private static final double[] CHINCHILLA = {6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21};

    private static List<String> names(int rows) {
        return IntStream.rangeClosed(1, rows).mapToObj(i -> "row " + i).toList();
    }

    /** {@code perBudget} rows per budget, in shuffled order, each C scattered by up to ±{@code scatter} decades. */
    private static List<Double> scattered(double[] budgets, int perBudget, double scatter, Random random) {
        List<Double> flops = new ArrayList<>();
        for (double budget : budgets) {
            for (int i = 0; i < perBudget; i++) {
                flops.add(budget * Math.pow(10, scatter * (2 * random.nextDouble() - 1)));
            }
        }
        java.util.Collections.shuffle(flops, random);
        return flops;
    }

    @Test
    void clustersOfLogCRecoverWellSeparatedBudgetsAtTheirGeometricMeans() {
        List<Double> flops = scattered(CHINCHILLA, 7, 0.03, new Random(1));

        BudgetGroups groups = BudgetGrouping.clusters(0.1, 0.15).group(flops, names(flops.size()));

        assertEquals(CHINCHILLA.length, groups.groups().size(), groups.toString());
        for (int b = 0; b < CHINCHILLA.length; b++) {
            BudgetGroup group = groups.groups().get(b);
            assertEquals(7, group.rows().size(), group.toString());
            assertEquals(Math.log10(CHINCHILLA[b]), Math.log10(group.budgetFlops()), 0.03, group.toString());
            double meanLog = group.rows().stream().mapToDouble(i -> Math.log10(flops.get(i))).average().orElseThrow();
            assertEquals(meanLog, Math.log10(group.budgetFlops()), 1e-12, "the geometric mean of the rows' C");
            assertTrue(group.spanDecades() <= 0.06, group.toString());
            for (int row : group.rows()) {
                assertEquals(group.budgetFlops(), groups.budgets().get(row), "each row carries its group's budget");
                assertTrue(flops.get(row) >= group.minFlops() && flops.get(row) <= group.maxFlops());
            }
        }
        assertTrue(groups.method().startsWith("clusters of log10 C split at gaps over 0.1 decades"), groups.method());
        assertEquals(List.of(), groups.emptyBudgets());
    }

    @Test
    void rowsThatRunIntoEachOtherWithoutAGapAreRefusedNamingTheFarthest() {
        List<Double> flops = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            flops.add(Math.pow(10, 18 + 0.05 * i)); // one decade, a value every 0.05: no gap over 0.1
        }

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BudgetGrouping.clusters(0.1, 0.15).group(flops, names(flops.size())));

        assertTrue(error.getMessage().startsWith("row 1 (C = 1e+18) is 0.500 decades from its budget 3.162e+18, more"
                + " than the tolerance of 0.15 decades: its cluster of 21 rows runs from C = 1e+18 to 1e+19"),
                error.getMessage());
    }

    @Test
    void declaredBudgetsTakeTheNearestRowsInLogC() {
        List<Double> flops = List.of(5.8e18, 1.1e19, 6.3e18, 2.7e19, 9.5e18, 3.4e19, 1.4e19);

        BudgetGroups groups = BudgetGrouping.declared(List.of(3e19, 6e18, 1e19, 1e20), 0.15)
                .group(flops, names(flops.size()));

        assertEquals(List.of(6e18, 1e19, 6e18, 3e19, 1e19, 3e19, 1e19), groups.budgets());
        assertEquals(3, groups.groups().size());
        BudgetGroup middle = groups.groups().get(1);
        assertEquals(new BudgetGroup(1e19, List.of(1, 4, 6), 9.5e18, 1.4e19), middle);
        assertEquals(List.of(1e20), groups.emptyBudgets(), "a declared budget no row is near");
        assertTrue(groups.method().startsWith("the nearest declared budget in log10 C (6e+18, 1e+19, 3e+19, 1e+20),"
                + " within 0.15 decades"), groups.method());
    }

    @Test
    void aRowTooFarFromEveryDeclaredBudgetIsAnErrorNamingIt() {
        List<Double> flops = List.of(6e18, 1e19, 4.5e19, 3e19);
        List<String> names = List.of("row 1", "row 2", "row 3 (run_id c45)", "row 4");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BudgetGrouping.declared(List.of(6e18, 1e19, 3e19), 0.15).group(flops, names));

        assertEquals("row 3 (run_id c45) (C = 4.5e+19) is 0.176 decades from the nearest declared budget, 3e+19, more"
                + " than the tolerance of 0.15 decades", error.getMessage());
        assertEquals(3e19, BudgetGrouping.declared(List.of(3e19), 0.2).group(List.of(4.5e19), List.of("r"))
                .budgets().get(0), "within a wider tolerance");
    }

    @Test
    void significantDigitsIsTheExactBudgetOfPublishedTables() {
        BudgetGroups groups = BudgetGrouping.defaults().group(List.of(1.0004e18, 1e18, 5.7648e23, 12_350_001.0),
                names(4));

        assertEquals(List.of(1e18, 1e18, 5.76e23, 1.24e7), groups.budgets());
        assertEquals(3, groups.groups().size());
        assertEquals("C to 3 significant digits", groups.method());
    }

    @Test
    void badSettingsAreRefused() {
        assertEquals("a budget is declared twice: [1.0E19, 1.0E19]", assertThrows(IllegalArgumentException.class,
                () -> BudgetGrouping.declared(List.of(1e19, 1e19), 0.15)).getMessage());
        assertEquals("declare at least one budget", assertThrows(IllegalArgumentException.class,
                () -> BudgetGrouping.declared(List.of(), 0.15)).getMessage());
        assertEquals("the gap must be a positive number of decades, got 0.0", assertThrows(
                IllegalArgumentException.class, () -> BudgetGrouping.clusters(0, 0.15)).getMessage());
        assertEquals("the tolerance must be a positive number of decades, got NaN", assertThrows(
                IllegalArgumentException.class, () -> BudgetGrouping.declared(List.of(1e19), Double.NaN))
                .getMessage());
    }
}
