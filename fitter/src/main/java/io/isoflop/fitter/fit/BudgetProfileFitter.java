package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Fits the IsoFLOP profile of one budget: drops runs without a usable loss, then stalled edge runs
 * ({@link StalledRunDetector}), fits loss against log10(N) by least squares and checks the vertex.
 */
final class BudgetProfileFitter {
    private final Approach2Settings settings;
    private final StalledRunDetector stalledRuns;

    BudgetProfileFitter(Approach2Settings settings) {
        this.settings = settings;
        this.stalledRuns = new StalledRunDetector(settings);
    }

    BudgetProfile fit(double budgetFlops, List<RunResult> runs) {
        List<RunResult> sorted = runs.stream()
                .sorted(Comparator.comparingLong(RunResult::parameters).thenComparing(RunResult::runId))
                .toList();
        List<RunResult> candidates = new ArrayList<>();
        Map<RunResult, String> reasons = new HashMap<>();
        for (RunResult run : sorted) {
            String invalid = invalidReason(run);
            if (invalid == null) {
                candidates.add(run);
            } else {
                reasons.put(run, invalid);
            }
        }
        if (candidates.size() >= settings.minPointsPerBudget()) {
            reasons.putAll(stalledRuns.detect(candidates));
        }
        List<PointDecision> decisions = sorted.stream()
                .map(run -> reasons.containsKey(run)
                        ? PointDecision.excluded(run, reasons.get(run))
                        : PointDecision.used(run))
                .toList();
        List<RunResult> kept = sorted.stream().filter(run -> !reasons.containsKey(run)).toList();
        double minN = kept.stream().mapToDouble(RunResult::parameters).min().orElse(Double.NaN);
        double maxN = kept.stream().mapToDouble(RunResult::parameters).max().orElse(Double.NaN);

        if (kept.size() < settings.minPointsPerBudget()) {
            return unusable(budgetFlops, decisions, null, minN, maxN, String.format(Locale.ROOT,
                    "only %d usable point%s, at least %d needed", kept.size(), kept.size() == 1 ? "" : "s",
                    settings.minPointsPerBudget()));
        }
        long sizes = kept.stream().mapToLong(RunResult::parameters).distinct().count();
        if (sizes < 3) {
            return unusable(budgetFlops, decisions, null, minN, maxN,
                    "only " + sizes + " distinct model sizes among the usable points; a parabola needs 3");
        }
        Parabola parabola = Parabola.fit(kept, RunResult::log10Parameters, RunResult::finalLoss);
        if (!parabola.hasMinimum()) {
            return unusable(budgetFlops, decisions, parabola, minN, maxN, String.format(Locale.ROOT,
                    "no minimum: the parabola opens downwards (curvature a = %.4g ≤ 0)", parabola.a()));
        }
        double nOpt = Math.pow(10, parabola.vertexX());
        Vertex vertex = new Vertex(nOpt, tokensAt(sorted, nOpt), parabola.vertexValue());
        boolean inside = nOpt >= minN && nOpt <= maxN;
        String reason = inside ? null : String.format(Locale.ROOT,
                "vertex N_opt = %.3g lies outside the sampled range [%.3g, %.3g]: an extrapolation", nOpt, minN, maxN);
        return new BudgetProfile(budgetFlops, decisions, parabola, vertex, minN, maxN, inside, inside, reason);
    }

    private static BudgetProfile unusable(double budgetFlops, List<PointDecision> decisions, Parabola parabola,
            double minN, double maxN, String reason) {
        return new BudgetProfile(budgetFlops, decisions, parabola, null, minN, maxN, false, false, reason);
    }

    private static String invalidReason(RunResult run) {
        if (!Double.isFinite(run.finalLoss())) {
            return "loss is not finite (" + run.finalLoss() + "): the run diverged or recorded no final evaluation";
        }
        if (run.parameters() <= 0 || run.tokens() <= 0) {
            return "N and D must be positive, got N=" + run.parameters() + ", D=" + run.tokens();
        }
        return null;
    }

    /**
     * D at {@code parameters}: log10 D regressed on log10 N over all of the budget's runs (their N and D are
     * planned values, valid even where the loss was not), so exactly C/(6N) when the grid follows C = 6ND.
     */
    private static double tokensAt(List<RunResult> runs, double parameters) {
        SimpleRegression regression = new SimpleRegression(true);
        runs.stream()
                .filter(run -> run.parameters() > 0 && run.tokens() > 0)
                .forEach(run -> regression.addData(run.log10Parameters(), Math.log10(run.tokens())));
        return Math.pow(10, regression.predict(Math.log10(parameters)));
    }
}
