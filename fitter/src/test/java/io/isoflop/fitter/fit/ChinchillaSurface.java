package io.isoflop.fitter.fit;

import java.util.List;
import java.util.Random;

/**
 * The synthetic data set of the Approach 3 checks (and of {@code bench/approach3_vs_scipy.sh}): Chinchilla's
 * published law on a 10 × 10 grid, N log-spaced from 1e7 to 1e10 and D from 1e8 to 1e11.
 */
public final class ChinchillaSurface {
    public static final KnownLaw LAW = KnownLaw.CHINCHILLA_PUBLISHED;
    public static final int SIZES = 10;
    public static final double ONE_PERCENT = 0.01;
    public static final long SEED = 20240416;

    private ChinchillaSurface() {}

    /** The 100 points with multiplicative Gaussian noise of relative size {@code relativeNoise}, fixed seed. */
    public static List<RunResult> points(double relativeNoise) {
        return LAW.surface(SIZES, 1e7, 1e10, SIZES, 1e8, 1e11, relativeNoise, new Random(SEED));
    }
}
