package io.isoflop.fitter.fit;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The Cartesian grid of starting points for the multi-start Approach 3 fit, in the parameter order of
 * {@link HuberLogLossObjective} ({@code logA, logB, logE, α, β}).
 *
 * <p>Starts are numbered as Epoch's {@code itertools.product(alpha, beta, e, a, b)} enumerates them: α varies
 * slowest, {@code logB} fastest, so start {@code i} here is start {@code i} of the reference notebook. A grid may
 * also carry explicit starts ({@link #withExtraStarts}), numbered before the Cartesian ones.
 */
public final class StartGrid implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Enumeration order, slowest first. */
    private static final int[] ORDER = {
        HuberLogLossObjective.ALPHA, HuberLogLossObjective.BETA, HuberLogLossObjective.LOG_E,
        HuberLogLossObjective.LOG_A, HuberLogLossObjective.LOG_B,
    };

    private final double[][] values = new double[HuberLogLossObjective.DIMENSION][];
    private final double[][] extra;
    private final int size;

    /** Each argument lists the values one parameter takes; every list must be non-empty. */
    public StartGrid(double[] logA, double[] logB, double[] logE, double[] alpha, double[] beta) {
        this(new double[0][], logA, logB, logE, alpha, beta);
    }

    private StartGrid(double[][] extra, double[] logA, double[] logB, double[] logE, double[] alpha, double[] beta) {
        this.extra = new double[extra.length][];
        for (int i = 0; i < extra.length; i++) {
            if (extra[i].length != HuberLogLossObjective.DIMENSION) {
                throw new IllegalArgumentException("a start has " + HuberLogLossObjective.DIMENSION + " values, got "
                        + extra[i].length);
            }
            this.extra[i] = extra[i].clone();
        }
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
        this.size = Math.addExact(product, extra.length);
    }

    /**
     * The starts of this grid with {@code starts} before them, e.g. a previous fit's optimum: start {@code i <
     * starts.length} is {@code starts[i]}, and the Cartesian starts follow.
     */
    public StartGrid withExtraStarts(double[]... starts) {
        double[][] all = new double[extra.length + starts.length][];
        System.arraycopy(starts, 0, all, 0, starts.length);
        System.arraycopy(extra, 0, all, starts.length, extra.length);
        return new StartGrid(all, values[HuberLogLossObjective.LOG_A], values[HuberLogLossObjective.LOG_B],
                values[HuberLogLossObjective.LOG_E], values[HuberLogLossObjective.ALPHA],
                values[HuberLogLossObjective.BETA]);
    }

    /**
     * The coarse grid of a bootstrap resample, 108 starts: α, β ∈ {0.5, 1.5}, logE ∈ {−1, 0, 1},
     * logA, logB ∈ {0, 10, 20}; every other value of Epoch's grid on each axis, with {@link #withExtraStarts} the
     * full fit's optimum in front of it (see {@link Approach3Settings#forResamples}).
     */
    public static StartGrid coarse() {
        double[] scales = {0, 10, 20};
        double[] exponents = {0.5, 1.5};
        return new StartGrid(scales, scales, new double[] {-1, 0, 1}, exponents, exponents);
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
        if (index < extra.length) {
            System.arraycopy(extra[index], 0, into, 0, HuberLogLossObjective.DIMENSION);
            return;
        }
        int rest = index - extra.length;
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
        return "StartGrid" + Arrays.deepToString(values) + (extra.length == 0 ? "" : " + " + Arrays.deepToString(extra))
                + " (" + size + " starts)";
    }
}
