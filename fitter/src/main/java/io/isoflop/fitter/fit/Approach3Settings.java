package io.isoflop.fitter.fit;

import java.io.Serializable;

/**
 * The named opinions of the Approach 3 fit. Serializable (with its {@link StartGrid}), so that a Spark bootstrap task
 * can carry them to its executors.
 *
 * @param huberDelta δ of the Huber loss on log-loss residuals (Epoch: 1e-3)
 * @param starts the grid of starting points (Epoch: {@link StartGrid#epoch()}, 4,500 starts)
 * @param minRuns fewest finished runs with a finite loss to fit at all; five parameters need more than five points
 *     to say anything, so fewer is reported instead of fitted
 * @param functionTolerance BFGS stops when one line search lowers the objective by at most this fraction of it
 * @param gradientTolerance BFGS stops when the directional derivative along its search direction is at most this
 * @param maxIterations BFGS steps (search directions plus line-search steps) allowed per start
 * @param nearBestTolerance a start "reached the best" when its objective is within this (absolute) of the best
 * @param parallel minimise the starts on a parallel stream (the common fork-join pool); the result does not
 *     depend on it
 * @param searchPoints the most points the search from every start runs on: a fit with more points searches on this
 *     many of them, spread evenly through (N, D), and then refines the {@code refinedMinima} best minima it found
 *     on all points (the cost of a start grows with the points; thousands of runs would otherwise cost minutes)
 * @param refinedMinima how many of the search's best distinct minima are refined on all points
 */
public record Approach3Settings(
        double huberDelta,
        StartGrid starts,
        int minRuns,
        double functionTolerance,
        double gradientTolerance,
        int maxIterations,
        double nearBestTolerance,
        boolean parallel,
        int searchPoints,
        int refinedMinima) implements Serializable {

    /** Epoch's data sets (≤ 250 points) and every sweep of a few hundred runs are searched on all points. */
    public static final int SEARCH_POINTS = 500;
    /** A resample's search: the full fit's optimum leads its starts, so fewer points tell the basins apart. */
    public static final int RESAMPLE_SEARCH_POINTS = 100;
    public static final int REFINED_MINIMA = 4;

    public Approach3Settings {
        if (!(huberDelta > 0)) {
            throw new IllegalArgumentException("huberDelta must be positive, got " + huberDelta);
        }
        if (minRuns < 1) {
            throw new IllegalArgumentException("minRuns must be at least 1, got " + minRuns);
        }
        if (!(functionTolerance >= 0) || !(gradientTolerance >= 0) || !(nearBestTolerance >= 0)) {
            throw new IllegalArgumentException("tolerances must not be negative");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        if (searchPoints < minRuns || refinedMinima < 1) {
            throw new IllegalArgumentException("searchPoints must be at least minRuns and refinedMinima at least 1,"
                    + " got " + searchPoints + " and " + refinedMinima);
        }
    }

    /** Epoch's recipe: Huber δ = 1e-3 on the sum, 4,500 starts; at least 5 runs; tight BFGS tolerances. */
    public static Approach3Settings defaults() {
        return new Approach3Settings(1e-3, StartGrid.epoch(), 5, 1e-12, 1e-12, 10_000, 1e-6, true, SEARCH_POINTS,
                REFINED_MINIMA);
    }

    /**
     * The settings of one bootstrap resample: these, but starting from {@code optimum} (the full fit's
     * {@code (logA, logB, logE, α, β)}; null when it has none) followed by {@link StartGrid#coarse()}'s 108 starts,
     * one start at a time (the resamples themselves run in parallel). On a resample of the same data the full fit's
     * optimum is near the resample's, and BFGS from it almost always lands there; the coarse grid guards against a
     * resample whose optimum lies in another basin. 109 starts instead of 4,500 make 1,000 resamples affordable.
     * With more than {@link #RESAMPLE_SEARCH_POINTS} runs the starts search on that many and the best minimum is
     * refined on all runs, so that a resample of thousands of runs costs about one local minimisation over them.
     */
    public Approach3Settings forResamples(double[] optimum) {
        StartGrid grid = optimum == null ? StartGrid.coarse() : StartGrid.coarse().withExtraStarts(optimum);
        return withStarts(grid).withParallel(false).withSearchPoints(Math.max(minRuns, RESAMPLE_SEARCH_POINTS))
                .withRefinedMinima(1);
    }

    public Approach3Settings withStarts(StartGrid grid) {
        return new Approach3Settings(huberDelta, grid, minRuns, functionTolerance, gradientTolerance, maxIterations,
                nearBestTolerance, parallel, searchPoints, refinedMinima);
    }

    public Approach3Settings withParallel(boolean parallelStarts) {
        return new Approach3Settings(huberDelta, starts, minRuns, functionTolerance, gradientTolerance, maxIterations,
                nearBestTolerance, parallelStarts, searchPoints, refinedMinima);
    }

    public Approach3Settings withRefinedMinima(int minima) {
        return new Approach3Settings(huberDelta, starts, minRuns, functionTolerance, gradientTolerance, maxIterations,
                nearBestTolerance, parallel, searchPoints, minima);
    }

    public Approach3Settings withSearchPoints(int points) {
        return new Approach3Settings(huberDelta, starts, minRuns, functionTolerance, gradientTolerance, maxIterations,
                nearBestTolerance, parallel, points, refinedMinima);
    }
}
