package io.isoflop.fitter.bench;

import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach2Settings;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.ChinchillaSurface;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.KnownLaw;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.spark.SparkBootstrap;
import io.isoflop.fitter.spark.SparkSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;

/**
 * The Java side of {@code bench/bootstrap.sh} (test sources: a benchmark, not part of the fitter): the bootstrap
 * over runs on a local Spark, timed, with the intervals it gives against the known law.
 *
 * <pre>
 *   BootstrapBench [RESAMPLES [MASTER]]    default 1000 resamples on local[*]
 *   BootstrapBench starts-check N           no Spark: the first N resamples of the surface fitted twice, with the
 *                                           resample starts (full fit's optimum + 108 coarse starts) and with
 *                                           Epoch's 4,500 starts; prints how often they reach the same optimum
 * </pre>
 * Data: the 100-point 1%-noise Chinchilla surface of the Approach 3 tests, and the same law as an IsoFLOP sweep
 * (4 budgets from 1e18 to 1e21 FLOPs, 9 sizes each, 1% multiplicative noise) for Approach 2.
 */
public final class BootstrapBench {
    private static final KnownLaw TRUTH = ChinchillaSurface.LAW;
    private static final long SEED = 20240416L;

    private BootstrapBench() {}

    public static void main(String[] args) {
        if (args.length > 1 && args[0].equals("starts-check")) {
            startsCheck(Integer.parseInt(args[1]));
            return;
        }
        int resamples = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String master = args.length > 1 ? args[1] : "local[*]";
        long started = System.nanoTime();
        SparkSession spark = SparkSessions.start("isoflop-bootstrap-bench", master);
        System.out.printf(Locale.ROOT, "spark %s (%s, default parallelism %d) started in %.1f s%n", spark.version(),
                master, spark.sparkContext().defaultParallelism(), seconds(started));
        try {
            run("surface: 100 runs on a 10x10 (N, D) grid", ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT),
                    resamples, spark);
            run("isoflop: 36 runs, 4 budgets x 9 sizes", isoFlopSweep(), resamples, spark);
        } finally {
            spark.stop();
        }
    }

    private static void run(String name, List<RunResult> runs, int resamples, SparkSession spark) {
        System.out.println();
        System.out.println(name);
        long started = System.nanoTime();
        Approach2Fit approach2 = new Approach2().fit(runs);
        Approach3Fit full = new Approach3().fit(runs);
        System.out.printf(Locale.ROOT, "  full fits (Approach 2, Approach 3 with %d starts): %.1f s%n", full.starts(),
                seconds(started));
        started = System.nanoTime();
        BootstrapResult result = new SparkBootstrap(spark).run(runs, resamples, SEED, Approach2Settings.defaults(),
                Approach3Settings.defaults(), full.fitted() ? full.law().toLogParameters() : null);
        double took = seconds(started);
        System.out.printf(Locale.ROOT, "  bootstrap: %d resamples, %d Approach 3 starts each: %.1f s (%.1f ms per"
                        + " resample); Approach 3 fitted on %d, Approach 2 power laws on %d%n", resamples,
                result.approach3Starts(), took, 1000 * took / Math.max(1, resamples), result.approach3Fitted(),
                result.approach2Fitted());
        System.out.printf(Locale.ROOT, "  %-14s %10s %10s %10s %10s %10s %7s%n", "quantity", "truth", "estimate",
                "stderr", "2.5%", "97.5%", "inside");
        ParametricLaw truth = new ParametricLaw(TRUTH.e(), TRUTH.a(), TRUTH.b(), TRUTH.alpha(), TRUTH.beta());
        for (Map.Entry<String, Interval> entry : result.approach3Intervals(full.law()).entrySet()) {
            double value = BootstrapResult.APPROACH3_QUANTITIES.get(entry.getKey()).applyAsDouble(truth);
            print("approach3 " + entry.getKey(), value, entry.getValue());
        }
        if (approach2.hasPowerLaws()) {
            Map<String, Interval> intervals = result.approach2Intervals(approach2.nOpt(), approach2.dOpt());
            print("approach2 a", TRUTH.exponentA(), intervals.get("a"));
            print("approach2 b", TRUTH.exponentB(), intervals.get("b"));
        } else {
            System.out.println("  approach 2: no power law on this data (no IsoFLOP budgets)");
        }
    }

    private static void startsCheck(int resamples) {
        List<RunResult> runs = ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT);
        Approach3Fit full = new Approach3().fit(runs);
        Approach3 reduced = new Approach3(Approach3Settings.defaults().forResamples(full.law().toLogParameters()));
        Approach3 epoch = new Approach3(Approach3Settings.defaults());
        int same = 0;
        double worstExcess = 0;
        double worstA = 0;
        long reducedNanos = 0;
        long epochNanos = 0;
        for (int i = 0; i < resamples; i++) {
            List<RunResult> drawn = io.isoflop.fitter.fit.Bootstrap.resample(runs, SEED, i);
            long started = System.nanoTime();
            Approach3Fit few = reduced.fit(drawn);
            reducedNanos += System.nanoTime() - started;
            started = System.nanoTime();
            Approach3Fit many = epoch.fit(drawn);
            epochNanos += System.nanoTime() - started;
            double excess = few.objective() - many.objective();
            worstExcess = Math.max(worstExcess, excess);
            worstA = Math.max(worstA, Math.abs(few.law().exponentA() - many.law().exponentA()));
            if (excess <= 1e-6) {
                same++;
            }
        }
        System.out.printf(Locale.ROOT, "starts check on %d resamples of the surface: the %d resample starts reach"
                        + " Epoch's 4,500-start optimum (objective within 1e-6) on %d; largest objective excess %.3g,"
                        + " largest difference in a %.3g; time %.1f s vs %.1f s%n", resamples,
                Approach3Settings.defaults().forResamples(full.law().toLogParameters()).starts().size(), same,
                worstExcess, worstA, reducedNanos / 1e9, epochNanos / 1e9);
    }

    private static void print(String name, double truth, Interval interval) {
        System.out.printf(Locale.ROOT, "  %-14s %10.4g %10.4g %10.3g %10.4g %10.4g %7s%n", name, truth,
                interval.estimate(), interval.stdErr(), interval.lower(), interval.upper(),
                interval.contains(truth) ? "yes" : "NO");
    }

    private static List<RunResult> isoFlopSweep() {
        Random random = new Random(5);
        List<RunResult> runs = new ArrayList<>();
        for (double budget : new double[] {1e18, 1e19, 1e20, 1e21}) {
            for (RunResult run : TRUTH.grid(budget, 9, 0.15, 0.0, 0.0, random)) {
                double noisy = run.finalLoss() * (1 + ChinchillaSurface.ONE_PERCENT * random.nextGaussian());
                runs.add(new RunResult(run.runId(), budget, run.parameters(), run.tokens(), run.flops(), noisy));
            }
        }
        return runs;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
