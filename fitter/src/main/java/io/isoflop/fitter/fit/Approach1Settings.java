package io.isoflop.fitter.fit;

import java.io.Serializable;

/**
 * The named opinions of Approach 1. Serializable, so that a Spark bootstrap task can carry them to its executors.
 *
 * @param pointsPerDecade log-spaced compute values per decade of C at which the envelope is taken (Hoffmann et al.
 *     used 1,500 values over their whole range; 20 per decade resolves every switch between runs of a
 *     small sweep without pretending to more independent points than the runs give)
 * @param minSizes distinct model sizes that must reach a compute value for its envelope point to be used: with
 *     fewer the winner is necessarily at an edge
 */
public record Approach1Settings(int pointsPerDecade, int minSizes) implements Serializable {
    public Approach1Settings {
        if (pointsPerDecade < 1) {
            throw new IllegalArgumentException("pointsPerDecade must be at least 1, got " + pointsPerDecade);
        }
        if (minSizes < 3) {
            throw new IllegalArgumentException("minSizes must be at least 3 (an interior size needs two"
                    + " neighbours), got " + minSizes);
        }
    }

    public static Approach1Settings defaults() {
        return new Approach1Settings(20, 3);
    }
}
