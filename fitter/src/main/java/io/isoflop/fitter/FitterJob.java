package io.isoflop.fitter;

import io.isoflop.fitter.fit.Approach1;
import io.isoflop.fitter.fit.Approach1Fit;
import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.BudgetGrouping;
import io.isoflop.fitter.fit.DataConstrained;
import io.isoflop.fitter.fit.DataConstrainedFit;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.Forecaster;
import io.isoflop.fitter.fit.Forecasts;
import io.isoflop.fitter.fit.HoldOut;
import io.isoflop.fitter.fit.KaplanFit;
import io.isoflop.fitter.fit.KaplanLaws;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.fitter.report.AdaptiveStage;
import io.isoflop.fitter.report.ReportFiles;
import io.isoflop.fitter.report.ReportInput;
import io.isoflop.fitter.report.ReportWriter;
import io.isoflop.fitter.spark.SparkBootstrap;
import io.isoflop.fitter.spark.MetricsException;
import io.isoflop.fitter.spark.MetricFiles;
import io.isoflop.fitter.spark.MetricsReader;
import io.isoflop.fitter.spark.SweepMetrics;
import io.isoflop.fitter.spark.TableException;
import io.isoflop.fitter.spark.TableReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/** Read → fit → write, on a SparkSession the caller owns: the whole fitter minus argument parsing and exit codes. */
public final class FitterJob {
    private final SparkSession spark;
    private final MetricsReader reader;
    private final TableReader tableReader;
    private final Approach1 approach1;
    private final Approach2 approach2;
    private final Approach3 approach3;
    private final ReportWriter writer;
    private final SparkBootstrap bootstrap;
    private final Clock clock;
    private final FitterOptions options;

    public FitterJob(SparkSession spark, Approach2 approach2, Approach3 approach3, Clock clock,
            FitterOptions options) {
        this.spark = spark;
        this.reader = new MetricsReader();
        this.tableReader = new TableReader(spark);
        this.approach1 = new Approach1();
        this.approach2 = approach2;
        this.approach3 = approach3;
        this.writer = new ReportWriter();
        this.bootstrap = new SparkBootstrap(spark);
        this.clock = clock;
        this.options = options;
    }

    public FitterJob(SparkSession spark, FitterOptions options) {
        this(spark, new Approach2(), new Approach3(), Clock.systemUTC(), options);
    }

    public FitterJob(SparkSession spark) {
        this(spark, FitterOptions.defaults());
    }

    /**
     * Fits the finished runs under {@code metricsDir} with Approaches 1 (their training curves), 2 and 3 and Kaplan's
     * one-variable laws, and writes the report into
     * {@code outDir}, also when no power law or no parametric law could be fitted (the report then says why).
     *
     * @throws MetricsException when there is nothing to fit: no directory, no metric files, no finished run
     */
    public Outcome run(Path metricsDir, Path outDir) throws MetricsException, IOException {
        return run(metricsDir.toString(), outDir);
    }

    /** Like {@link #run(Path, Path)}, for metrics in a directory or under {@code s3://bucket/prefix}. */
    public Outcome run(String metricsLocation, Path outDir) throws MetricsException, IOException {
        StageTimes times = new StageTimes();
        long start = System.nanoTime();
        MetricFiles files = MetricFiles.find(spark, metricsLocation);
        SweepMetrics metrics = reader.read(files);
        times.add(String.format(Locale.ROOT, "read (%d files, %d rows)", files.files(), files.rows()), start);
        Approach1Fit envelope = times.time("approach 1", () -> approach1.fit(metrics.curves()));
        return fitAndWrite(metrics, envelope, outDir, times);
    }

    /**
     * Like {@link #run}, over a CSV or Parquet table of runs ({@link TableReader}) instead of a sweep's metrics.
     *
     * @throws TableException when the table cannot be read as runs: wrong kind, missing column, bad value
     */
    public Outcome runTable(Path table, Path outDir) throws TableException, IOException {
        return runTable(table, BudgetGrouping.defaults(), outDir);
    }

