package io.isoflop.scheduler.study;

import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * How precise a sweep's fit will be, before it is run: the sweep is played out {@code repetitions} times from a
 * prior law with its noise ({@link SimulatedSweep}), each repetition fitted as the fitter fits it (Approach 2 for
 * a, b and N_opt; Approach 3 for the loss), and the spread of those fits is the interval to expect: for each
 * quantity the median fit and the 2.5th–97.5th percentiles over the repetitions. Seeded: the same spec, prior,
 * seed and repetitions give the same forecast.
 *
 * @param repetitions simulated sweeps
 * @param unfitted repetitions whose runs gave no N_opt power law (fewer than two usable budgets); left out
 * @param flops training FLOPs of the sweep (an adaptive sweep's vary with what its stages find)
 * @param meanFlops their mean: what the sweep costs in expectation
 * @param runs runs of the sweep
 * @param stages stages that ran (the decision that ended the sweep not counted)
 * @param a the exponent of N_opt ∝ C^a
 * @param b the exponent of D_opt ∝ C^b
 * @param targets N_opt and the compute-optimal loss at each target budget
 */
public record PrecisionForecast(int repetitions, int unfitted, Spread flops, double meanFlops, Spread runs,
        Spread stages, Spread a, Spread b, List<Target> targets) {

    /**
     * One quantity over the repetitions.
     *
     * @param truth the prior law's value (NaN where the law has none, e.g. FLOPs)
     * @param median the median fit
     * @param lower the 2.5th percentile
     * @param upper the 97.5th percentile
     * @param stdDev the standard deviation over the repetitions
     */
    public record Spread(double truth, double median, double lower, double upper, double stdDev) {
        static Spread of(double truth, double[] values) {
            Interval spread = Interval.of(Double.NaN, values); // the fitter's percentiles and standard deviation
            if (spread.resamples() == 0) {
                return new Spread(truth, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            Percentile median = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
            median.setData(Arrays.stream(values).filter(Double::isFinite).toArray());
            return new Spread(truth, median.evaluate(50), spread.lower(), spread.upper(), spread.stdErr());
        }

        public double width() {
            return upper - lower;
        }
    }

    /** @param loss the compute-optimal loss there, from each repetition's Approach 3 law */
    public record Target(double budgetFlops, Spread optimalParameters, Spread loss) {}

    /** One repetition's fits. */
    private record Repetition(int stages, int runs, double flops, Approach2Fit approach2, ParametricLaw approach3) {}

    /**
     * @param sweep how the sweep chooses its runs
     * @param prior the law the runs are drawn from, with its noise; also the fits' truth
     * @param targetBudgets where N_opt and the loss are forecast
     */
    public static PrecisionForecast of(SweepStages sweep, SimulatedLaw prior, List<Double> targetBudgets,
            int repetitions, long seed) throws SpecValidationException {
        ParametricLaw truth = PriorLaw.parametric(prior);
        // Approach 3 as the bootstrap refits: from the prior's optimum plus a coarse grid of starts
        Approach3 approach3 = new Approach3(Approach3Settings.defaults().forResamples(truth.toLogParameters()));
        Approach2 approach2 = new Approach2();
        List<SimulatedSweep> played = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            played.add(SimulatedSweep.run(sweep, prior, seed + 7919L * r));
        }
        List<Repetition> fits = played.parallelStream().map(p -> {
            Approach3Fit law = approach3.fit(p.results());
            return new Repetition(p.stages().size() - 1, p.results().size(), p.flops(), approach2.fit(p.results()),
                    law.fitted() ? law.law() : null);
        }).toList();
        return summarise(fits, truth, targetBudgets, repetitions);
    }

    private static PrecisionForecast summarise(List<Repetition> fits, ParametricLaw truth, List<Double> targets,
            int repetitions) {
        List<Repetition> withLaws = fits.stream().filter(f -> f.approach2().hasPowerLaws()).toList();
        double[] a = withLaws.stream().mapToDouble(f -> f.approach2().nOpt().exponent()).toArray();
        double[] b = withLaws.stream().mapToDouble(f -> f.approach2().dOpt().exponent()).toArray();
        List<Target> perTarget = new ArrayList<>();
        for (double c : targets) {
            perTarget.add(new Target(c,
                    Spread.of(truth.optimalParameters(c), withLaws.stream()
                            .mapToDouble(f -> f.approach2().nOpt().valueAt(c)).toArray()),
                    Spread.of(truth.optimalLoss(c), fits.stream()
                            .mapToDouble(f -> f.approach3() == null || !f.approach3().hasOptimalAllocation()
                                    ? Double.NaN : f.approach3().optimalLoss(c)).toArray())));
        }
        return new PrecisionForecast(repetitions, fits.size() - withLaws.size(),
                Spread.of(Double.NaN, fits.stream().mapToDouble(Repetition::flops).toArray()),
                fits.stream().mapToDouble(Repetition::flops).average().orElse(Double.NaN),
                Spread.of(Double.NaN, fits.stream().mapToDouble(Repetition::runs).toArray()),
                Spread.of(Double.NaN, fits.stream().mapToDouble(Repetition::stages).toArray()),
                Spread.of(truth.exponentA(), a), Spread.of(truth.exponentB(), b), perTarget);
    }
}
