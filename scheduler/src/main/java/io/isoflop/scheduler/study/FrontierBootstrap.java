package io.isoflop.scheduler.study;

import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Bootstrap;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.PowerLaw;
import io.isoflop.fitter.fit.RunResult;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Approach 2 (IsoFLOP parabolas → N_opt = k·C^a) on final results, with the fitter's bootstrap over runs: what a
 * fit of these runs says about a and about N_opt at a budget, and how sure it is. The same resampling as the
 * fitter's report ({@link Bootstrap#resample}), done here in-process because a stage decision needs only Approach 2.
 *
 * @param fit Approach 2 on every run
 * @param resampled each resample's N_opt power law; resamples with fewer than two usable budgets are left out
 * @param resamples how many resamples were drawn
 */
public record FrontierBootstrap(Approach2Fit fit, List<PowerLaw> resampled, int resamples) {

    private static final Approach2 APPROACH_2 = new Approach2();

    public static FrontierBootstrap of(List<RunResult> runs, int resamples, long seed) {
        Approach2Fit fit = APPROACH_2.fit(runs);
        List<PowerLaw> laws = IntStream.range(0, resamples).parallel()
                .mapToObj(i -> APPROACH_2.fit(Bootstrap.resample(runs, seed, i)).nOpt())
                .filter(Objects::nonNull).toList();
        return new FrontierBootstrap(fit, laws, resamples);
    }

    public boolean fitted() {
        return fit.hasPowerLaws();
    }

    /** The exponent a of N_opt ∝ C^a with its 95% percentile interval over the resamples. */
    public Interval a() {
        return Interval.of(fitted() ? fit.nOpt().exponent() : Double.NaN,
                resampled.stream().mapToDouble(PowerLaw::exponent).toArray());
    }

    /** log10 N_opt at budget C with its interval. */
    public Interval log10OptimalParameters(double budgetFlops) {
        return Interval.of(fitted() ? Math.log10(fit.nOpt().valueAt(budgetFlops)) : Double.NaN,
                resampled.stream().mapToDouble(law -> Math.log10(law.valueAt(budgetFlops))).toArray());
    }

    /** Width of an interval; NaN when it has no bounds. */
    public static double width(Interval interval) {
        return interval.upper() - interval.lower();
    }
}
