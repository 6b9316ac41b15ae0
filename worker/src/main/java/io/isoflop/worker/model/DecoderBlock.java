package io.isoflop.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One pre-LayerNorm decoder block: x + attn(LN(x)), then x + MLP(LN(x)) with a GELU MLP of width r·d. */
final class DecoderBlock extends AbstractBlock {
    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm mlpNorm;
    private final Linear mlpIn;
    private final Linear mlpOut;

    DecoderBlock(int dModel, int heads, int mlpRatio) {
        attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", new CausalSelfAttention(dModel, heads));
        mlpNorm = addChildBlock("mlp_norm", LayerNorm.builder().axis(2).build());
        mlpIn = addChildBlock("mlp_in", Linear.builder().setUnits((long) mlpRatio * dModel).build());
        mlpOut = addChildBlock("mlp_out", Linear.builder().setUnits(dModel).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray normed = attentionNorm.forward(store, new NDList(x), training).singletonOrThrow();
        x = x.add(attention.forward(store, new NDList(normed, mask), training).singletonOrThrow());
        normed = mlpNorm.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray hidden = Activation.gelu(mlpIn.forward(store, new NDList(normed), training).singletonOrThrow());
        x = x.add(mlpOut.forward(store, new NDList(hidden), training).singletonOrThrow());
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = inputShapes[0];
        long dModel = hidden.get(2);
        attentionNorm.initialize(manager, dataType, hidden);
        attention.initialize(manager, dataType, hidden, inputShapes[1]);
        mlpNorm.initialize(manager, dataType, hidden);
        mlpIn.initialize(manager, dataType, hidden);
        Shape wide = new Shape(hidden.get(0), hidden.get(1), mlpIn.getOutputShapes(new Shape[] {hidden})[0].get(2));
        mlpOut.initialize(manager, dataType, wide);
        assert mlpOut.getOutputShapes(new Shape[] {wide})[0].get(2) == dModel;
    }
}
