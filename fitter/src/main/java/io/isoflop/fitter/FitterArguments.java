package io.isoflop.fitter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fitter's command line: {@code (--metrics DIR | --table FILE) --out DIR [--master URL] [--strict]
 * [--bootstrap N] [--seed S] [--target-budgets C1,C2,…] [--inference-tokens T]}.
 *
 * @param metricsDir a sweep's metrics: a directory, or {@code s3://bucket/prefix} on an object store; null when
 *     {@code table} is given
 * @param table a CSV or Parquet table of runs (N, D, loss[, C][, run_id]); null when {@code metricsDir} is given
 * @param out where the report goes: a directory, or {@code s3://bucket/prefix} (written locally, then stored)
 * @param master Spark master; null to keep one set by spark-submit ({@code spark.master}), else {@code local[*]}
 * @param strict exit with {@link FitterMain#EXIT_FIT_IMPOSSIBLE} when no power law could be fitted
 * @param options bootstrap resamples and seed, target budgets, inference tokens ({@link FitterOptions})
 */
public record FitterArguments(String metricsDir, Path table, String out, String master, boolean strict,
        FitterOptions options) {

    public static final String USAGE = "usage: isoflop-fitter (--metrics <sweep>/metrics|s3://bucket/<sweep>/metrics | --table FILE.csv|FILE.parquet)"
            + " --out DIR|s3://bucket/<sweep>/fit [--master local[*]] [--strict] [--bootstrap N (default " + FitterOptions.DEFAULT_RESAMPLES
            + ", 0: none)] [--seed S] [--target-budgets C1,C2,... (FLOPs; default 10x, 100x, 1000x the largest"
            + " budget)] [--inference-tokens T]";

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
        return new FitterArguments(metrics, table, out, master, strict,
                new FitterOptions(resamples, seed, targets, inferenceTokens));
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
