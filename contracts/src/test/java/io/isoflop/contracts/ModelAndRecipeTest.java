package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModelAndRecipeTest {

    @Test
    void parameterCountsMatchAHandCount() {
        ModelShape shape = new ModelShape(256, 64, 32, 2, 4, 4);
        // per layer: qkv 32*96+96, out 32*32+32, mlp 32*128+128 and 128*32+32, two LayerNorms 2*(32+32)
        long perLayer = (32 * 96 + 96) + (32 * 32 + 32) + (32 * 128 + 128) + (128 * 32 + 32) + 2 * 64;
        assertEquals(perLayer, shape.parametersPerLayer());
        assertEquals(2 * perLayer + 64, shape.nonEmbeddingParameters());
        assertEquals(256 * 32 + 64 * 32, shape.embeddingParameters());
        assertEquals(32 * 256 + 256, shape.outputParameters());
        assertEquals(6.0 * shape.nonEmbeddingParameters(),
                FlopConvention.SIX_N.flopsPerToken(shape, ParameterCount.NON_EMBEDDING));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(256, 64, 30, 2, 4, 4), "30 % 4 != 0");
    }

    @Test
    void theLearningRateWarmsUpLinearlyThenDecaysToItsFloorOnTheLastStep() {
        TrainingRecipe recipe = new TrainingRecipe(8, 100, 1e-3, 0.1, 10, 0.9, 0.95, 1e-8, 0.0);
        assertEquals(1e-4, recipe.learningRateAt(1), 1e-12);
        assertEquals(1e-3, recipe.learningRateAt(10), 1e-12);
        assertEquals(1e-4, recipe.learningRateAt(100), 1e-12);
        assertEquals(1e-3 * (0.1 + 0.9 * 0.5), recipe.learningRateAt(55), 1e-12, "half way through the decay");
    }
}
