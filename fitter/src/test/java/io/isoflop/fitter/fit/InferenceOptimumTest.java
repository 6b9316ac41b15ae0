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

    /**
     * Brute force, independent of the iso-loss formula: N on a log grid of 20,000 points two decades either side of
     * the optimum; for each, the smallest D on a log grid of 2^24 points over eight decades with L(N, D) ≤ L*
     * (found by bisection over the grid, L falling with D); the least 6·N·D + 2·N·T over them. Brent's optimum
     * agrees to 1% in N, D and the total.
     */
    @Test
    void theOptimumAgreesWithABruteForceGridSearchOfTheSameObjective() {
        for (double inferenceTokens : new double[] {1e12, 2e13, 1e15}) {
            for (double targetLoss : new double[] {2.4, 2.1}) {
                InferenceOptimum optimum = InferenceOptimum.solveForLoss(LAW, targetLoss, inferenceTokens);
                double bestTotal = Double.POSITIVE_INFINITY;
                double bestN = Double.NaN;
                double bestD = Double.NaN;
                int nSteps = 20_000;
                int dSteps = 1 << 24;
                double logN0 = Math.log10(optimum.parameters()) - 2;
                double logD0 = Math.log10(optimum.tokens()) - 4;
                for (int i = 0; i <= nSteps; i++) {
                    double n = Math.pow(10, logN0 + 4.0 * i / nSteps);
                    int low = 0;
                    int high = dSteps;
                    if (LAW.loss(n, Math.pow(10, logD0 + 8.0)) > targetLoss) {
                        continue; // this N cannot reach L* on the grid
                    }
                    while (low < high) {
                        int mid = (low + high) >>> 1;
                        if (LAW.loss(n, Math.pow(10, logD0 + 8.0 * mid / dSteps)) <= targetLoss) {
                            high = mid;
                        } else {
                            low = mid + 1;
                        }
                    }
                    double d = Math.pow(10, logD0 + 8.0 * low / dSteps);
                    double total = 6 * n * d + 2 * n * inferenceTokens;
                    if (total < bestTotal) {
                        bestTotal = total;
                        bestN = n;
                        bestD = d;
                    }
                }
                String at = "T=" + inferenceTokens + ", L*=" + targetLoss + ": " + optimum;
                assertEquals(1.0, optimum.totalFlops() / bestTotal, 0.01, at);
                assertEquals(1.0, optimum.parameters() / bestN, 0.01, at);
                assertEquals(1.0, optimum.tokens() / bestD, 0.01, at);
                assertEquals(targetLoss, LAW.optimalLoss(optimum.budgetFlops()), 1e-9, "the budget whose compute-optimal"
                        + " model reaches L*");
            }
        }
    }

    @Test
    void aTargetLossAtOrBelowTheIrreducibleLossIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> InferenceOptimum.solveForLoss(LAW, LAW.e(), 1e12));
        assertThrows(IllegalArgumentException.class, () -> InferenceOptimum.solveForLoss(LAW, 2.2, -1));
    }
}
