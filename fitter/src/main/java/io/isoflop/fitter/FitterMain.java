package io.isoflop.fitter;

import io.isoflop.contracts.ObjectStore;
import io.isoflop.fitter.spark.ReportUpload;
import java.io.IOException;
import io.isoflop.fitter.fit.Approach1Fit;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.HoldOut;
import io.isoflop.fitter.fit.InferenceForecast;
import io.isoflop.fitter.fit.InferenceOptimum;
import io.isoflop.fitter.fit.KaplanFit;
import io.isoflop.fitter.fit.KaplanLaw;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.PowerLaw;
import io.isoflop.fitter.fit.Projection;
import io.isoflop.fitter.report.ReportInput;
import io.isoflop.fitter.spark.MetricsException;
import io.isoflop.fitter.spark.SparkSessions;
import io.isoflop.fitter.spark.TableException;
import io.isoflop.fitter.spark.TableReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The fitter's entry point: {@code (--metrics <sweep>/metrics | --table FILE) --out DIR [--master local[*]]
 * [--strict] [--bootstrap N] [--seed S] [--target-budgets C1,C2,...] [--inference-tokens T]}, and for a table
 * {@code [--budgets C1,C2,... | --group-budgets auto [--budget-gap G]] [--budget-tolerance T]} (see
 * {@link FitterArguments} and {@link FitterOptions}). {@code --table} fits a CSV or Parquet table of runs (N, D, loss[, C][, run_id]), e.g. external or
 * published runs, instead of a sweep's metrics (see {@link TableReader}). Starts a SparkSession (no UI, 4 shuffle
 * partitions), runs {@link FitterJob} and prints a short summary.
 *
 * <p>Exit codes:
 * <ul>
 *   <li>{@value #EXIT_OK}: the report was written. This includes a sweep with fewer than two usable budgets:
 *       frontier.json, the CSV, plots and report.html are still written, with {@code powerLaws: null} and a
 *       diagnostic, and a WARNING is printed. A sweep in progress is a normal state, not a failure; consumers
 *       read {@code powerLaws} from the JSON.</li>
 *   <li>{@value #EXIT_UNEXPECTED}: an unexpected failure (I/O, Spark).</li>
 *   <li>{@value #EXIT_BAD_INPUT}: bad arguments, or nothing to fit (no metrics directory, no metric files, no
 *       finished run, mixed FLOP conventions; a table that is missing, not .csv or .parquet, lacks a column or holds a
 *       bad value, or a row farther from its budget than {@code --budgets} or {@code --group-budgets auto} allow);
 *       the message names the path, and for a bad value or a row too far from its budget the row.</li>
 *   <li>{@value #EXIT_FIT_IMPOSSIBLE}: only with {@code --strict}: the report was written but no power law could
 *       be fitted.</li>
 * </ul>
 */
public final class FitterMain {
    public static final int EXIT_OK = 0;
    public static final int EXIT_UNEXPECTED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_FIT_IMPOSSIBLE = 3;

    private FitterMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Everything {@link #main} does except exiting; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        if (FitterArguments.asksForHelp(args)) {
            out.println(FitterArguments.USAGE);
            return EXIT_OK;
        }
        FitterArguments arguments;
        try {
            arguments = FitterArguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("isoflop-fitter: " + e.getMessage());
            err.println(FitterArguments.USAGE);
            return EXIT_BAD_INPUT;
        }
        // fail before paying for a SparkSession
        if (arguments.readsTable()) {
            try {
                TableReader.check(arguments.table());
            } catch (TableException e) {
                err.println("isoflop-fitter: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
        } else if (!ObjectStore.isObjectStore(arguments.metricsDir()) && !Files.isDirectory(Path.of(arguments.metricsDir()))) {
            err.println("isoflop-fitter: metrics directory " + arguments.metricsDir() + " does not exist");
            return EXIT_BAD_INPUT;
        }
        ObjectStore.Location storedOut;
        Path outDir;
        try {
            storedOut = ObjectStore.isObjectStore(arguments.out()) ? ObjectStore.parse(arguments.out()) : null;
            outDir = storedOut != null ? Files.createTempDirectory("isoflop-fit-") : Path.of(arguments.out());
        } catch (IllegalArgumentException | IOException e) {
            err.println("isoflop-fitter: --out: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        SparkSession spark = SparkSessions.start("isoflop-fitter", arguments.master(),
                ObjectStore.Settings.fromEnvironment());
        try {
            FitterJob job = new FitterJob(spark, arguments.options());
            FitterJob.Outcome outcome = arguments.readsTable()
                    ? job.runTable(arguments.table(), arguments.grouping(), outDir)
                    : job.run(arguments.metricsDir(), outDir);
            printSummary(outcome, arguments.readsTable(), out);
            out.println("  time: " + outcome.times());
            if (storedOut != null) {
                ReportUpload.store(spark, outDir, storedOut);
                out.println("stored the report under " + storedOut.uri());
            }
            if (!outcome.report().fit().hasPowerLaws()) {
                err.println("WARNING: no power law fitted (fewer than 2 usable budgets); see diagnostics in "
                        + outcome.files().frontierJson());
                return arguments.strict() ? EXIT_FIT_IMPOSSIBLE : EXIT_OK;
            }
            return EXIT_OK;
        } catch (MetricsException | TableException e) {
            err.println("isoflop-fitter: " + e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (Exception e) {
            err.println("isoflop-fitter: failed: " + e);
            e.printStackTrace(err);
            return EXIT_UNEXPECTED;
        } finally {
            spark.stop();
        }
    }

    private static void printSummary(FitterJob.Outcome outcome, boolean table, PrintStream out) {
        Approach2Fit fit = outcome.report().fit();
        out.printf(Locale.ROOT, "%s %s, FLOP convention %s, %d budgets%n", table ? "table" : "sweep",
                outcome.report().sweep(), outcome.report().flopConvention(), fit.budgets().size());
        if (fit.hasPowerLaws()) {
            out.println("  N_opt ∝ C^a: " + exponent("a", fit.nOpt()));
            out.println("  D_opt ∝ C^b: " + exponent("b", fit.dOpt()));
        }
        Approach1Fit envelope = outcome.report().approach1();
        if (envelope.hasPowerLaws()) {
            out.printf(Locale.ROOT, "  approach 1 (envelope of %d training curves): a = %.4f, b = %.4f over %d compute"
                    + " values%n", envelope.curves(), envelope.nOpt().exponent(), envelope.dOpt().exponent(),
                    envelope.usedPoints().size());
        } else {
            out.println("  approach 1 not fitted: " + envelope.reason());
        }
        Approach3Fit parametric = outcome.report().approach3();
        if (parametric.fitted()) {
            ParametricLaw law = parametric.law();
            out.printf(Locale.ROOT, "  approach 3: E=%.4f A=%.4g B=%.4g alpha=%.4f beta=%.4f, a=%.4f b=%.4f"
                            + " (%d runs, %d/%d starts at the best)%n", law.e(), law.a(), law.b(), law.alpha(),
                    law.beta(), law.exponentA(), law.exponentB(), parametric.runsUsed(), parametric.startsNearBest(),
                    parametric.starts());
        } else {
            out.println("  approach 3 not fitted: " + parametric.reason());
        }
        printKaplan(outcome.report().kaplan(), out);
        printForecasts(outcome.report(), out);
        for (BudgetProfile budget : fit.budgets()) {
            String vertex = budget.vertex() == null ? "no vertex" : String.format(Locale.ROOT,
                    "N_opt %.4g, D_opt %.4g, loss %.4f", budget.vertex().parameters(), budget.vertex().tokens(),
                    budget.vertex().loss());
            out.printf(Locale.ROOT, "  C=%.3g: %s, %d/%d points kept%s%n", budget.budgetFlops(), vertex,
                    budget.keptPoints().size(), budget.points().size(),
                    budget.usedInPowerLaw() ? "" : " (not used: " + budget.reason() + ")");
        }
        var files = outcome.files();
        out.println("wrote " + files.frontierJson() + ", " + files.frontierCsv() + ", " + files.isoflopPng() + ", "
                + files.frontierPng() + ", " + files.contourPng() + ", " + files.residualsPng() + ", "
                + files.reportHtml());
    }

    /** One line: each law's exponent with its interval, or why it was not fitted, and Kaplan's published values. */
    private static void printKaplan(KaplanFit kaplan, PrintStream out) {
        List<String> laws = new ArrayList<>();
        for (KaplanLaw law : kaplan.laws()) {
            String name = "alpha_" + law.variable().symbol();
            if (!law.fitted()) {
                laws.add(name + " not fitted");
                continue;
            }
            Interval interval = law.exponentInterval();
            laws.add(String.format(Locale.ROOT, "%s = %.4f%s", name, law.exponent(),
                    interval == null || !Double.isFinite(interval.lower()) ? ""
                            : String.format(Locale.ROOT, " [%.4f, %.4f]", interval.lower(), interval.upper())));
        }
        out.println("  kaplan: " + String.join(", ", laws) + " (Kaplan et al. 2020: 0.076, 0.095, 0.050)");
    }

    private static void printForecasts(ReportInput report, PrintStream out) {
        BootstrapResult bootstrap = report.bootstrap();
        if (bootstrap != null && report.approach3().hasOptimalAllocation()) {
            Interval a = bootstrap.approach3(report.approach3().law(), ParametricLaw::exponentA);
            out.printf(Locale.ROOT, "  bootstrap (%d resamples): approach 3 a = %.4f ± %.4f, 95%% [%.4f, %.4f]%n",
                    bootstrap.resamples(), a.estimate(), a.stdErr(), a.lower(), a.upper());
        }
        HoldOut holdOut = report.forecasts().holdOut();
        out.println("  held-out check: " + (holdOut.checked() ? FitterJob.describeHoldOut(holdOut)
                : "not made: " + holdOut.reason()));
        for (Projection target : report.forecasts().projections()) {
            out.printf(Locale.ROOT, "  target C=%.3g: N_opt %.4g [%.4g, %.4g], D_opt %.4g, %.1f tokens/param, loss"
                            + " %.4f [%.4f, %.4f]%n", target.budgetFlops(), target.parameters().estimate(),
                    target.parameters().lower(), target.parameters().upper(), target.tokens().estimate(),
                    target.tokensPerParameter().estimate(), target.loss().estimate(), target.loss().lower(),
                    target.loss().upper());
        }
        for (InferenceForecast inference : report.forecasts().inference()) {
            InferenceOptimum o = inference.estimate();
            if (o != null) {
                out.printf(Locale.ROOT, "  inference-aware at C=%.3g with %.3g inference tokens: N %.4g, D %.4g,"
                                + " total %.4g FLOPs (compute-optimal model: %.4g)%n", inference.budgetFlops(),
                        o.inferenceTokens(), o.parameters(), o.tokens(), o.totalFlops(), o.computeOptimalTotalFlops());
            }
        }
    }

    private static String exponent(String symbol, PowerLaw law) {
        String stderr = Double.isFinite(law.exponentStdErr())
                ? String.format(Locale.ROOT, " ± %.4f", law.exponentStdErr())
                : " (no stderr)";
        return String.format(Locale.ROOT, "%s = %.4f%s (R² %.4f, %d budgets)", symbol, law.exponent(), stderr, law.r2(),
                law.points());
    }
}