    /**
     * Like {@link #runTable(Path, Path)}, the table's rows grouped into IsoFLOP budgets by {@code grouping}.
     *
     * @throws TableException also when a row lies farther from its budget than the grouping allows (naming it)
     */
    public Outcome runTable(Path table, BudgetGrouping grouping, Path outDir) throws TableException, IOException {
        StageTimes times = new StageTimes();
        long start = System.nanoTime();
        SweepMetrics metrics = tableReader.read(table, grouping);
        times.add("read", start);
        return fitAndWrite(metrics, approach1.notFitted("a table holds final losses only, no training curves"), outDir,
                times);
    }

    private Outcome fitAndWrite(SweepMetrics metrics, Approach1Fit envelope, Path outDir, StageTimes times)
            throws IOException {
        Approach2Fit fit = times.time("approach 2", () -> approach2.fit(metrics.runs()));
        Approach3Fit parametric = times.time("approach 3", () -> approach3.fit(metrics.runs()));
        DataConstrainedFit constrained = times.time("data-constrained",
                () -> new DataConstrained().fit(metrics.runs(), parametric));
        KaplanFit kaplan = times.time("kaplan", () -> new KaplanLaws(approach1.settings(),
                options.bootstrapResamples(), options.bootstrapSeed()).fit(metrics.runs(), metrics.curves(), envelope));
        List<String> diagnostics = new ArrayList<>(metrics.notes());
        diagnostics.addAll(envelope.diagnostics());
        diagnostics.addAll(fit.diagnostics());
        diagnostics.addAll(parametric.diagnostics());
        diagnostics.addAll(kaplan.diagnostics());
        describe(constrained, diagnostics);
        BootstrapResult resamples = null;
        if (options.bootstrapResamples() > 0) {
            long start = System.nanoTime();
            resamples = bootstrap.run(metrics.runs(), metrics.curves(), options.bootstrapResamples(), options.bootstrapSeed(),
                    approach1.settings(), approach2.settings(), approach3.settings(),
                    parametric.fitted() ? parametric.law().toLogParameters() : null);
            times.add("bootstrap", start);
            describe(resamples, diagnostics);
        }
        long forecastStart = System.nanoTime();
        Forecasts forecasts = new Forecaster(approach2, approach3).forecast(metrics.runs(), fit, parametric, resamples,
                options.targetBudgets(), options.inferenceTokens());
        describe(forecasts.holdOut(), diagnostics);
        times.add("forecasts", forecastStart);
        ReportInput input = new ReportInput(metrics.sweep(), metrics.flopConvention(), envelope, fit, parametric,
                kaplan, resamples, forecasts, diagnostics, clock.instant(), constrained, stages(diagnostics));
        long reportStart = System.nanoTime();
        ReportFiles files = writer.write(input, outDir);
        times.add("report", reportStart);
        return new Outcome(input, files, times);
    }

