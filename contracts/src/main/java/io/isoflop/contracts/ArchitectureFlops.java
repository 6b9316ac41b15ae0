package io.isoflop.contracts;

/**
 * Training FLOPs per token of the decoder {@link ModelShape} describes, counted from its matrix products: per
 * layer the fused QKV projection (2·d·3d), the attention scores QKᵀ and the weighted values AV at the full
 * context length (2·T·d each: the model computes the whole T×T product and masks it), the output projection
 * (2·d·d) and the MLP (2·2·d·r·d), then the output head (2·d·V); training is three times the forward pass
 * (backward ≈ 2× forward). Biases, LayerNorms, softmax and the GELU are left out (O(d) per token). The token and
 * position embeddings are lookups; their Chinchilla-style count (2·d·V forward, as a projection would cost) is
 * kept apart in {@link #embeddingPerToken}.
 */
public final class ArchitectureFlops {
    private ArchitectureFlops() {}

    /** Forward FLOPs per token of one decoder layer at the shape's context length. */
    public static double forwardPerLayer(ModelShape shape) {
        double d = shape.dModel();
        double t = shape.contextLength();
        double qkv = 2 * d * 3 * d;
        double scores = 2 * t * d;
        double values = 2 * t * d;
        double projection = 2 * d * d;
        double mlp = 2 * 2 * d * shape.mlpRatio() * d;
        return qkv + scores + values + projection + mlp;
    }

    /** Training FLOPs per token of the layers and the output head, without embeddings. */
    public static double perToken(ModelShape shape) {
        double head = 2.0 * shape.dModel() * shape.vocabSize();
        return 3 * (shape.nLayers() * forwardPerLayer(shape) + head);
    }

    /** Training FLOPs per token the token embedding would cost as a projection (Chinchilla's count), kept apart. */
    public static double embeddingPerToken(ModelShape shape) {
        return 3 * 2.0 * shape.dModel() * shape.vocabSize();
    }
}
