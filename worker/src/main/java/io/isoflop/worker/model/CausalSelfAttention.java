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
        // [q | k | v] along the last axis; split (not select) so that backward concatenates the three gradients
        // instead of filling a zero tensor the size of all three for each one.
        NDList qkvParts = fused.split(3, 2);
        NDArray q = perHead(qkvParts.get(0).mul(1.0 / Math.sqrt(headDim)), batch, time, headDim); // (B, H, T, hd)
        NDArray kTransposed = perHead(qkvParts.get(1), batch, time, headDim).transpose(0, 1, 3, 2);
        NDArray v = perHead(qkvParts.get(2), batch, time, headDim);
        NDArray scores = q.matMul(kTransposed).add(mask);
        NDArray attended = scores.softmax(-1).matMul(v); // (B, H, T, hd)
        NDArray merged = attended.transpose(0, 2, 1, 3).reshape(batch, time, dModel);
        return output.forward(store, new NDList(merged), training);
    }

    /** (B, T, d) to (B, H, T, hd). */
    private NDArray perHead(NDArray x, long batch, long time, int headDim) {
        return x.reshape(batch, time, heads, headDim).transpose(0, 2, 1, 3);
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
