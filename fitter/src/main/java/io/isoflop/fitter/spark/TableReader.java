package io.isoflop.fitter.spark;

import io.isoflop.fitter.fit.BudgetGroup;
import io.isoflop.fitter.fit.BudgetGrouping;
import io.isoflop.fitter.fit.BudgetGroups;
import io.isoflop.fitter.fit.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a plain table of finished runs, such as external or published runs, and returns the same
 * {@link RunResult}s as {@link MetricsReader}: one per data row.
 *
 * <p>The file is CSV (with a header line) or Parquet, chosen by its extension ({@code .csv}, {@code .parquet}).
 * Columns, matched case-insensitively: {@value #PARAMETERS} (parameters), {@value #TOKENS} (training tokens),
 * {@value #LOSS}, and optionally {@value #COMPUTE} (training compute in FLOPs), {@value #RUN_ID} and
 * {@value #UNIQUE_TOKENS} (U_D, the unique tokens the run repeated, for the data-constrained law); other columns
 * are ignored. N, D, loss and C must be positive finite numbers in every row; N and D are rounded to whole numbers.
 * A row that repeats an earlier one (same N, D, C and loss) is left out, and a declared C off 6·N·D by a factor
 * of 2 or more is noted; both are said in the notes.
 *
 * <p>FLOP convention: with a C column, the table's own ({@value #DECLARED_CONVENTION}); without one, C = 6·N·D per
 * row ({@value #DERIVED_CONVENTION}). Either way rows are grouped into IsoFLOP budgets by a {@link BudgetGrouping}:
 * by default C rounded to {@value #BUDGET_SIGNIFICANT_DIGITS} significant digits, so that published IsoFLOP data,
 * which lists C, forms budgets for Approach 2; for a continuous C (read off a figure, runs at slightly different
 * FLOPs), the nearest of declared budgets or clusters of log10 C. Each budget is listed in the notes (its C, its
 * rows, the range of their C), and a row too far from its budget is an error that names it. A row's run id is its
 * {@value #RUN_ID} value, else {@code row-<n>} (n the 1-based data row).
 */
public final class TableReader {
    public static final String PARAMETERS = "N";
    public static final String TOKENS = "D";
    public static final String LOSS = "loss";
    public static final String COMPUTE = "C";
    public static final String RUN_ID = "run_id";
    /** U_D: the unique tokens a run's D were drawn from (optional; D when absent: no run repeats data). */
    public static final String UNIQUE_TOKENS = "unique_tokens";
    public static final String DECLARED_CONVENTION = "declared by the table";
    public static final String DERIVED_CONVENTION = "6N (derived)";
    public static final int BUDGET_SIGNIFICANT_DIGITS = BudgetGrouping.DEFAULT_SIGNIFICANT_DIGITS;
    /** Budgets listed one per line in the notes; more are counted. */
    static final int GROUPS_LISTED = 30;

    /**
     * How far a declared C may stray from 6·N·D before it is noted: conventions that count attention or the
     * embeddings differ by tens of percent at small sizes; a factor of 2 or more is a mistake more often than not.
     */
    static final double MAX_C_OVER_6ND = 2.0;

    private static final List<String> REQUIRED = List.of(PARAMETERS, TOKENS, LOSS);

    /** The kinds of table, by file extension. */
    public enum Kind {
        CSV(".csv"), PARQUET(".parquet");

        private final String extension;

        Kind(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }

        /** @throws TableException naming the file and the accepted extensions */
        public static Kind of(Path table) throws TableException {
            String name = table.getFileName() == null ? "" : table.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Kind kind : values()) {
                if (name.endsWith(kind.extension)) {
                    return kind;
                }
            }
            throw new TableException("table " + table + " is neither CSV nor Parquet: its name must end in "
                    + CSV.extension + " or " + PARQUET.extension);
        }
    }

    private final SparkSession spark;

    public TableReader(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * Checks what can be checked without Spark: the table exists and its extension names a known kind.
     *
     * @throws TableException naming the file
     */
    public static Kind check(Path table) throws TableException {
        Kind kind = Kind.of(table);
        if (!Files.exists(table)) {
            throw new TableException("table " + table + " does not exist");
        }
        return kind;
    }

    /**
     * Reads {@code table}, its rows grouped into budgets by C to {@value #BUDGET_SIGNIFICANT_DIGITS} significant
     * digits.
     */
    public SweepMetrics read(Path table) throws TableException {
        return read(table, BudgetGrouping.defaults());
    }

    /**
     * Reads {@code table}, grouping its rows into budgets by {@code grouping}.
     *
     * @throws TableException when the table cannot be read as runs, or a row lies farther from its budget than the
     *     grouping allows (naming the row)
     */
    public SweepMetrics read(Path table, BudgetGrouping grouping) throws TableException {
        Kind kind = check(table);
        String uri = table.toAbsolutePath().toUri().toString();
        Dataset<Row> rows = switch (kind) {
            case CSV -> spark.read()
                    .option("header", "true")
                    .option("inferSchema", "false") // strings, so that a bad value is reported with its row
                    .option("ignoreLeadingWhiteSpace", "true")
                    .option("ignoreTrailingWhiteSpace", "true")
                    .csv(uri);
            case PARQUET -> spark.read().parquet(uri);
        };
        // a table of runs is small; collecting keeps the file's row order
        return runs(table, rows.columns(), rows.collectAsList(), grouping);
    }

    /** The runs of a table's rows, collected: everything {@link #read} does after Spark has read the file. */
    static SweepMetrics runs(Path table, String[] found, List<Row> data, BudgetGrouping grouping)
            throws TableException {
        Map<String, Integer> columns = locateColumns(table, found);
        if (data.isEmpty()) {
            throw new TableException("table " + table + " has no data rows");
        }

        boolean declared = columns.containsKey(COMPUTE);
        List<TableRow> kept = new ArrayList<>(data.size());
        Map<String, Integer> rowOfRunId = new HashMap<>();
        Map<List<Double>, Integer> rowOfRun = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        List<String> offSixND = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Row row = data.get(i);
            int rowNumber = i + 1;
            long parameters = count(table, row, rowNumber, columns, PARAMETERS);
            long tokens = count(table, row, rowNumber, columns, TOKENS);
            double loss = positive(table, row, rowNumber, columns, LOSS);
            double flops = declared ? positive(table, row, rowNumber, columns, COMPUTE) : 6.0 * parameters * tokens;
            String runId = runId(row, rowNumber, columns);
            Integer earlier = rowOfRunId.putIfAbsent(runId, rowNumber);
            if (earlier != null) {
                throw new TableException("table " + table + ", row " + rowNumber + ": run_id '" + runId
                        + "' repeats row " + earlier);
            }
            Integer same = rowOfRun.putIfAbsent(List.of((double) parameters, (double) tokens, flops, loss), rowNumber);
            if (same != null) { // the same run listed twice would count twice in every fit
                duplicates.add("row " + rowNumber + " repeats row " + same);
                continue;
            }
            double ratio = flops / (6.0 * parameters * tokens);
            if (declared && (ratio > MAX_C_OVER_6ND || ratio < 1 / MAX_C_OVER_6ND)) {
                offSixND.add(String.format(Locale.ROOT, "row %d (C = %.3g, 6·N·D = %.3g)", rowNumber, flops,
                        6.0 * parameters * tokens));
            }
            long unique = columns.containsKey(UNIQUE_TOKENS) ? count(table, row, rowNumber, columns, UNIQUE_TOKENS)
                    : tokens;
            kept.add(new TableRow(rowNumber, runId, parameters, tokens, flops, loss, columns.containsKey(RUN_ID),
                    unique));
        }

        BudgetGroups groups;
        try {
            groups = grouping.group(kept.stream().map(TableRow::flops).toList(),
                    kept.stream().map(TableRow::name).toList());
        } catch (IllegalArgumentException e) {
            throw new TableException("table " + table + ": " + e.getMessage());
        }
        List<RunResult> runs = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            TableRow row = kept.get(i);
            runs.add(new RunResult(row.runId(), groups.budgets().get(i), row.parameters(), row.tokens(), row.flops(),
                    row.loss(), row.uniqueTokens()));
        }

        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%d run(s) from table %s; %s; grouped into %d budget(s) by %s",
                runs.size(), table, declared ? "C as the table declares it" : "no C column, so C = 6·N·D per row",
                groups.groups().size(), groups.method()));
        notes.addAll(describe(grouping, groups, kept));
        if (!duplicates.isEmpty()) {
            notes.add(duplicates.size() + " row(s) repeat an earlier row (same N, D, C and loss) and were left out: "
                    + listed(duplicates));
        }
        if (!offSixND.isEmpty()) {
            notes.add(String.format(Locale.ROOT, "%d row(s) declare a C more than %.0f%% away from 6·N·D: %s; check"
                    + " the C column (another FLOP convention is fine, a unit or column mix-up is not)",
                    offSixND.size(), (MAX_C_OVER_6ND - 1) * 100, listed(offSixND)));
        }
        String name = table.getFileName().toString();
        return new SweepMetrics(name, declared ? DECLARED_CONVENTION : DERIVED_CONVENTION, runs, List.of(), notes);
    }

    /**
     * One line per budget (its C, how many rows, which, and the range of their C), at most
     * {@value #GROUPS_LISTED}; under the default rule, a hint when most budgets hold a single row.
     */
    static List<String> describe(BudgetGrouping grouping, BudgetGroups groups, List<TableRow> rows) {
        List<String> lines = new ArrayList<>();
        String method = "budget grouping (" + groups.method() + ")";
        for (BudgetGroup group : groups.groups().subList(0, Math.min(groups.groups().size(), GROUPS_LISTED))) {
            List<Integer> numbers = group.rows().stream().map(i -> rows.get(i).rowNumber()).toList();
            lines.add(String.format(Locale.ROOT, "%s: budget %s FLOPs: %d row(s) (%s), C from %s to %s (%.3f"
                    + " decades)", method, BudgetGrouping.number(group.budgetFlops()), numbers.size(),
                    ranges(numbers), BudgetGrouping.number(group.minFlops()), BudgetGrouping.number(group.maxFlops()),
                    group.spanDecades()));
        }
        if (groups.groups().size() > GROUPS_LISTED) {
            lines.add(String.format(Locale.ROOT, "%s: %d more budget(s) not listed", method,
                    groups.groups().size() - GROUPS_LISTED));
        }
        for (double empty : groups.emptyBudgets()) {
            lines.add(method + ": declared budget " + BudgetGrouping.number(empty) + " FLOPs has no row within the"
                    + " tolerance");
        }
        long single = groups.groups().stream().filter(g -> g.rows().size() == 1).count();
        if (grouping.method() == BudgetGrouping.Method.SIGNIFICANT_DIGITS && groups.groups().size() > 2
                && single * 2 > groups.groups().size()) {
            lines.add(String.format(Locale.ROOT, "%d of %d budgets hold a single row: if C is continuous (read off"
                    + " a figure, or runs at slightly different FLOPs), group rows into budgets with --group-budgets"
                    + " auto or --budgets C1,C2,...", single, groups.groups().size()));
        }
        return lines;
    }

    /** Row numbers as ranges: "rows 1-3, 7". */
    private static String ranges(List<Integer> numbers) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < numbers.size()) {
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) {
                j++;
            }
            parts.add(i == j ? Integer.toString(numbers.get(i)) : numbers.get(i) + "-" + numbers.get(j));
            i = j + 1;
        }
        return (numbers.size() == 1 ? "row " : "rows ") + String.join(", ", parts);
    }

    /** A data row that passed the checks, before it is given a budget. */
    record TableRow(int rowNumber, String runId, long parameters, long tokens, double flops, double loss,
            boolean namedRunId, long uniqueTokens) {
        /** What an error calls the row: "row 7", or "row 7 (run_id c45)" when the table names runs. */
        String name() {
            return "row " + rowNumber + (namedRunId ? " (run_id " + runId + ")" : "");
        }
    }

    private static String listed(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(items.size(), 10))) + (items.size() > 10 ? ", …" : "");
    }

    /** C rounded to {@value #BUDGET_SIGNIFICANT_DIGITS} significant digits: a run's budget under the default rule. */
    public static double budgetOf(double flops) {
        return BudgetGrouping.round(flops, BUDGET_SIGNIFICANT_DIGITS);
    }

    /** Each wanted column's index, matched case-insensitively. */
    private static Map<String, Integer> locateColumns(Path table, String[] found) throws TableException {
        Map<String, Integer> columns = new HashMap<>();
        for (String wanted : List.of(PARAMETERS, TOKENS, LOSS, COMPUTE, RUN_ID, UNIQUE_TOKENS)) {
            for (int i = 0; i < found.length; i++) {
                if (found[i].trim().equalsIgnoreCase(wanted)) {
                    Integer other = columns.putIfAbsent(wanted, i);
                    if (other != null) {
                        throw new TableException("table " + table + " has column " + wanted + " twice ('"
                                + found[other] + "' and '" + found[i] + "'); found " + Arrays.toString(found));
                    }
                }
            }
        }
        List<String> missing = REQUIRED.stream().filter(column -> !columns.containsKey(column)).toList();
        if (!missing.isEmpty()) {
            throw new TableException("table " + table + " lacks column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + "; found " + Arrays.toString(found)
                    + " (expected N, D, loss, optionally C, run_id and unique_tokens, in any case)");
        }
        return columns;
    }

    private static long count(Path table, Row row, int rowNumber, Map<String, Integer> columns, String column)
            throws TableException {
        double value = positive(table, row, rowNumber, columns, column);
        long rounded = Math.round(value);
        if (rounded < 1) {
            throw bad(table, rowNumber, column, "is " + row.get(columns.get(column)) + ", a count must be at least 1");
        }
        return rounded;
    }

    private static double positive(Path table, Row row, int rowNumber, Map<String, Integer> columns, String column)
            throws TableException {
        Object raw = row.get(columns.get(column));
        double value;
        if (raw == null || raw.toString().isBlank()) {
            throw bad(table, rowNumber, column, "is empty");
        } else if (raw instanceof Number number) {
            value = number.doubleValue();
        } else {
            try {
                value = Double.parseDouble(raw.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(table, rowNumber, column, "is '" + raw + "', not a number");
            }
        }
        if (!Double.isFinite(value)) {
            throw bad(table, rowNumber, column, "is '" + raw + "', not a finite number");
        }
        if (value <= 0) {
            throw bad(table, rowNumber, column, "is " + raw + ", not positive");
        }
        return value;
    }

    private static String runId(Row row, int rowNumber, Map<String, Integer> columns) {
        Integer index = columns.get(RUN_ID);
        Object raw = index == null ? null : row.get(index);
        return raw == null || raw.toString().isBlank() ? "row-" + rowNumber : raw.toString().trim();
    }

    private static TableException bad(Path table, int rowNumber, String column, String problem) {
        return new TableException("table " + table + ", row " + rowNumber + " (data rows from 1), column " + column
                + ": " + problem);
    }
}
