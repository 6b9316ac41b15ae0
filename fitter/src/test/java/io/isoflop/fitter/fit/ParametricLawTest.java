package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParametricLawTest {
    private static final KnownLaw TRUTH = KnownLaw.CHINCHILLA_PUBLISHED;
    private static final ParametricLaw LAW =
            new ParametricLaw(TRUTH.e(), TRUTH.a(), TRUTH.b(), TRUTH.alpha(), TRUTH.beta());

    @Test
    void derivedExponentsAndGFollowChinchillasFormulas() {
        assertEquals(0.28 / 0.62, LAW.exponentA(), 1e-15);
        assertEquals(0.34 / 0.62, LAW.exponentB(), 1e-15);
        assertEquals(1, LAW.exponentA() + LAW.exponentB(), 1e-15);
        assertEquals(Math.pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62), LAW.g(), 1e-12);
        assertEquals(TRUTH.optimalParameters(1e21), LAW.optimalParameters(1e21), 1e-9 * LAW.optimalParameters(1e21));
    }

    @Test
    void optimalAllocationSpendsTheBudgetAndMinimisesTheLossOnIt() {
        for (double c : new double[] {1e18, 5.76e23, 1e26}) {
            double n = LAW.optimalParameters(c);
            double d = LAW.optimalTokens(c);
            assertEquals(c, 6 * n * d, 1e-9 * c, "C = 6 N_opt D_opt");
            double best = LAW.optimalLoss(c);
            assertEquals(LAW.loss(n, d), best, 1e-15);
            for (double factor : new double[] {0.8, 0.95, 1.05, 1.25}) {
                double other = LAW.loss(n * factor, c / (6 * n * factor));
                assertTrue(other > best, "N = " + factor + "·N_opt at C=" + c + " has loss " + other + " ≤ " + best);
            }
        }
    }

    @Test
    void fromLogParametersExponentiatesTheScales() {
        double[] x = new double[HuberLogLossObjective.DIMENSION];
        x[HuberLogLossObjective.LOG_A] = Math.log(406.4);
        x[HuberLogLossObjective.LOG_B] = Math.log(410.7);
        x[HuberLogLossObjective.LOG_E] = Math.log(1.69);
        x[HuberLogLossObjective.ALPHA] = 0.34;
        x[HuberLogLossObjective.BETA] = 0.28;

        ParametricLaw law = ParametricLaw.fromLogParameters(x);

        assertEquals(1.69, law.e(), 1e-12);
        assertEquals(406.4, law.a(), 1e-10);
        assertEquals(410.7, law.b(), 1e-10);
        assertEquals(0.34, law.alpha());
        assertEquals(0.28, law.beta());
    }

    @Test
    void withoutPositiveExponentsThereIsNoOptimalAllocation() {
        ParametricLaw flatInN = new ParametricLaw(1.7, 400, 400, 0, 0.3);

        assertFalse(flatInN.hasOptimalAllocation());
        assertTrue(Double.isNaN(flatInN.exponentA()));
        assertTrue(Double.isNaN(flatInN.g()));
        assertTrue(Double.isNaN(flatInN.optimalParameters(1e20)));
        assertEquals(1.7 + 400 + 400 / Math.pow(1e9, 0.3), flatInN.loss(1e8, 1e9), 1e-9, "the loss is still defined");
    }
}
