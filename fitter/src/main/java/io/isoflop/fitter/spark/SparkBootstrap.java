package io.isoflop.fitter.spark;

import io.isoflop.fitter.fit.Approach1Settings;
import io.isoflop.fitter.fit.Approach2Settings;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.Bootstrap;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.CurvePoint;
import io.isoflop.fitter.fit.ResampleEstimate;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.fit.TrainingCurve;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link Bootstrap} over runs on Spark's executors: the resample indices are parallelised, each task fits
 * its resamples (Approach 1 on the drawn runs' curves when there are any, Approach 2, and Approach 3 from {@link Approach3Settings#forResamples} of the full fit's
 * optimum), and the driver collects one {@link ResampleEstimate} per resample. A resample depends only on the seed
 * and its index, so the result does not depend on the number of executors or partitions.
 */
public final class SparkBootstrap {
    /** Partitions per core of parallelism: small tasks even out uneven resample costs. */
    private static final int PARTITIONS_PER_CORE = 4;

    private final SparkSession spark;

    public SparkBootstrap(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * @param optimum the full Approach 3 fit's {@code (logA, logB, logE, α, β)}, the first start of every resample;
     *     null when the full fit has none
     */
    public BootstrapResult run(List<RunResult> runs, int resamples, long seed, Approach2Settings approach2,
            Approach3Settings approach3, double[] optimum) {
        return run(runs, List.of(), resamples, seed, Approach1Settings.defaults(), approach2, approach3, optimum);
    }

    /**
     * With the runs' training curves, so that each resample also refits Approach 1 on the curves of its runs.
     *
     * @param optimum the full Approach 3 fit's {@code (logA, logB, logE, α, β)}; null when it has none
     */
    public BootstrapResult run(List<RunResult> runs, List<TrainingCurve> curves, int resamples, long seed,
            Approach1Settings approach1, Approach2Settings approach2, Approach3Settings approach3, double[] optimum) {
        Approach3Settings perResample = approach3.forResamples(optimum);
        if (resamples == 0) {
            return new BootstrapResult(0, seed, perResample.starts().size(), List.of());
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Math.max(1, Math.min(resamples, context.defaultParallelism() * PARTITIONS_PER_CORE));
        List<Integer> indices = IntStream.range(0, resamples).boxed().toList();
        ResampleTask task = new ResampleTask(runs, curves, seed, approach1, approach2, perResample);
        List<ResampleEstimate> estimates = context.parallelize(indices, partitions)
                .mapPartitions(task)
                .collect()
                .stream()
                .map(ResampleEstimate::fromArray)
                .toList();
        return new BootstrapResult(resamples, seed, perResample.starts().size(), estimates);
    }

    /**
     * What a task needs, in serialisable form: the runs and curves as columns ({@link RunResult} and
     * {@link TrainingCurve} are not serializable), the settings records as they are. Each partition rebuilds its
     * {@link Bootstrap} once.
     */
    private static final class ResampleTask implements FlatMapFunction<Iterator<Integer>, double[]>, Serializable {
        private static final long serialVersionUID = 1L;

        private final String[] runIds;
        private final double[] budgets;
        private final long[] parameters;
        private final long[] tokens;
        private final double[] flops;
        private final double[] losses;
        private final String[] curveIds;
        private final long[] curveParameters;
        private final double[][] curveFlops;
        private final long[][] curveTokens;
        private final double[][] curveLosses;
        private final long seed;
        private final Approach1Settings approach1;
        private final Approach2Settings approach2;
        private final Approach3Settings approach3;

        /** @param approach3 the settings of one resample ({@link Approach3Settings#forResamples}) */
        ResampleTask(List<RunResult> runs, List<TrainingCurve> curves, long seed, Approach1Settings approach1,
                Approach2Settings approach2, Approach3Settings approach3) {
            int n = runs.size();
            runIds = new String[n];
            budgets = new double[n];
            parameters = new long[n];
            tokens = new long[n];
            flops = new double[n];
            losses = new double[n];
            for (int i = 0; i < n; i++) {
                RunResult run = runs.get(i);
                runIds[i] = run.runId();
                budgets[i] = run.budgetFlops();
                parameters[i] = run.parameters();
                tokens[i] = run.tokens();
                flops[i] = run.flops();
                losses[i] = run.finalLoss();
            }
            int c = curves.size();
            curveIds = new String[c];
            curveParameters = new long[c];
            curveFlops = new double[c][];
            curveTokens = new long[c][];
            curveLosses = new double[c][];
            for (int i = 0; i < c; i++) {
                TrainingCurve curve = curves.get(i);
                curveIds[i] = curve.runId();
                curveParameters[i] = curve.parameters();
                curveFlops[i] = curve.points().stream().mapToDouble(CurvePoint::flops).toArray();
                curveTokens[i] = curve.points().stream().mapToLong(CurvePoint::tokens).toArray();
                curveLosses[i] = curve.points().stream().mapToDouble(CurvePoint::loss).toArray();
            }
            this.seed = seed;
            this.approach1 = approach1;
            this.approach2 = approach2;
            this.approach3 = approach3;
        }

        @Override
        public Iterator<double[]> call(Iterator<Integer> indices) {
            List<RunResult> runs = new ArrayList<>(runIds.length);
            for (int i = 0; i < runIds.length; i++) {
                runs.add(new RunResult(runIds[i], budgets[i], parameters[i], tokens[i], flops[i], losses[i]));
            }
            List<TrainingCurve> curves = new ArrayList<>(curveIds.length);
            for (int i = 0; i < curveIds.length; i++) {
                List<CurvePoint> points = new ArrayList<>(curveFlops[i].length);
                for (int j = 0; j < curveFlops[i].length; j++) {
                    points.add(new CurvePoint(curveFlops[i][j], curveTokens[i][j], curveLosses[i][j]));
                }
                curves.add(new TrainingCurve(curveIds[i], curveParameters[i], points));
            }
            Bootstrap bootstrap = new Bootstrap(runs, curves, seed, approach1, approach2, approach3);
            List<double[]> estimates = new ArrayList<>();
            indices.forEachRemaining(index -> estimates.add(bootstrap.fit(index).toArray()));
            return estimates.iterator();
        }
    }
}
