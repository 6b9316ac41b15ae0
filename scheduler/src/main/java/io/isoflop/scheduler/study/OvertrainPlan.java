package io.isoflop.scheduler.study;

import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.InferenceOptimum;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The over-training plan (Sardana &amp; Frankle 2024): for a target loss and an expected inference volume of T tokens,
 * the N and D on the fitted law's iso-loss curve that minimise training plus inference FLOPs
 * ({@link InferenceOptimum#solveForLoss}), with 95% intervals from a parametric bootstrap: the fitted runs drawn
 * again {@code replicates} times from the law with their own scatter, the law refitted (Approach 3) and the
 * optimum solved on each.
 *
 * @param estimate the optimum on the fitted law
 * @param parameters N's interval
 * @param tokens D's interval
 * @param totalFlops the interval of training plus inference FLOPs
 * @param replicates replicates whose refit gave a law with a compute-optimal allocation
 */
public record OvertrainPlan(InferenceOptimum estimate, Interval parameters, Interval tokens, Interval totalFlops,
        int replicates) {

    /**
     * @param law the fitted law, with the runs' scatter about it as its run noise
     * @param runs the runs it was fitted to (their N and D are redrawn)
     */
    public static OvertrainPlan of(SimulatedLaw law, List<RunResult> runs, double targetLoss, double inferenceTokens,
            int replicates, long seed) {
        ParametricLaw fitted = PriorLaw.parametric(law);
        InferenceOptimum estimate = InferenceOptimum.solveForLoss(fitted, targetLoss, inferenceTokens);
        Approach3 refit = new Approach3(Approach3Settings.defaults().forResamples(fitted.toLogParameters()));
        List<InferenceOptimum> drawn = IntStream.range(0, replicates).parallel().mapToObj(r -> {
            Approach3Fit fit = refit.fit(ReplicatePrecision.redraw(runs, law, seed * 1_000_003L + r));
            if (!fit.hasOptimalAllocation() || !(targetLoss > fit.law().e())) {
                return null;
            }
            try {
                return InferenceOptimum.solveForLoss(fit.law(), targetLoss, inferenceTokens);
            } catch (IllegalArgumentException unreachable) {
                return null;
            }
        }).filter(Objects::nonNull).toList();
        return new OvertrainPlan(estimate, interval(estimate, drawn, InferenceOptimum::parameters),
                interval(estimate, drawn, InferenceOptimum::tokens),
                interval(estimate, drawn, InferenceOptimum::totalFlops), drawn.size());
    }

    private static Interval interval(InferenceOptimum estimate, List<InferenceOptimum> drawn,
            ToDoubleFunction<InferenceOptimum> quantity) {
        return Interval.of(quantity.applyAsDouble(estimate), drawn.stream().mapToDouble(quantity).toArray());
    }
}
