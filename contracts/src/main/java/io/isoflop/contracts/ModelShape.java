package io.isoflop.contracts;

/**
 * The shape of a decoder-only transformer: token + learned position embeddings, n pre-LayerNorm blocks
 * (causal multi-head attention with a fused QKV projection, then a GELU MLP of width mlpRatio·d_model,
 * all linear layers with bias), a final LayerNorm and an untied output projection to the vocabulary.
 *
 * <p>The parameter counts below are analytic; the worker counts the built model and the two must agree.
 */
public record ModelShape(int vocabSize, int contextLength, int dModel, int nLayers, int nHeads, int mlpRatio) {

    public ModelShape {
        if (vocabSize < 2 || contextLength < 2 || dModel < 1 || nLayers < 1 || nHeads < 1 || mlpRatio < 1) {
            throw new IllegalArgumentException("model shape has a non-positive dimension: " + this);
        }
        if (dModel % nHeads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not divisible by n_heads " + nHeads);
        }
    }

    public int headDim() {
        return dModel / nHeads;
    }

    /** Parameters of one block: attention 4d²+4d, MLP 2r·d²+(r+1)d, two LayerNorms 4d. */
    public long parametersPerLayer() {
        long d = dModel;
        long r = mlpRatio;
        return (4 + 2 * r) * d * d + (9 + r) * d;
    }

    /** All blocks plus the final LayerNorm. */
    public long nonEmbeddingParameters() {
        return nLayers * parametersPerLayer() + 2L * dModel;
    }

    /** Token and position embedding tables. */
    public long embeddingParameters() {
        return (long) vocabSize * dModel + (long) contextLength * dModel;
    }

    /** The untied output projection (weights and bias). */
    public long outputParameters() {
        return (long) dModel * vocabSize + vocabSize;
    }

    public long totalParameters() {
        return nonEmbeddingParameters() + embeddingParameters() + outputParameters();
    }
}
