package io.isoflop.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.isoflop.contracts.ModelShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer language model of a given {@link ModelShape}: token and learned position
 * embeddings, pre-LayerNorm causal blocks, a final LayerNorm and an untied projection to vocabulary logits.
 * Input: token ids (B, T) as int64 with T ≤ context; output: logits (B, T, vocab).
 */
public final class DecoderLanguageModel extends AbstractBlock {
    private final ModelShape shape;
    private final IdEmbedding tokenEmbedding;
    private final IdEmbedding positionEmbedding;
    private final List<DecoderBlock> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear outputProjection;
    private final Map<Integer, NDArray> masks = new HashMap<>();

    public DecoderLanguageModel(ModelShape shape) {
        this.shape = shape;
        tokenEmbedding = addChildBlock("token_embedding",
                new IdEmbedding.Builder().setDictionarySize(shape.vocabSize()).setEmbeddingSize(shape.dModel()).build());
        positionEmbedding = addChildBlock("position_embedding",
                new IdEmbedding.Builder().setDictionarySize(shape.contextLength()).setEmbeddingSize(shape.dModel()).build());
        for (int i = 0; i < shape.nLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderBlock(shape.dModel(), shape.nHeads(), shape.mlpRatio())));
        }
        finalNorm = addChildBlock("final_norm", LayerNorm.builder().axis(2).build());
        outputProjection = addChildBlock("output_projection", Linear.builder().setUnits(shape.vocabSize()).build());
    }

    public ModelShape shape() {
        return shape;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        int time = (int) ids.getShape().get(1);
        NDManager manager = ids.getManager();
        NDArray positions = manager.arange(0, time, 1, DataType.INT64).reshape(1, time);
        NDArray x = tokenEmbedding.forward(store, new NDList(ids), training).singletonOrThrow();
        x = x.add(positionEmbedding.forward(store, new NDList(positions), training).singletonOrThrow());
        NDArray mask = maskFor(time);
        for (DecoderBlock layer : layers) {
            x = layer.forward(store, new NDList(x, mask), training).singletonOrThrow();
        }
        x = finalNorm.forward(store, new NDList(x), training).singletonOrThrow();
        return outputProjection.forward(store, new NDList(x), training);
    }

    /**
     * The causal mask of this length, built once on the parameters' device and kept with them (it used to be
     * rebuilt from a host array on every forward pass).
     */
    private synchronized NDArray maskFor(int time) {
        return masks.computeIfAbsent(time, t -> {
            NDArray parameter = tokenEmbedding.getParameters().valueAt(0).getArray();
            NDArray mask = causalMask(parameter.getManager(), t);
            return mask.getDataType() == parameter.getDataType() ? mask : mask.toType(parameter.getDataType(), false);
        });
    }

    /** Additive mask: 0 where a position may attend (itself and earlier), a large negative number after. */
    static NDArray causalMask(NDManager manager, int time) {
        float[] values = new float[time * time];
        for (int row = 0; row < time; row++) {
            for (int col = row + 1; col < time; col++) {
                values[row * time + col] = -1e9f;
            }
        }
        return manager.create(values, new Shape(time, time));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), shape.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        long time = ids.get(1);
        Shape hidden = new Shape(ids.get(0), time, shape.dModel());
        tokenEmbedding.initialize(manager, dataType, ids);
        positionEmbedding.initialize(manager, dataType, new Shape(1, time));
        for (DecoderBlock layer : layers) {
            layer.initialize(manager, dataType, hidden, new Shape(time, time));
        }
        finalNorm.initialize(manager, dataType, hidden);
        outputProjection.initialize(manager, dataType, hidden);
    }

    /** Parameter counts of the built (initialized) model, by role. */
    public ParameterCounts countParameters() {
        long embedding = count(tokenEmbedding) + count(positionEmbedding);
        long output = count(outputProjection);
        long total = count(this);
        return new ParameterCounts(total, total - embedding - output, embedding, output);
    }

    private static long count(Block block) {
        return block.getParameters().values().stream().mapToLong(p -> p.getArray().getShape().size()).sum();
    }
}
