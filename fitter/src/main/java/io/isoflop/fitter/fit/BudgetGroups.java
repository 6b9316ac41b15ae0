package io.isoflop.fitter.fit;

import java.util.List;

/**
 * How {@link BudgetGrouping} grouped a table's rows into IsoFLOP budgets.
 *
 * @param method the rule, in words (e.g. "C to 3 significant digits")
 * @param budgets each row's budget C, in row order
 * @param groups one per budget that holds rows, in increasing C
 * @param emptyBudgets declared budgets that no row is near; empty for the other rules
 */
public record BudgetGroups(String method, List<Double> budgets, List<BudgetGroup> groups, List<Double> emptyBudgets) {
    public BudgetGroups {
        budgets = List.copyOf(budgets);
        groups = List.copyOf(groups);
        emptyBudgets = List.copyOf(emptyBudgets);
    }
}
