package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InferenceOptimumTest {
    private static final ParametricLaw LAW = new ParametricLaw(1.82, 482.01, 2085.43, 0.3478, 0.3658);
    private static final double BUDGET = 1e23;

    @Test
    void withoutInferenceTheComputeOptimalModelIsTheOptimum() {
        InferenceOptimum optimum = InferenceOptimum.solve(LAW, BUDGET, 0);

        assertEquals(LAW.optimalParameters(BUDGET), optimum.parameters(), 1e-9 * optimum.parameters());
        assertEquals(LAW.optimalTokens(BUDGET), optimum.tokens(), 1e-9 * optimum.tokens());
        assertEquals(BUDGET, optimum.totalFlops(), 1e-9 * BUDGET);
    }

    @Test
    void inferenceMovesTheOptimumToASmallerModelOnMoreTokensAtTheSameLoss() {
        double inferenceTokens = 2e13; // more than the ~2e12 training tokens of the compute-optimal model
        InferenceOptimum optimum = InferenceOptimum.solve(LAW, BUDGET, inferenceTokens);

        double nOpt = LAW.optimalParameters(BUDGET);
        assertTrue(optimum.parameters() < 0.9 * nOpt, optimum + " vs N_opt " + nOpt);
        assertTrue(optimum.tokens() > LAW.optimalTokens(BUDGET), optimum.toString());
        assertEquals(LAW.optimalLoss(BUDGET), LAW.loss(optimum.parameters(), optimum.tokens()), 1e-9, "same loss");
        assertEquals(6 * optimum.parameters() * optimum.tokens(), optimum.trainingFlops(), 1e-6 * optimum.trainingFlops());
        assertEquals(2 * optimum.parameters() * inferenceTokens, optimum.inferenceFlops(), 1e-6 * optimum.inferenceFlops());
        assertTrue(optimum.trainingFlops() > BUDGET, "over-training spends more on training");
        assertTrue(optimum.totalFlops() < optimum.computeOptimalTotalFlops(), optimum.toString());
        // a minimum along the iso-loss curve: one percent either way costs more
        for (double factor : new double[] {0.99, 1.01}) {
            double n = optimum.parameters() * factor;
            double total = 6 * n * InferenceOptimum.tokensFor(LAW, optimum.targetLoss(), n) + 2 * n * inferenceTokens;
            assertTrue(total > optimum.totalFlops(), "N × " + factor + " costs " + total);
        }
    }

    @Test
    void moreInferenceMeansASmallerModel() {
        double smaller = InferenceOptimum.solve(LAW, BUDGET, 1e14).parameters();
        double larger = InferenceOptimum.solve(LAW, BUDGET, 1e12).parameters();

        assertTrue(smaller < larger, smaller + " < " + larger);
    }

    @Test
    void aLawWithoutAllocationIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> InferenceOptimum.solve(new ParametricLaw(1, 1, 1, -0.1, 0.3), BUDGET, 1e12));
    }
}
