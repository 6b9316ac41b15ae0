package io.isoflop.fitter;

import io.isoflop.fitter.fit.BudgetGrouping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fitter's command line: {@code (--metrics DIR | --table FILE) --out DIR [--master URL] [--strict]
 * [--bootstrap N] [--seed S] [--target-budgets C1,C2,…] [--inference-tokens T]}, and for a table, how its rows form
 * IsoFLOP budgets ({@link BudgetGrouping}): {@code [--budgets C1,C2,… | --group-budgets auto [--budget-gap G]]
 * [--budget-tolerance T]}.
 *
 * @param metricsDir a sweep's metrics: a directory, or {@code s3://bucket/prefix} on an object store; null when
 *     {@code table} is given
 * @param table a CSV or Parquet table of runs (N, D, loss[, C][, run_id]); null when {@code metricsDir} is given
 * @param out where the report goes: a directory, or {@code s3://bucket/prefix} (written locally, then stored)
 * @param master Spark master; null to keep one set by spark-submit ({@code spark.master}), else {@code local[*]}
 * @param strict exit with {@link FitterMain#EXIT_FIT_IMPOSSIBLE} when no power law could be fitted
 * @param options bootstrap resamples and seed, target budgets, inference tokens ({@link FitterOptions})
 * @param grouping how a table's rows form IsoFLOP budgets: {@code --budgets} declares them, {@code --group-budgets
 *     auto} clusters log10 C, else C to 3 significant digits; a sweep's runs carry their budget, so the options
 *     are refused with {@code --metrics}
 */
public record FitterArguments(String metricsDir, Path table, String out, String master, boolean strict,
        FitterOptions options, BudgetGrouping grouping) {

    public static final String USAGE = "usage: isoflop-fitter (--metrics <sweep>/metrics|s3://bucket/<sweep>/metrics | --table FILE.csv|FILE.parquet)"
            + " --out DIR|s3://bucket/<sweep>/fit [--master local[*]] [--strict] [--bootstrap N (default " + FitterOptions.DEFAULT_RESAMPLES
            + ", 0: none)] [--seed S] [--target-budgets C1,C2,... (FLOPs; default 10x, 100x, 1000x the largest"
            + " budget)] [--inference-tokens T] [--stages FILE|s3://... (an adaptive sweep stages.json, shown in the report)] [--budgets C1,C2,... (--table only: each row goes to the nearest"
            + " declared budget in log10 C) | --group-budgets auto|significant-digits (--table only: auto clusters"
            + " log10 C, split at gaps over --budget-gap decades, default " + BudgetGrouping.DEFAULT_GAP_DECADES
            + "; default: C to 3 significant digits)] [--budget-tolerance DECADES (how far a row may lie from its"
            + " budget, default " + BudgetGrouping.DEFAULT_TOLERANCE_DECADES + ")]";

    /** @throws IllegalArgumentException naming the problem; the caller adds {@link #USAGE} */
    public static FitterArguments parse(String... args) {
        String metrics = null;
        Path table = null;
        String out = null;
        String master = null;
        boolean strict = false;
        FitterOptions defaults = FitterOptions.defaults();
        int resamples = defaults.bootstrapResamples();
        long seed = defaults.bootstrapSeed();
        List<Double> targets = defaults.targetBudgets();
        Double inferenceTokens = defaults.inferenceTokens();
        List<Double> declaredBudgets = null;
        String groupBudgets = null;
        Double gap = null;
        Double tolerance = null;
        String stages = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--metrics" -> metrics = value(args, ++i, arg);
                case "--table" -> table = Path.of(value(args, ++i, arg));
                case "--out" -> out = value(args, ++i, arg);
                case "--master" -> master = value(args, ++i, arg);
                case "--strict" -> strict = true;
                case "--bootstrap" -> resamples = (int) wholeNumber(value(args, ++i, arg), arg, Integer.MAX_VALUE);
                case "--seed" -> seed = wholeNumber(value(args, ++i, arg), arg, Long.MAX_VALUE);
                case "--target-budgets" -> targets = budgets(value(args, ++i, arg), arg);
                case "--inference-tokens" -> inferenceTokens = number(value(args, ++i, arg), arg);
                case "--budgets" -> declaredBudgets = budgets(value(args, ++i, arg), arg);
                case "--group-budgets" -> groupBudgets = value(args, ++i, arg);
                case "--budget-gap" -> gap = decades(value(args, ++i, arg), arg);
                case "--budget-tolerance" -> tolerance = decades(value(args, ++i, arg), arg);
                case "--stages" -> stages = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (metrics != null && table != null) {
            throw new IllegalArgumentException("--metrics and --table exclude each other: give one input");
        }
        if (metrics == null && table == null) {
            throw new IllegalArgumentException("--metrics or --table is required");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        BudgetGrouping grouping = grouping(declaredBudgets, groupBudgets, gap, tolerance);
        if (metrics != null && !grouping.equals(BudgetGrouping.defaults())) {
            throw new IllegalArgumentException("--budgets, --group-budgets, --budget-gap and --budget-tolerance apply"
                    + " only to --table: a sweep's runs carry their budget");
        }
        return new FitterArguments(metrics, table, out, master, strict,
                new FitterOptions(resamples, seed, targets, inferenceTokens, stages), grouping);
    }

    /** The grouping the budget options ask for; the default one when none is given. */
    private static BudgetGrouping grouping(List<Double> declared, String mode, Double gap, Double tolerance) {
        double within = tolerance == null ? BudgetGrouping.DEFAULT_TOLERANCE_DECADES : tolerance;
        if (declared != null) {
            if (mode != null) {
                throw new IllegalArgumentException("--budgets and --group-budgets exclude each other: declare the"
                        + " budgets or group C, not both");
            }
            if (gap != null) {
                throw new IllegalArgumentException("--budget-gap applies only to --group-budgets auto");
            }
            try {
                return BudgetGrouping.declared(declared, within);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--budgets: " + e.getMessage());
            }
        }
        if (mode == null || mode.equals(BudgetGrouping.Method.SIGNIFICANT_DIGITS.id())) {
            if (gap != null) {
                throw new IllegalArgumentException("--budget-gap applies only to --group-budgets auto");
            }
            if (tolerance != null) {
                throw new IllegalArgumentException("--budget-tolerance applies only to --budgets or --group-budgets"
                        + " auto");
            }
            return BudgetGrouping.defaults();
        }
        if (mode.equals(BudgetGrouping.Method.CLUSTERS.id())) {
            return BudgetGrouping.clusters(gap == null ? BudgetGrouping.DEFAULT_GAP_DECADES : gap, within);
        }
        throw new IllegalArgumentException("--group-budgets must be " + BudgetGrouping.Method.CLUSTERS.id() + " or "
                + BudgetGrouping.Method.SIGNIFICANT_DIGITS.id() + ", got '" + mode + "'");
    }

    /** A positive, finite number of decades of C. */
    private static double decades(String text, String option) {
        double value = number(text, option);
        if (value == 0) {
            throw new IllegalArgumentException(option + " must be a positive number of decades, got '" + text + "'");
        }
        return value;
    }

    /** True when the input is a table of runs rather than a sweep's metrics directory. */
    public boolean readsTable() {
        return table != null;
    }

    public static boolean asksForHelp(String... args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    private static long wholeNumber(String text, String option, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value < 0 || value > max) {
                throw new IllegalArgumentException(option + " must be a whole number from 0 to " + max + ", got '"
                        + text + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + text + "'");
        }
    }

    /** A finite number ≥ 0; accepts 1e12 notation. */
    private static double number(String text, String option) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + text + "'");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(option + " must be a finite number ≥ 0, got '" + text + "'");
        }
        return value;
    }

    private static List<Double> budgets(String text, String option) {
        List<Double> budgets = new ArrayList<>();
        for (String item : text.split(",")) {
            double budget = number(item, option);
            if (budget <= 0) {
                throw new IllegalArgumentException(option + ": budgets must be positive FLOPs, got '" + item + "'");
            }
            budgets.add(budget);
        }
        return budgets;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
