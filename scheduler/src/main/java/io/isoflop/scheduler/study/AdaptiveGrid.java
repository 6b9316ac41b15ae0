package io.isoflop.scheduler.study;

import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.NumberText;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The adaptive IsoFLOP grid ({@link BudgetSpec.Adaptive}). Stage 1 runs the smallest {@code first_budgets}
 * budgets on the spec's model sizes. Every later stage first fits what has run (Approach 2, its precision by a
 * parametric bootstrap from the runs' own law and scatter, {@link ReplicatePrecision}); if the requested precision
 * is reached, or no budget is left, the sweep ends;
 * otherwise the stage runs the next budget up, its {@code per_budget} sizes log-spaced around the N_opt the fit
 * predicts there, ± twice the half-width of that prediction's 95% interval (within {@code spread.min} and
 * {@code spread.max} decades): a sure prediction gets a tight grid, an unsure one a wide grid that still brackets
 * the optimum. Before any power law exists (fewer than two usable budgets) the next budget uses the spec's sizes.
 *
 * <p>Every decision is a function of the finished results and the spec (the bootstrap is seeded by the sweep's
 * seed and the stage), so a restarted sweep plans the same stages.
 */
public final class AdaptiveGrid implements SweepStages {
    private final BudgetSpec spec;
    private final BudgetSpec.Adaptive settings;
    private final Path sweepDir;

    public AdaptiveGrid(BudgetSpec spec, Path sweepDir) {
        if (spec.adaptive() == null) {
            throw new IllegalArgumentException("spec " + spec.source() + " has no adaptive section");
        }
        this.spec = spec;
        this.settings = spec.adaptive();
        this.sweepDir = sweepDir;
    }

    @Override
    public Stage next(int index, List<RunResult> finished) throws SpecValidationException {
        List<Double> budgets = spec.budgets().points().stream().map(BudgetSpec.Budget::flops).toList();
        if (index == 1) {
            List<Double> first = budgets.subList(0, Math.min(settings.firstBudgets(), budgets.size()));
            return stage(index, first, spec.models(), String.format(Locale.ROOT,
                    "first stage: the %d smallest budgets on the spec's model sizes", first.size()));
        }
        Set<Double> done = finished.stream().map(RunResult::budgetFlops).collect(Collectors.toCollection(TreeSet::new));
        Double next = budgets.stream().filter(c -> !done.contains(c)).findFirst().orElse(null);
        ReplicatePrecision estimate = ReplicatePrecision.of(finished, settings.resamples(),
                spec.sweep().seed() * 31 + index);
        if (estimate.fitted() && reached(estimate)) {
            return Stage.end(index, "precision reached after " + done.size() + " budgets: " + precision(estimate));
        }
        if (next == null) {
            return Stage.end(index, "every budget has run; " + (estimate.fitted() ? precision(estimate)
                    + ": the target is not reached" : "no N_opt power law could be fitted"));
        }
        if (!estimate.fitted()) {
            return stage(index, List.of(next), spec.models(), "budget " + NumberText.format(next)
                    + " on the spec's model sizes: no N_opt power law or no parametric law yet");
        }
        Interval log10N = estimate.log10OptimalParameters(next);
        double halfWidth = ReplicatePrecision.width(log10N) / 2;
        double spread = Math.min(settings.maxSpread(), Math.max(settings.minSpread(),
                Double.isFinite(halfWidth) ? 2 * halfWidth : settings.maxSpread()));
        BudgetSpec.Models centred = new BudgetSpec.Models(settings.perBudget(),
                new BudgetSpec.Bounds(Math.pow(10, log10N.estimate() - spread), Math.pow(10,
                        log10N.estimate() + spread)), null);
        return stage(index, List.of(next), centred, String.format(Locale.ROOT,
                "budget %s: %d sizes within ±%.2f decades of the predicted N_opt %.3g (95%% interval %.3g–%.3g)"
                        + " from %d budgets; %s", NumberText.format(next), settings.perBudget(), spread,
                Math.pow(10, log10N.estimate()), Math.pow(10, log10N.lower()), Math.pow(10, log10N.upper()),
                done.size(), precision(estimate)));
    }

    private Stage stage(int index, List<Double> budgets, BudgetSpec.Models models, String reason)
            throws SpecValidationException {
        BudgetSpec stageSpec = spec.withGrid(new BudgetSpec.Budgets(budgets, null), models);
        IsoFlopPlan plan = IsoFlopPlanner.plan(stageSpec, sweepDir);
        return new Stage(index, budgets, plan.runs(), reason);
    }

    private boolean reached(ReplicatePrecision estimate) {
        boolean a = settings.aWidth() == null || ReplicatePrecision.width(estimate.a()) <= settings.aWidth();
        boolean n = settings.nOptDecades() == null
                || ReplicatePrecision.width(estimate.log10OptimalParameters(settings.nOptBudget()))
                        <= settings.nOptDecades();
        return a && n;
    }

    /** The current precision against the targets, e.g. "a 0.498 (95% 0.47–0.52, width 0.050; target 0.040)". */
    private String precision(ReplicatePrecision estimate) {
        Interval a = estimate.a();
        String text = String.format(Locale.ROOT, "a %.3f (95%% %.3f–%.3f, width %.3f%s; noise %.2f%%)", a.estimate(), a.lower(),
                a.upper(), ReplicatePrecision.width(a),
                settings.aWidth() == null ? "" : String.format(Locale.ROOT, "; target %.3f", settings.aWidth()),
                100 * estimate.noise());
        if (settings.nOptDecades() != null) {
            Interval n = estimate.log10OptimalParameters(settings.nOptBudget());
            text += String.format(Locale.ROOT, ", N_opt at %s %.3g (width %.3f decades; target %.3f)",
                    NumberText.format(settings.nOptBudget()), Math.pow(10, n.estimate()), ReplicatePrecision.width(n),
                    settings.nOptDecades());
        }
        return text;
    }
}
