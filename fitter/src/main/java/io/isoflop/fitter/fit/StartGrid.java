package io.isoflop.fitter.fit;

import java.util.Arrays;

/**
 * The Cartesian grid of starting points for the multi-start Approach 3 fit, in the parameter order of
 * {@link HuberLogLossObjective} ({@code logA, logB, logE, α, β}).
 *
 * <p>Starts are numbered as Epoch's {@code itertools.product(alpha, beta, e, a, b)} enumerates them: α varies
 * slowest, {@code logB} fastest, so start {@code i} here is start {@code i} of the reference notebook.
 */
public final class StartGrid {
    /** Enumeration order, slowest first. */
    private static final int[] ORDER = {
        HuberLogLossObjective.ALPHA, HuberLogLossObjective.BETA, HuberLogLossObjective.LOG_E,
        HuberLogLossObjective.LOG_A, HuberLogLossObjective.LOG_B,
    };

    private final double[][] values = new double[HuberLogLossObjective.DIMENSION][];
    private final int size;

    /** Each argument lists the values one parameter takes; every list must be non-empty. */
    public StartGrid(double[] logA, double[] logB, double[] logE, double[] alpha, double[] beta) {
        values[HuberLogLossObjective.LOG_A] = logA.clone();
        values[HuberLogLossObjective.LOG_B] = logB.clone();
        values[HuberLogLossObjective.LOG_E] = logE.clone();
        values[HuberLogLossObjective.ALPHA] = alpha.clone();
        values[HuberLogLossObjective.BETA] = beta.clone();
        int product = 1;
        for (double[] axis : values) {
            if (axis.length == 0) {
                throw new IllegalArgumentException("every parameter needs at least one start value");
            }
            product = Math.multiplyExact(product, axis.length);
        }
        this.size = product;
    }

    /**
     * Epoch's grid (Besiroglu et al. 2024), 4,500 starts: α, β ∈ {0, 0.5, …, 2}, logE ∈ {−1, −0.5, …, 1},
     * logA, logB ∈ {0, 5, …, 25}.
     */
    public static StartGrid epoch() {
        double[] exponents = {0, 0.5, 1, 1.5, 2};
        double[] scales = {0, 5, 10, 15, 20, 25};
        return new StartGrid(scales, scales, new double[] {-1, -0.5, 0, 0.5, 1}, exponents, exponents);
    }

    /** A grid of the single start {@code x}. */
    public static StartGrid single(double[] x) {
        return new StartGrid(
                new double[] {x[HuberLogLossObjective.LOG_A]},
                new double[] {x[HuberLogLossObjective.LOG_B]},
                new double[] {x[HuberLogLossObjective.LOG_E]},
                new double[] {x[HuberLogLossObjective.ALPHA]},
                new double[] {x[HuberLogLossObjective.BETA]});
    }

    public int size() {
        return size;
    }

    /** Writes start {@code index} into {@code into} (length {@link HuberLogLossObjective#DIMENSION}). */
    public void start(int index, double[] into) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("start " + index + " of " + size);
        }
        int rest = index;
        for (int k = ORDER.length - 1; k >= 0; k--) {
            double[] axis = values[ORDER[k]];
            into[ORDER[k]] = axis[rest % axis.length];
            rest /= axis.length;
        }
    }

    /** Start {@code index} as a new array. */
    public double[] start(int index) {
        double[] x = new double[HuberLogLossObjective.DIMENSION];
        start(index, x);
        return x;
    }

    @Override
    public String toString() {
        return "StartGrid" + Arrays.deepToString(values) + " (" + size + " starts)";
    }
}
