package io.isoflop.fitter.fit;

import java.util.List;

/**
 * The result of Approach 2 (IsoFLOP profiles): one profile per budget and, when at least two budgets are usable,
 * the compute-optimal power laws {@code N_opt = k_N·C^a} and {@code D_opt = k_D·C^b}, C being the nominal budget.
 *
 * @param budgets one profile per budget, ordered by C
 * @param nOpt the N_opt power law; null when fewer than two budgets are usable
 * @param dOpt the D_opt power law; null when fewer than two budgets are usable
 * @param diagnostics human-readable notes on everything excluded or uncertain, in fit order
 */
public record Approach2Fit(List<BudgetProfile> budgets, PowerLaw nOpt, PowerLaw dOpt, List<String> diagnostics) {

    public Approach2Fit {
        budgets = List.copyOf(budgets);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasPowerLaws() {
        return nOpt != null && dOpt != null;
    }

    public List<BudgetProfile> usableBudgets() {
        return budgets.stream().filter(BudgetProfile::usedInPowerLaw).toList();
    }
}
