package io.isoflop.fitter.fit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The rule that groups the rows of a table of runs into IsoFLOP budgets, for Approach 2's per-budget parabolas.
 *
 * <p>Approach 2 (Hoffmann et al. 2022) fits one parabola per budget through runs that spent the same compute C.
 * A sweep's runs carry their nominal budget; a published table often does not: its C is computed from N and D, or
 * read off a figure, and the runs of one budget scatter by a few percent. Three rules:
 * <ul>
 *   <li>{@link Method#SIGNIFICANT_DIGITS} (the default): C rounded to a number of significant digits, for tables
 *       that list each budget's C exactly (1e18, 3e18, 6e18).</li>
 *   <li>{@link Method#DECLARED}: budgets given by the user; each row goes to the nearest in log10 C, and a row
 *       farther than the tolerance from every one is an error that names it (a typo in C, or a budget not
 *       declared).</li>
 *   <li>{@link Method#CLUSTERS}: the sorted values of log10 C are split wherever two neighbours are more than the
 *       gap apart; each cluster is a budget at its geometric mean C. IsoFLOP budgets are usually spaced 0.2 to 0.5
 *       decades apart (Chinchilla: 6e18, 1e19, 3e19, …) while the scatter within one is a few hundredths of a
 *       decade, so a gap of 0.1 decades separates them. A row farther than the tolerance from its cluster's
 *       budget is an error that names it: the values then run into each other without a gap (a continuous C, not
 *       IsoFLOP budgets), and budgets must be declared.</li>
 * </ul>
 * With the default tolerance of 0.15 decades a budget's rows lie within a factor 1.41 of its C, and a parabola of
 * loss against log N mixes losses whose compute differs by at most that.
 *
 * @param method the rule
 * @param significantDigits digits C is rounded to ({@link Method#SIGNIFICANT_DIGITS}); 0 otherwise
 * @param declaredBudgets the declared budgets in increasing C ({@link Method#DECLARED}); empty otherwise
 * @param gapDecades the gap in log10 C that separates two clusters ({@link Method#CLUSTERS}); NaN otherwise
 * @param toleranceDecades how far in log10 C a row may lie from its budget ({@link Method#DECLARED},
 *     {@link Method#CLUSTERS}); NaN otherwise
 */
public record BudgetGrouping(Method method, int significantDigits, List<Double> declaredBudgets, double gapDecades,
        double toleranceDecades) {
    public static final int DEFAULT_SIGNIFICANT_DIGITS = 3;
    public static final double DEFAULT_TOLERANCE_DECADES = 0.15;
    public static final double DEFAULT_GAP_DECADES = 0.1;

    /** The grouping rules. */
    public enum Method {
        SIGNIFICANT_DIGITS("significant-digits"), DECLARED("declared"), CLUSTERS("auto");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        /** The rule's short name, as diagnostics and the command line write it. */
        public String id() {
            return id;
        }
    }

    /** @throws IllegalArgumentException for settings the method cannot use, naming them */
    public BudgetGrouping {
        declaredBudgets = List.copyOf(declaredBudgets).stream().sorted().toList();
        switch (method) {
            case SIGNIFICANT_DIGITS -> {
                if (significantDigits < 1) {
                    throw new IllegalArgumentException("significant digits must be at least 1, got "
                            + significantDigits);
                }
            }
            case DECLARED -> {
                if (declaredBudgets.isEmpty()) {
                    throw new IllegalArgumentException("declare at least one budget");
                }
                for (double budget : declaredBudgets) {
                    if (!(budget > 0) || !Double.isFinite(budget)) {
                        throw new IllegalArgumentException("budgets must be positive FLOPs, got " + budget);
                    }
                }
                if (declaredBudgets.stream().distinct().count() < declaredBudgets.size()) {
                    throw new IllegalArgumentException("a budget is declared twice: " + declaredBudgets);
                }
                positiveDecades(toleranceDecades, "tolerance");
            }
            case CLUSTERS -> {
                positiveDecades(gapDecades, "gap");
                positiveDecades(toleranceDecades, "tolerance");
            }
        }
    }

    /** C to {@value #DEFAULT_SIGNIFICANT_DIGITS} significant digits. */
    public static BudgetGrouping defaults() {
        return significantDigits(DEFAULT_SIGNIFICANT_DIGITS);
    }

    public static BudgetGrouping significantDigits(int digits) {
        return new BudgetGrouping(Method.SIGNIFICANT_DIGITS, digits, List.of(), Double.NaN, Double.NaN);
    }

    /** @throws IllegalArgumentException for no budgets, a budget that is not a positive number, or one given twice */
    public static BudgetGrouping declared(List<Double> budgets, double toleranceDecades) {
        return new BudgetGrouping(Method.DECLARED, 0, budgets, Double.NaN, toleranceDecades);
    }

    public static BudgetGrouping clusters(double gapDecades, double toleranceDecades) {
        return new BudgetGrouping(Method.CLUSTERS, 0, List.of(), gapDecades, toleranceDecades);
    }

    private static void positiveDecades(double value, String name) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("the " + name + " must be a positive number of decades, got " + value);
        }
    }

    /** The rule in words, e.g. "C to 3 significant digits". */
    public String describe() {
        return switch (method) {
            case SIGNIFICANT_DIGITS -> "C to " + significantDigits + " significant digits";
            case DECLARED -> "the nearest declared budget in log10 C (" + declaredBudgets.stream()
                    .map(BudgetGrouping::number).collect(Collectors.joining(", ")) + "), within "
                    + number(toleranceDecades) + " decades";
            case CLUSTERS -> "clusters of log10 C split at gaps over " + number(gapDecades) + " decades, each budget"
                    + " its cluster's geometric mean C, rows within " + number(toleranceDecades) + " decades of it";
        };
    }

    /**
     * Groups rows by their C.
     *
     * @param flops each row's C, positive and finite
     * @param names what to call each row in an error, e.g. "row 7"
     * @throws IllegalArgumentException naming the row that lies farther than the tolerance from its budget
     */
    public BudgetGroups group(List<Double> flops, List<String> names) {
        if (flops.size() != names.size()) {
            throw new IllegalArgumentException(flops.size() + " values of C but " + names.size() + " names");
        }
        for (int i = 0; i < flops.size(); i++) {
            double c = flops.get(i);
            if (!(c > 0) || !Double.isFinite(c)) {
                throw new IllegalArgumentException(names.get(i) + ": C must be positive FLOPs, got " + c);
            }
        }
        List<Double> budgets = switch (method) {
            case SIGNIFICANT_DIGITS -> flops.stream().map(c -> round(c, significantDigits)).toList();
            case DECLARED -> nearestDeclared(flops, names);
            case CLUSTERS -> clustered(flops, names);
        };
        Map<Double, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < budgets.size(); i++) {
            members.computeIfAbsent(budgets.get(i), b -> new ArrayList<>()).add(i);
        }
        List<BudgetGroup> groups = new ArrayList<>();
        members.forEach((budget, rows) -> groups.add(new BudgetGroup(budget, rows,
                rows.stream().mapToDouble(flops::get).min().orElseThrow(),
                rows.stream().mapToDouble(flops::get).max().orElseThrow())));
        List<Double> empty = declaredBudgets.stream().filter(b -> !members.containsKey(b)).toList();
        return new BudgetGroups(describe(), budgets, groups, empty);
    }

    /** C rounded to {@code digits} significant digits. */
    public static double round(double flops, int digits) {
        return new BigDecimal(flops).round(new MathContext(digits)).doubleValue();
    }

    private List<Double> nearestDeclared(List<Double> flops, List<String> names) {
        List<Double> budgets = new ArrayList<>(flops.size());
        for (int i = 0; i < flops.size(); i++) {
            double logC = Math.log10(flops.get(i));
            double nearest = declaredBudgets.stream()
                    .min(Comparator.comparingDouble(b -> Math.abs(Math.log10(b) - logC))).orElseThrow();
            double distance = Math.abs(Math.log10(nearest) - logC);
            if (beyondTolerance(distance)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s (C = %s) is %.3f decades from"
                        + " the nearest declared budget, %s, more than the tolerance of %s decades", names.get(i),
                        number(flops.get(i)), distance, number(nearest), number(toleranceDecades)));
            }
            budgets.add(nearest);
        }
        return budgets;
    }

    private List<Double> clustered(List<Double> flops, List<String> names) {
        int[] order = IntStream.range(0, flops.size()).boxed()
                .sorted(Comparator.comparingDouble(flops::get)).mapToInt(Integer::intValue).toArray();
        Double[] budgets = new Double[flops.size()];
        int start = 0;
        for (int k = 1; k <= order.length; k++) {
            boolean split = k == order.length
                    || Math.log10(flops.get(order[k])) - Math.log10(flops.get(order[k - 1])) > gapDecades;
            if (split) {
                int[] cluster = Arrays.copyOfRange(order, start, k);
                double budget = Math.pow(10, Arrays.stream(cluster)
                        .mapToDouble(i -> Math.log10(flops.get(i))).average().orElseThrow());
                checkCluster(cluster, budget, flops, names);
                for (int i : cluster) {
                    budgets[i] = budget;
                }
                start = k;
            }
        }
        return List.of(budgets);
    }

    private void checkCluster(int[] cluster, double budget, List<Double> flops, List<String> names) {
        int farthest = cluster[0];
        for (int i : cluster) {
            if (distance(flops.get(i), budget) > distance(flops.get(farthest), budget)) {
                farthest = i;
            }
        }
        double distance = distance(flops.get(farthest), budget);
        if (beyondTolerance(distance)) {
            double low = flops.get(cluster[0]);
            double high = flops.get(cluster[cluster.length - 1]);
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s (C = %s) is %.3f decades from its"
                    + " budget %s, more than the tolerance of %s decades: its cluster of %d rows runs from C = %s to"
                    + " %s without a gap over %s decades, so these rows do not separate into IsoFLOP budgets;"
                    + " declare the budgets, or split at a smaller gap", names.get(farthest),
                    number(flops.get(farthest)), distance, number(budget), number(toleranceDecades), cluster.length,
                    number(low), number(high), number(gapDecades)));
        }
    }

    /** A number to 4 significant digits without trailing zeros: 4.5e+19, 3e+19, 0.15. */
    public static String number(double value) {
        String text = String.format(Locale.ROOT, "%.4g", value);
        int exponent = text.indexOf('e');
        String mantissa = exponent < 0 ? text : text.substring(0, exponent);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return exponent < 0 ? mantissa : mantissa + text.substring(exponent);
    }

    private static double distance(double flops, double budget) {
        return Math.abs(Math.log10(flops) - Math.log10(budget));
    }

    /** Beyond the tolerance by more than rounding: a row at exactly the tolerance is accepted. */
    private boolean beyondTolerance(double distance) {
        return distance > toleranceDecades + 1e-12;
    }
}
