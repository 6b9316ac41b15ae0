package io.isoflop.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention with a causal mask: one fused QKV projection (d → 3d, with bias), scaled
 * dot-product attention per head, an output projection (d → d, with bias). Input (B, T, d) plus an additive
 * (T, T) mask; output (B, T, d).
 */
final class CausalSelfAttention extends AbstractBlock {
    private final int dModel;
    private final int heads;
    private final Linear qkv;
    private final Linear output;

    CausalSelfAttention(int dModel, int heads) {
        this.dModel = dModel;
        this.heads = heads;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dModel).build());
        this.output = addChildBlock("output", Linear.builder().setUnits(dModel).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        long batch = x.getShape().get(0);
        long time = x.getShape().get(1);
        int headDim = dModel / heads;
        NDArray fused = qkv.forward(store, new NDList(x), training).singletonOrThrow();
        // (B, T, 3, H, hd) -> (3, B, H, T, hd)
        NDArray split = fused.reshape(batch, time, 3, heads, headDim).transpose(2, 0, 3, 1, 4);
        NDArray q = split.get(0);
        NDArray k = split.get(1);
        NDArray v = split.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(headDim)).add(mask);
        NDArray attended = scores.softmax(-1).matMul(v); // (B, H, T, hd)
        NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, time, dModel);
        return output.forward(store, new NDList(merged), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes[0]);
        output.initialize(manager, dataType, inputShapes[0]);
    }
}
