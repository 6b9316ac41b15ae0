package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Approach 2 of Hoffmann et al. (2022), IsoFLOP profiles, hardened for small noisy sweeps.
 *
 * <p>Conventions: runs are grouped by their exact nominal budget C; N is the run's declared parameter count;
 * loss is in nats per token; every parabola is loss against {@code log10(N)}; power laws are fitted by least
 * squares on {@code log10} of both sides.
 *
 * <p>Per budget: runs with a non-finite loss are excluded, then stalled edge runs ({@link StalledRunDetector});
 * a budget keeps its parabola only with at least {@link Approach2Settings#minPointsPerBudget()} points and
 * positive curvature; a vertex outside the kept points' N range is flagged and left out of the power laws
 * (Porian et al. 2024 reject such budgets). Across the usable budgets: {@code N_opt = k_N·C^a} and
 * {@code D_opt = k_D·C^b}; absent, with a diagnostic, when fewer than two budgets are usable.
 */
public final class Approach2 {
    /** Fewest usable budgets for a power law: two points define a line, but leave no error estimate. */
    public static final int MIN_BUDGETS_FOR_POWER_LAW = 2;

    private final Approach2Settings settings;
    private final BudgetProfileFitter profileFitter;

    public Approach2(Approach2Settings settings) {
        this.settings = settings;
        this.profileFitter = new BudgetProfileFitter(settings);
    }

    public Approach2() {
        this(Approach2Settings.defaults());
    }

    public Approach2Settings settings() {
        return settings;
    }

    public Approach2Fit fit(List<RunResult> runs) {
        Map<Double, List<RunResult>> byBudget = new TreeMap<>();
        for (RunResult run : runs) {
            byBudget.computeIfAbsent(run.budgetFlops(), budget -> new ArrayList<>()).add(run);
        }
        List<BudgetProfile> profiles = new ArrayList<>();
        List<String> diagnostics = new ArrayList<>();
        byBudget.forEach((budget, budgetRuns) -> {
            BudgetProfile profile = profileFitter.fit(budget, budgetRuns);
            profiles.add(profile);
            describe(profile, diagnostics);
        });

        List<BudgetProfile> usable = profiles.stream().filter(BudgetProfile::usedInPowerLaw).toList();
        if (usable.size() < MIN_BUDGETS_FOR_POWER_LAW) {
            diagnostics.add(String.format(Locale.ROOT,
                    "power laws not fitted: %d usable budget%s of %d, at least %d needed", usable.size(),
                    usable.size() == 1 ? "" : "s", profiles.size(), MIN_BUDGETS_FOR_POWER_LAW));
            return new Approach2Fit(profiles, null, null, diagnostics);
        }
        double[] budgets = usable.stream().mapToDouble(BudgetProfile::budgetFlops).toArray();
        PowerLaw nOpt = PowerLaw.fit(budgets, usable.stream().mapToDouble(p -> p.vertex().parameters()).toArray());
        PowerLaw dOpt = PowerLaw.fit(budgets, usable.stream().mapToDouble(p -> p.vertex().tokens()).toArray());
        if (usable.size() == MIN_BUDGETS_FOR_POWER_LAW) {
            diagnostics.add("only 2 usable budgets: the exponents have no standard error");
        }
        return new Approach2Fit(profiles, nOpt, dOpt, diagnostics);
    }

    private static void describe(BudgetProfile profile, List<String> diagnostics) {
        String budget = String.format(Locale.ROOT, "budget %.2e", profile.budgetFlops());
        for (PointDecision point : profile.excludedPoints()) {
            diagnostics.add(budget + ": run " + point.run().runId() + " excluded: " + point.reason());
        }
        if (!profile.usedInPowerLaw()) {
            diagnostics.add(budget + ": not used in the power laws: " + profile.reason());
        }
    }
}
