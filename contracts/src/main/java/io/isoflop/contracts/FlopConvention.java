package io.isoflop.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How training compute is counted per token. Always a declared, recorded choice
 * (see shared/docs/scaling-laws.md); the difference between conventions shifts fitted exponents.
 */
public enum FlopConvention {
    /** C = 6·N·D, with N counted as declared by {@link ParameterCount}. */
    SIX_N("6N"),
    /** Kaplan et al. 2020: 6·N_nonemb + 6·n_layer·n_ctx·d_model per token (adds attention scores and values). */
    KAPLAN("kaplan"),
    /** DeepSeek LLM 2024: M = 72·n_layer·d_model² + 6·n_layer·d_model·l_seq per token. */
    DEEPSEEK("deepseek");

    private final String id;

    FlopConvention(String id) {
        this.id = id;
    }

    /** The name used in specs, run specs and metric files. */
    public String id() {
        return id;
    }

    /** Training FLOPs per token for a model of this shape under this convention. */
    public double flopsPerToken(ModelShape shape, ParameterCount count) {
        double d = shape.dModel();
        double layers = shape.nLayers();
        return switch (this) {
            case SIX_N -> 6.0 * count.of(shape);
            case KAPLAN -> 6.0 * shape.nonEmbeddingParameters() + 6.0 * layers * shape.contextLength() * d;
            case DEEPSEEK -> 72.0 * layers * d * d + 6.0 * layers * d * shape.contextLength();
        };
    }

    /** Parses a spec value; the message lists the accepted names. */
    public static FlopConvention fromId(String value) {
        for (FlopConvention c : values()) {
            if (c.id.equalsIgnoreCase(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected one of " + ids() + ", got '" + value + "'");
    }

    public static String ids() {
        return Arrays.stream(values()).map(FlopConvention::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT).equals("6n") ? "6N" : id;
    }
}
