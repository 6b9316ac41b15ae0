package io.isoflop.fitter.fit;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The resamples of a bootstrap over runs ({@link Bootstrap}) and the intervals they give.
 *
 * @param resamples how many resamples were drawn
 * @param seed the bootstrap seed
 * @param approach3Starts Approach 3 starts per resample
 * @param estimates one per resample, ordered by index
 */
public record BootstrapResult(int resamples, long seed, int approach3Starts, List<ResampleEstimate> estimates) {
    /** The Approach 3 quantities with intervals, by the names frontier.json uses. */
    public static final Map<String, ToDoubleFunction<ParametricLaw>> APPROACH3_QUANTITIES = approach3Quantities();

    public BootstrapResult {
        estimates = estimates.stream().sorted(Comparator.comparingInt(ResampleEstimate::index)).toList();
    }

    /** Resamples on which Approach 3 gave a law. */
    public long approach3Fitted() {
        return estimates.stream().filter(e -> e.approach3() != null).count();
    }

    /** Resamples on which Approach 2 gave both power laws. */
    public long approach2Fitted() {
        return estimates.stream().filter(e -> e.nOpt() != null && e.dOpt() != null).count();
    }

    /**
     * The interval of a quantity of the Approach 3 law, {@code fullFit} giving the estimate (null: NaN). Resamples
     * without a law, or where the quantity is not finite (no compute-optimal allocation), are left out.
     */
    public Interval approach3(ParametricLaw fullFit, ToDoubleFunction<ParametricLaw> quantity) {
        double[] values = estimates.stream()
                .filter(e -> e.approach3() != null)
                .mapToDouble(e -> quantity.applyAsDouble(e.approach3()))
                .toArray();
        return Interval.of(fullFit == null ? Double.NaN : quantity.applyAsDouble(fullFit), values);
    }

    /** The interval of a quantity of the Approach 2 power laws (N_opt, D_opt), over resamples that have both. */
    public Interval approach2(PowerLaw fullNOpt, PowerLaw fullDOpt, PowerLawQuantity quantity) {
        double[] values = estimates.stream()
                .filter(e -> e.nOpt() != null && e.dOpt() != null)
                .mapToDouble(e -> quantity.of(e.nOpt(), e.dOpt()))
                .toArray();
        boolean full = fullNOpt != null && fullDOpt != null;
        return Interval.of(full ? quantity.of(fullNOpt, fullDOpt) : Double.NaN, values);
    }

    /** Resamples on which Approach 1 gave both power laws. */
    public long approach1Fitted() {
        return estimates.stream().filter(e -> e.envelopeNOpt() != null && e.envelopeDOpt() != null).count();
    }

    /** The interval of a quantity of the Approach 1 power laws, over resamples that have both. */
    public Interval approach1(PowerLaw fullNOpt, PowerLaw fullDOpt, PowerLawQuantity quantity) {
        double[] values = estimates.stream()
                .filter(e -> e.envelopeNOpt() != null && e.envelopeDOpt() != null)
                .mapToDouble(e -> quantity.of(e.envelopeNOpt(), e.envelopeDOpt()))
                .toArray();
        boolean full = fullNOpt != null && fullDOpt != null;
        return Interval.of(full ? quantity.of(fullNOpt, fullDOpt) : Double.NaN, values);
    }

    /** a and b of Approach 1. */
    public Map<String, Interval> approach1Intervals(PowerLaw fullNOpt, PowerLaw fullDOpt) {
        Map<String, Interval> intervals = new LinkedHashMap<>();
        intervals.put("a", approach1(fullNOpt, fullDOpt, (n, d) -> n.exponent()));
        intervals.put("b", approach1(fullNOpt, fullDOpt, (n, d) -> d.exponent()));
        return intervals;
    }

    /** E, A, B, alpha, beta, a, b and G of Approach 3, in that order. */
    public Map<String, Interval> approach3Intervals(ParametricLaw fullFit) {
        Map<String, Interval> intervals = new LinkedHashMap<>();
        APPROACH3_QUANTITIES.forEach((name, quantity) -> intervals.put(name, approach3(fullFit, quantity)));
        return intervals;
    }

    /** a and b of Approach 2. */
    public Map<String, Interval> approach2Intervals(PowerLaw fullNOpt, PowerLaw fullDOpt) {
        Map<String, Interval> intervals = new LinkedHashMap<>();
        intervals.put("a", approach2(fullNOpt, fullDOpt, (n, d) -> n.exponent()));
        intervals.put("b", approach2(fullNOpt, fullDOpt, (n, d) -> d.exponent()));
        return intervals;
    }

    /** A number computed from a resample's Approach 2 power laws. */
    @FunctionalInterface
    public interface PowerLawQuantity {
        double of(PowerLaw nOpt, PowerLaw dOpt);
    }

    private static Map<String, ToDoubleFunction<ParametricLaw>> approach3Quantities() {
        Map<String, ToDoubleFunction<ParametricLaw>> quantities = new LinkedHashMap<>();
        quantities.put("E", ParametricLaw::e);
        quantities.put("A", ParametricLaw::a);
        quantities.put("B", ParametricLaw::b);
        quantities.put("alpha", ParametricLaw::alpha);
        quantities.put("beta", ParametricLaw::beta);
        quantities.put("a", ParametricLaw::exponentA);
        quantities.put("b", ParametricLaw::exponentB);
        quantities.put("G", ParametricLaw::g);
        return Collections.unmodifiableMap(quantities);
    }
}
