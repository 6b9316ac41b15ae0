package io.isoflop.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.isoflop.contracts.ModelShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecoderLanguageModelTest {

    @ParameterizedTest
    @CsvSource({"256,128,16,1,2,4", "256,128,32,2,4,4", "256,64,48,3,6,4", "100,32,24,2,3,2"})
    void builtModelHasTheAnalyticParameterCountAndLogitShape(int vocab, int context, int d, int layers, int heads,
            int mlp) {
        ModelShape shape = new ModelShape(vocab, context, d, layers, heads, mlp);
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLanguageModel model = new DecoderLanguageModel(shape);
            model.initialize(manager, DataType.FLOAT32, new Shape(2, context));
            ParameterCounts counts = model.countParameters();
            assertEquals(shape.totalParameters(), counts.total(), "total");
            assertEquals(shape.nonEmbeddingParameters(), counts.nonEmbedding(), "non-embedding");
            assertEquals(shape.embeddingParameters(), counts.embedding(), "embedding");
            assertEquals(shape.outputParameters(), counts.output(), "output projection");

            NDArray ids = manager.zeros(new Shape(2, context), DataType.INT64);
            NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(ids), false).singletonOrThrow();
            assertEquals(new Shape(2, context, vocab), logits.getShape());
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "3"})
    void laterTokensDoNotChangeEarlierLogits(int changedPosition) {
        ModelShape shape = new ModelShape(256, 8, 16, 2, 2, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLanguageModel model = new DecoderLanguageModel(shape);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            ParameterStore store = new ParameterStore(manager, false);
            long[] tokens = {5, 17, 99, 3, 250, 42, 7, 1};
            NDArray before = model.forward(store, new NDList(manager.create(tokens, new Shape(1, 8))), false)
                    .singletonOrThrow();
            tokens[changedPosition + 1] = 200;
            NDArray after = model.forward(store, new NDList(manager.create(tokens, new Shape(1, 8))), false)
                    .singletonOrThrow();
            float[] a = before.get(":, :" + (changedPosition + 1) + ", :").toFloatArray();
            float[] b = after.get(":, :" + (changedPosition + 1) + ", :").toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5, "logit " + i + " of an earlier position changed");
            }
            float[] changed = after.get(":, " + (changedPosition + 1) + ", :").toFloatArray();
            float[] original = before.get(":, " + (changedPosition + 1) + ", :").toFloatArray();
            double diff = 0;
            for (int i = 0; i < changed.length; i++) {
                diff += Math.abs(changed[i] - original[i]);
            }
            org.junit.jupiter.api.Assertions.assertTrue(diff > 1e-4, "the changed position's own logits must move");
        }
    }
}
