package io.isoflop.contracts;

import java.util.Locale;

/** Which parameters "N" means. Both are always recorded; this picks the one used for N in fits and in 6N. */
public enum ParameterCount {
    /** Everything except token embeddings, position embeddings and the output (unembedding) projection. */
    NON_EMBEDDING("non_embedding"),
    /** Every trainable parameter. */
    TOTAL("total");

    private final String id;

    ParameterCount(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public long of(ModelShape shape) {
        return this == TOTAL ? shape.totalParameters() : shape.nonEmbeddingParameters();
    }

    public static ParameterCount fromId(String value) {
        for (ParameterCount c : values()) {
            if (c.id.equals(value.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected one of non_embedding, total, got '" + value + "'");
    }
}
