package io.isoflop.scheduler.study;

import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.PowerLaw;
import io.isoflop.fitter.fit.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How precise the fit of these runs is, by a parametric bootstrap: the runs' law (Approach 3 on them) with their
 * scatter about it (the root mean square of {@code loss / L(N, D) − 1}) is taken as the truth, the same runs are
 * drawn again from it {@code replicates} times, and each replicate is fitted with Approach 2. The spread of the
 * replicates' a and N_opt is the precision the sweep has reached: the interval {@code plan --precision} forecasts,
 * now from the runs themselves. Unlike resampling runs, this keeps every budget's sizes, so it also measures a
 * sparse grid (three sizes a budget) fairly. The estimates themselves are Approach 2's on the runs as they are.
 *
 * @param fit Approach 2 on the runs
 * @param law the runs' Approach 3 law; null when it could not be fitted (then nothing is known of the precision)
 * @param noise the runs' relative scatter about the law
 * @param replicates each replicate's N_opt power law (replicates without one left out)
 */
public record ReplicatePrecision(Approach2Fit fit, ParametricLaw law, double noise, List<PowerLaw> replicates) {

    private static final Approach2 APPROACH_2 = new Approach2();
    /** The law only sets the replicates' truth: the bootstrap's coarse grid of 108 starts is enough for it. */
    private static final Approach3 APPROACH_3 = new Approach3(Approach3Settings.defaults().forResamples(null));

    public ReplicatePrecision {
        replicates = List.copyOf(replicates);
    }

    public static ReplicatePrecision of(List<RunResult> runs, int replicates, long seed) {
        Approach2Fit fit = APPROACH_2.fit(runs);
        Approach3Fit parametric = APPROACH_3.fit(runs);
        if (!parametric.hasOptimalAllocation()) {
            return new ReplicatePrecision(fit, null, Double.NaN, List.of());
        }
        ParametricLaw law = parametric.law();
        List<RunResult> usable = runs.stream().filter(r -> Double.isFinite(r.finalLoss())).toList();
        double noise = relativeScatter(law, usable);
        SimulatedLaw truth = new SimulatedLaw(law.e(), law.a(), law.alpha(), law.b(), law.beta(), noise, 0);
        List<PowerLaw> laws = IntStream.range(0, replicates).parallel()
                .mapToObj(r -> APPROACH_2.fit(redraw(usable, truth, seed * 1_000_003L + r)).nOpt())
                .filter(Objects::nonNull).toList();
        return new ReplicatePrecision(fit, law, noise, laws);
    }

    /** The root mean square of {@code loss / L(N, D) − 1} over runs with a finite loss: their scatter about the law. */
    public static double relativeScatter(ParametricLaw law, List<RunResult> runs) {
        double sum = 0;
        int count = 0;
        for (RunResult run : runs) {
            if (Double.isFinite(run.finalLoss())) {
                double relative = run.finalLoss() / law.loss(run.parameters(), run.tokens()) - 1;
                sum += relative * relative;
                count++;
            }
        }
        return count == 0 ? Double.NaN : Math.sqrt(sum / count);
    }

    /** The same runs with losses drawn afresh from {@code truth} (its per-run noise), seeded. */
    static List<RunResult> redraw(List<RunResult> runs, SimulatedLaw truth, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RunResult> drawn = new ArrayList<>(runs.size());
        for (RunResult run : runs) {
            drawn.add(new RunResult(run.runId(), run.budgetFlops(), run.parameters(), run.tokens(), run.flops(),
                    truth.drawFinalLoss(run.parameters(), run.tokens(), random)));
        }
        return drawn;
    }

    /** Whether the runs give an N_opt power law and a law to measure its precision with. */
    public boolean fitted() {
        return fit.hasPowerLaws() && law != null && replicates.size() >= 2;
    }

    /** The exponent a of N_opt ∝ C^a (Approach 2 on the runs) with its 95% interval over the replicates. */
    public Interval a() {
        return Interval.of(fit.hasPowerLaws() ? fit.nOpt().exponent() : Double.NaN,
                replicates.stream().mapToDouble(PowerLaw::exponent).toArray());
    }

    /** log10 N_opt at budget C with its interval. */
    public Interval log10OptimalParameters(double budgetFlops) {
        return Interval.of(fit.hasPowerLaws() ? Math.log10(fit.nOpt().valueAt(budgetFlops)) : Double.NaN,
                replicates.stream().mapToDouble(law -> Math.log10(law.valueAt(budgetFlops))).toArray());
    }

    /** Width of an interval; NaN when it has no bounds. */
    public static double width(Interval interval) {
        return interval.upper() - interval.lower();
    }
}
