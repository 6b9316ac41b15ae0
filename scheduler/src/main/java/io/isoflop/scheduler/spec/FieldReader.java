package io.isoflop.scheduler.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

/**
 * Reads one mapping of the spec tree field by field, keeping the path of every value so that each problem is
 * reported where it is. Problems are added to a shared list; a bad value reads as its default (or NaN / null)
 * so reading can go on and collect every error in one pass.
 */
public final class FieldReader {
    private final JsonNode node;
    private final String path;
    private final List<SpecError> errors;

    private FieldReader(JsonNode node, String path, List<SpecError> errors, List<String> allowed) {
        this.node = node;
        this.path = path;
        this.errors = errors;
        if (node != null) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.isEmpty()) { // `: value`, or a key lost to YAML syntax (`&anchor:`)
                    errors.add(new SpecError(pathOf("''"), "an empty key; expected one of: "
                            + String.join(", ", allowed)));
                } else if (!allowed.contains(name)) {
                    errors.add(new SpecError(pathOf(name), "unknown field; expected one of: "
                            + String.join(", ", allowed) + suggestion(name, allowed)));
                }
            }
        }
    }

    /** The document's top-level mapping. */
    public static FieldReader root(JsonNode mapping, List<SpecError> errors, List<String> allowed) {
        return new FieldReader(mapping, "", errors, allowed);
    }

    /** A value that must be a number, with the words used to describe it in a message. */
    public record Expect(String description, DoublePredicate accepts) {
        static Expect positive() {
            return new Expect("a positive number", v -> v > 0);
        }

        /** (0, max], {@code max} in {@code unit}. */
        static Expect positiveUpTo(double max, String unit) {
            return new Expect("a positive number up to " + NumberText.format(max) + " " + unit, v -> v > 0 && v <= max);
        }

        static Expect atLeast(double min) {
            return new Expect("a number >= " + NumberText.format(min), v -> v >= min);
        }

        /** (min, max) */
        static Expect between(double min, double max) {
            return new Expect("a number in (" + NumberText.format(min) + ", " + NumberText.format(max) + ")",
                    v -> v > min && v < max);
        }

        /** [min, max) */
        static Expect fromUpTo(double min, double max) {
            return new Expect("a number in [" + NumberText.format(min) + ", " + NumberText.format(max) + ")",
                    v -> v >= min && v < max);
        }

        /** [min, max] */
        static Expect within(double min, double max) {
            return new Expect("a number in [" + NumberText.format(min) + ", " + NumberText.format(max) + "]",
                    v -> v >= min && v <= max);
        }
    }

    public String path() {
        return path;
    }

    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** True when the mapping itself was given. */
    public boolean isPresent() {
        return node != null;
    }

    /** True when the field was given a non-null value. */
    public boolean has(String key) {
        return value(key) != null;
    }

    public void error(String key, String message) {
        errors.add(new SpecError(key == null ? path : pathOf(key), message));
    }

    /**
     * A nested mapping. An absent (or null) section reads as empty, so its fields take their defaults; a
     * required one is reported as missing.
     */
    public FieldReader section(String key, boolean required, List<String> allowed) {
        JsonNode value = value(key);
        if (value == null) {
            if (required && isPresent()) {
                error(key, "required");
            }
            return new FieldReader(null, pathOf(key), errors, allowed);
        }
        if (!value.isObject()) {
            error(key, "expected a mapping with fields " + String.join(", ", allowed) + ", got " + describe(value));
            return new FieldReader(null, pathOf(key), errors, allowed);
        }
        return new FieldReader(value, pathOf(key), errors, allowed);
    }

    /** A string; {@code fallback} when absent (null for an optional string with no default). */
    public String text(String key, String fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            error(key, "expected a string, got " + describe(value));
            return fallback;
        }
        return value.textValue();
    }

    /** A scalar read as text: strings, and numbers as written (for values like {@code memory: 2048}). */
    public String scalarText(String key, String fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual() && !value.isNumber()) {
            error(key, "expected a string, got " + describe(value));
            return fallback;
        }
        return value.asText();
    }

    public String requiredText(String key) {
        if (!has(key)) {
            if (isPresent()) {
                error(key, "required");
            }
            return null;
        }
        return text(key, null);
    }

    /** A number; {@code fallback} when absent, NaN when invalid. */
    public double number(String key, double fallback, Expect expect) {
        JsonNode value = value(key);
        return value == null ? fallback : number(value, pathOf(key), expect);
    }

    /** A required number; NaN when absent or invalid. */
    public double requiredNumber(String key, Expect expect) {
        if (!has(key)) {
            if (isPresent()) {
                error(key, "required");
            }
            return Double.NaN;
        }
        return number(key, Double.NaN, expect);
    }

    /** A number at a given path (used for list elements as well as fields); NaN when invalid. */
    public double number(JsonNode value, String at, Expect expect) {
        Double parsed = numeric(value);
        if (parsed == null) {
            errors.add(new SpecError(at, "expected " + expect.description() + ", got " + describe(value)));
            return Double.NaN;
        }
        if (!Double.isFinite(parsed)) {
            errors.add(new SpecError(at, "expected " + expect.description() + ", got " + describe(value)
                    + ", which is not a finite number"));
            return Double.NaN;
        }
        if (!expect.accepts().test(parsed)) {
            errors.add(new SpecError(at, "expected " + expect.description() + ", got " + describe(value)));
            return Double.NaN;
        }
        return parsed;
    }

    /** A whole number in [min, max]; {@code fallback} when absent or invalid. */
    public long integer(String key, long fallback, long min, long max) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        String bounds = min == Long.MIN_VALUE ? ""
                : max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? " >= " + min
                : " in [" + min + ", " + max + "]";
        String expected = "expected a whole number" + bounds + ", got " + describe(value);
        Long whole = null;
        if (value.isIntegralNumber()) {
            whole = value.canConvertToLong() ? value.longValue() : null;
        } else {
            Double parsed = numeric(value);
            if (parsed != null && parsed == Math.rint(parsed) && Math.abs(parsed) <= 0x1p53) {
                whole = parsed.longValue();
            }
        }
        if (whole == null || whole < min || whole > max) {
            error(key, expected);
            return fallback;
        }
        return whole;
    }

    public int intValue(String key, int fallback, int min) {
        return (int) integer(key, fallback, min, Integer.MAX_VALUE);
    }

    /** The raw value; null when absent or null. */
    public JsonNode value(String key) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** How a value reads in a message: scalars quoted (decimals in short form), containers by kind. */
    public static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isNumber() && !value.isIntegralNumber()) {
            return "'" + NumberText.format(value.doubleValue()) + "'";
        }
        return "'" + value.asText() + "'";
    }

    private static Double numeric(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            OptionalDouble parsed = NumberText.parse(value.textValue());
            return parsed.isPresent() ? parsed.getAsDouble() : null;
        }
        return null;
    }

    private static String suggestion(String name, List<String> allowed) {
        String lower = name.toLowerCase(Locale.ROOT).replace('-', '_');
        List<String> close = new ArrayList<>();
        for (String candidate : allowed) {
            if (candidate.equals(lower) || editDistance(lower, candidate) <= 2) {
                close.add(candidate);
            }
        }
        return close.size() == 1 ? " (did you mean '" + close.get(0) + "'?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
