package io.isoflop.scheduler.spec;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Numbers as a spec writes them. YAML 1.1 reads {@code 1e11} (no decimal point) as a string, so the spec accepts
 * decimal strings too; {@link #format} writes a number back the short way ({@code 1e11}, {@code 2.5e11},
 * {@code 120000}, {@code 0.006}).
 */
public final class NumberText {
    private static final Pattern DECIMAL =
            Pattern.compile("[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");

    private NumberText() {}

    /** A decimal number in plain or scientific notation; empty for anything else. May be infinite if huge. */
    public static OptionalDouble parse(String text) {
        String s = text.strip();
        if (!DECIMAL.matcher(s).matches()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(s));
    }

    /** The shortest readable form: whole numbers below 10^7 in full, others as {@code <mantissa>e<exponent>}. */
    public static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e7) {
            return Long.toString((long) value);
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        if (decimal.scale() > 0 && decimal.scale() <= 6 && Math.abs(value) >= 1e-4) {
            return decimal.toPlainString();
        }
        return decimal.toString().toLowerCase(Locale.ROOT).replace("e+", "e");
    }
}
