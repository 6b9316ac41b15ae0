package io.isoflop.fitter.fit;

import java.util.List;

/**
 * The IsoFLOP profile of one budget: every point with its decision, the parabola of loss against log10(N)
 * through the kept points, and its vertex.
 *
 * @param budgetFlops the nominal budget C
 * @param points every run of the budget, ordered by N
 * @param parabola loss = a·x² + b·x + c with x = log10(N); null when too few points remained to fit one
 * @param vertex the parabola's minimum; null when there is no parabola or it opens downwards
 * @param sampledMinParameters smallest N among the kept points (NaN if none)
 * @param sampledMaxParameters largest N among the kept points (NaN if none)
 * @param insideSampledRange whether the vertex lies within [sampledMin, sampledMax]; false without a vertex
 * @param usedInPowerLaw whether the vertex enters the N_opt and D_opt power laws
 * @param reason why the budget is not used; null when it is
 */
public record BudgetProfile(
        double budgetFlops,
        List<PointDecision> points,
        Parabola parabola,
        Vertex vertex,
        double sampledMinParameters,
        double sampledMaxParameters,
        boolean insideSampledRange,
        boolean usedInPowerLaw,
        String reason) {

    public BudgetProfile {
        points = List.copyOf(points);
    }

    public List<PointDecision> keptPoints() {
        return points.stream().filter(p -> !p.excluded()).toList();
    }

    public List<PointDecision> excludedPoints() {
        return points.stream().filter(PointDecision::excluded).toList();
    }
}
