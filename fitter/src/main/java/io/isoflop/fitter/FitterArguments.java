package io.isoflop.fitter;

import java.nio.file.Path;

/**
 * The fitter's command line: {@code (--metrics DIR | --table FILE) --out DIR [--master URL] [--strict]}.
 *
 * @param metricsDir a sweep's metrics directory; null when {@code table} is given
 * @param table a CSV or Parquet table of runs (N, D, loss[, C][, run_id]); null when {@code metricsDir} is given
 * @param master Spark master; null to keep one set by spark-submit ({@code spark.master}), else {@code local[*]}
 * @param strict exit with {@link FitterMain#EXIT_FIT_IMPOSSIBLE} when no power law could be fitted
 */
public record FitterArguments(Path metricsDir, Path table, Path outDir, String master, boolean strict) {

    public static final String USAGE = "usage: isoflop-fitter (--metrics <sweep>/metrics | --table FILE.csv|FILE.parquet)"
            + " --out DIR [--master local[*]] [--strict]";

    /** @throws IllegalArgumentException naming the problem; the caller adds {@link #USAGE} */
    public static FitterArguments parse(String... args) {
        Path metrics = null;
        Path table = null;
        Path out = null;
        String master = null;
        boolean strict = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--metrics" -> metrics = Path.of(value(args, ++i, arg));
                case "--table" -> table = Path.of(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--master" -> master = value(args, ++i, arg);
                case "--strict" -> strict = true;
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
        return new FitterArguments(metrics, table, out, master, strict);
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

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
