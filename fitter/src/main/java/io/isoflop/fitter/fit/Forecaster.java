package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Makes the {@link Forecasts}: the held-out check, the compute-optimal projection to target budgets and, given
 * expected inference tokens, the inference-aware optimum there. Intervals come from the bootstrap's resample fits
 * (each resample's law or power laws evaluated at the same budget); without a bootstrap their bounds are NaN.
 */
public final class Forecaster {
    /** Default target budgets, as multiples of the largest sampled budget. */
    public static final double[] DEFAULT_MULTIPLES = {10, 100, 1000};

    private final HoldOutCheck holdOutCheck;

    public Forecaster(Approach2 approach2, Approach3 approach3) {
        this.holdOutCheck = new HoldOutCheck(approach2, approach3);
    }

    /**
     * @param targets target budgets in FLOPs; empty for {@link #DEFAULT_MULTIPLES} of the largest sampled budget
     * @param bootstrap the bootstrap's resamples; null for none
     * @param inferenceTokens expected inference tokens; null for no inference-aware optimum
     */
    public Forecasts forecast(List<RunResult> runs, Approach2Fit approach2, Approach3Fit approach3,
            BootstrapResult bootstrap, List<Double> targets, Double inferenceTokens) {
        List<Double> budgets = targets.isEmpty() ? defaultTargets(runs) : targets;
        ParametricLaw law = approach3.hasOptimalAllocation() ? approach3.law() : null;
        List<Projection> projections = new ArrayList<>();
        List<InferenceForecast> inference = new ArrayList<>();
        for (double c : budgets) {
            projections.add(new Projection(c,
                    parametric(law, bootstrap, l -> l.optimalParameters(c)),
                    parametric(law, bootstrap, l -> l.optimalTokens(c)),
                    parametric(law, bootstrap, l -> l.optimalTokens(c) / l.optimalParameters(c)),
                    parametric(law, bootstrap, l -> l.optimalLoss(c)),
                    powerLaw(approach2, bootstrap, (n, d) -> n.valueAt(c)),
                    powerLaw(approach2, bootstrap, (n, d) -> d.valueAt(c))));
            if (inferenceTokens != null) {
                inference.add(new InferenceForecast(c,
                        law == null ? null : InferenceOptimum.solve(law, c, inferenceTokens),
                        parametric(law, bootstrap, l -> InferenceOptimum.solve(l, c, inferenceTokens).parameters()),
                        parametric(law, bootstrap, l -> InferenceOptimum.solve(l, c, inferenceTokens).tokens()),
                        parametric(law, bootstrap, l -> InferenceOptimum.solve(l, c, inferenceTokens).totalFlops())));
            }
        }
        return new Forecasts(holdOutCheck.check(runs, approach2), projections, inferenceTokens, inference);
    }

    /** {@link #DEFAULT_MULTIPLES} of the largest budget among the runs. */
    public static List<Double> defaultTargets(List<RunResult> runs) {
        double largest = runs.stream().mapToDouble(RunResult::budgetFlops).max().orElse(Double.NaN);
        List<Double> targets = new ArrayList<>();
        for (double multiple : DEFAULT_MULTIPLES) {
            targets.add(largest * multiple);
        }
        return targets;
    }

    /** A quantity of the Approach 3 law; resample laws without a compute-optimal allocation give NaN (left out). */
    private static Interval parametric(ParametricLaw law, BootstrapResult bootstrap,
            ToDoubleFunction<ParametricLaw> quantity) {
        ToDoubleFunction<ParametricLaw> guarded = l -> l.hasOptimalAllocation() ? quantity.applyAsDouble(l)
                : Double.NaN;
        if (bootstrap == null) {
            return Interval.of(law == null ? Double.NaN : guarded.applyAsDouble(law), new double[0]);
        }
        return bootstrap.approach3(law, guarded);
    }

    private static Interval powerLaw(Approach2Fit fit, BootstrapResult bootstrap,
            BootstrapResult.PowerLawQuantity quantity) {
        if (bootstrap == null) {
            return Interval.of(fit.hasPowerLaws() ? quantity.of(fit.nOpt(), fit.dOpt()) : Double.NaN, new double[0]);
        }
        return bootstrap.approach2(fit.nOpt(), fit.dOpt(), quantity);
    }
}
