package io.isoflop.fitter.fit;

/**
 * Whether one run's final loss went into its budget's parabola.
 *
 * @param reason why the point was excluded; null when it was used
 */
public record PointDecision(RunResult run, boolean excluded, String reason) {

    public static PointDecision used(RunResult run) {
        return new PointDecision(run, false, null);
    }

    public static PointDecision excluded(RunResult run, String reason) {
        return new PointDecision(run, true, reason);
    }
}
