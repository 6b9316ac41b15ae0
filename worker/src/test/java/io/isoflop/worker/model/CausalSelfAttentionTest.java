package io.isoflop.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attention block against attention written out in plain Java: the fused projection's output is [q | k | v],
 * each split into heads of d/H consecutive features, softmax(q·kᵀ/√(d/H) + causal mask)·v per head, the heads
 * concatenated and projected.
 */
class CausalSelfAttentionTest {

    @ParameterizedTest
    @CsvSource({"8,1", "8,2", "12,3"})
    void matchesScaledDotProductAttentionWrittenOut(int d, int heads) {
        int batch = 2;
        int time = 5;
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalSelfAttention attention = new CausalSelfAttention(d, heads);
            attention.initialize(manager, DataType.FLOAT32, new Shape(batch, time, d), new Shape(time, time));
            NDArray x = manager.randomNormal(new Shape(batch, time, d));
            NDArray mask = DecoderLanguageModel.causalMask(manager, time);

            float[] actual = attention.forward(new ParameterStore(manager, false), new NDList(x, mask), false)
                    .singletonOrThrow().toFloatArray();

            Block qkv = attention.getChildren().get(0).getValue();
            Block output = attention.getChildren().get(1).getValue();
            float[] expected = reference(x.toFloatArray(), batch, time, d, heads,
                    array(qkv, "weight"), array(qkv, "bias"), array(output, "weight"), array(output, "bias"));
            assertEquals(expected.length, actual.length);
            assertArrayEquals(expected, actual, 1e-4f);
        }
    }

    private static float[] array(Block linear, String name) {
        return linear.getParameters().get(name).getArray().toFloatArray();
    }

    /** Weights as DJL's Linear keeps them: (out, in), y = x·Wᵀ + b. */
    private static float[] reference(float[] x, int batch, int time, int d, int heads, float[] wQkv, float[] bQkv,
            float[] wOut, float[] bOut) {
        int headDim = d / heads;
        float[] result = new float[batch * time * d];
        for (int b = 0; b < batch; b++) {
            double[][] fused = new double[time][3 * d];
            for (int t = 0; t < time; t++) {
                for (int o = 0; o < 3 * d; o++) {
                    double sum = bQkv[o];
                    for (int i = 0; i < d; i++) {
                        sum += x[(b * time + t) * d + i] * wQkv[o * d + i];
                    }
                    fused[t][o] = sum;
                }
            }
            double[][] merged = new double[time][d];
            for (int h = 0; h < heads; h++) {
                int q = h * headDim;
                int k = d + h * headDim;
                int v = 2 * d + h * headDim;
                for (int t = 0; t < time; t++) {
                    double[] weights = new double[t + 1]; // causal: positions 0..t
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int j = 0; j < headDim; j++) {
                            dot += fused[t][q + j] * fused[s][k + j];
                        }
                        weights[s] = dot / Math.sqrt(headDim);
                        max = Math.max(max, weights[s]);
                    }
                    double total = 0;
                    for (int s = 0; s <= t; s++) {
                        weights[s] = Math.exp(weights[s] - max);
                        total += weights[s];
                    }
                    for (int j = 0; j < headDim; j++) {
                        double sum = 0;
                        for (int s = 0; s <= t; s++) {
                            sum += weights[s] / total * fused[s][v + j];
                        }
                        merged[t][h * headDim + j] = sum;
                    }
                }
            }
            for (int t = 0; t < time; t++) {
                for (int o = 0; o < d; o++) {
                    double sum = bOut[o];
                    for (int i = 0; i < d; i++) {
                        sum += merged[t][i] * wOut[o * d + i];
                    }
                    result[(b * time + t) * d + o] = (float) sum;
                }
            }
        }
        return result;
    }
}