    /**
     * The adaptive sweep's stages ({@link FitterOptions#stages()}, a path or {@code s3://} URI); none without one.
     * They only explain the report, so a file that cannot be read is said in the diagnostics, not fatal.
     */
    private List<AdaptiveStage> stages(List<String> diagnostics) {
        String location = options.stages();
        if (location == null) {
            return List.of();
        }
        try {
            String uri = ObjectStore.isObjectStore(location) ? ObjectStore.parse(location).hadoopUri()
                    : Path.of(location).toAbsolutePath().toUri().toString();
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(path)) {
                return AdaptiveStage.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), location);
            }
        } catch (IOException | RuntimeException e) {
            diagnostics.add("the adaptive sweep's stages are not shown: cannot read " + location + ": "
                    + e.getMessage());
            return List.of();
        }
    }

    /** Whether the runs repeat data, and which law describes them. */
    static void describe(DataConstrainedFit constrained, List<String> diagnostics) {
        diagnostics.addAll(constrained.diagnostics());
        if (!constrained.repetitionPresent()) {
            diagnostics.add("no run repeats data (each saw at most one epoch of its unique tokens): Approach 3's"
                    + " Chinchilla form describes the runs");
        } else if (!constrained.fitted()) {
            diagnostics.add(String.format(Locale.ROOT, "%d run(s) repeat data (up to %.1f epochs), but the"
                    + " data-constrained law was not fitted: %s; Approach 3 treats repeated tokens as fresh and is"
                    + " biased", constrained.repeatingRuns(), constrained.maxEpochs(), constrained.reason()));
        } else {
            ParametricLaw law = constrained.law();
            diagnostics.add(String.format(Locale.ROOT, "%d run(s) repeat data (up to %.1f epochs): the"
                    + " data-constrained law (Muennighoff et al. 2023) describes them: E %.4g, A %.4g, B %.4g, alpha"
                    + " %.4f, beta %.4f, R*_D %.3g, R*_N %s (Huber objective %.4g against Approach 3's %.4g)",
                    constrained.repeatingRuns(), constrained.maxEpochs(), law.e(), law.a(), law.b(), law.alpha(),
                    law.beta(), constrained.rStarD(), Double.isFinite(constrained.rStarN())
                            ? String.format(Locale.ROOT, "%.3g", constrained.rStarN()) : "not identifiable",
                    constrained.objective(), constrained.plainObjective()));
        }
    }

    private static void describe(HoldOut holdOut, List<String> diagnostics) {
        if (!holdOut.checked()) {
            diagnostics.add("held-out check not made: " + holdOut.reason());
            return;
        }
        diagnostics.add("held-out check: " + describeHoldOut(holdOut));
    }

    /** The held-out check in one line; a prediction the smaller budgets cannot make is said so, not printed as NaN. */
    static String describeHoldOut(HoldOut holdOut) {
        String approach3 = Double.isFinite(holdOut.approach3Loss())
                ? String.format(Locale.ROOT, "Approach 3 predicts loss %.4f (error %+.4f nats), N_opt %.4g (%+.3f"
                        + " decades)", holdOut.approach3Loss(), holdOut.approach3LossError(),
                        holdOut.approach3Parameters(), holdOut.approach3ParametersErrorDecades())
                : "Approach 3 gives no prediction from the smaller budgets";
        String approach2 = Double.isFinite(holdOut.approach2Parameters())
                ? String.format(Locale.ROOT, "Approach 2 predicts N_opt %.4g (%+.3f decades)",
                        holdOut.approach2Parameters(), holdOut.approach2ParametersErrorDecades())
                : "Approach 2 gives no prediction (fewer than 2 usable smaller budgets)";
        return String.format(Locale.ROOT, "fitted without the largest budget (%.3g FLOPs, %d runs), observed best"
                        + " loss %.4f at N = %.4g (%s); %s; %s", holdOut.budgetFlops(), holdOut.runsHeldOut(),
                holdOut.observedLoss(), holdOut.observedParameters(), holdOut.observedFrom(), approach3, approach2);
    }

    private static void describe(BootstrapResult resamples, List<String> diagnostics) {
        long withoutPowerLaws = resamples.resamples() - resamples.approach2Fitted();
        if (withoutPowerLaws > 0) {
            diagnostics.add(String.format(Locale.ROOT, "bootstrap: %d of %d resamples gave no Approach 2 power law"
                    + " (fewer than 2 usable budgets) and are left out of its intervals", withoutPowerLaws,
                    resamples.resamples()));
        }
        long withoutLaw = resamples.resamples() - resamples.approach3Fitted();
        if (withoutLaw > 0) {
            diagnostics.add(String.format(Locale.ROOT, "bootstrap: %d of %d resamples gave no Approach 3 law and are"
                    + " left out of its intervals", withoutLaw, resamples.resamples()));
        }
    }

    /** What was fitted and where it was written. */
    public record Outcome(ReportInput report, ReportFiles files, StageTimes times) {}
}
