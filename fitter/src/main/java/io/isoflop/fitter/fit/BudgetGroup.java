package io.isoflop.fitter.fit;

import java.util.List;

/**
 * The rows of a table that form one IsoFLOP budget ({@link BudgetGrouping}).
 *
 * @param budgetFlops the budget C the rows are fitted under (Approach 2 groups runs by this exact value)
 * @param rows the rows' indices into the grouped values, in increasing index
 * @param minFlops the least C among the rows
 * @param maxFlops the greatest C among the rows
 */
public record BudgetGroup(double budgetFlops, List<Integer> rows, double minFlops, double maxFlops) {
    public BudgetGroup {
        rows = List.copyOf(rows);
    }

    /** How far the rows' C spread, in decades: log10(maxFlops / minFlops). */
    public double spanDecades() {
        return Math.log10(maxFlops / minFlops);
    }
}
