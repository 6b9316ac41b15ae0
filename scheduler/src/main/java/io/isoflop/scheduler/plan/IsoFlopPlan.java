package io.isoflop.scheduler.plan;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.RunSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * An IsoFLOP grid, fully resolved: one {@link RunSpec} per (budget, model size), budgets ascending, then N
 * ascending.
 *
 * @param specHash SHA-256 (hex) of the resolved spec, see {@link IsoFlopPlanner#specHash}
 * @param sweepDir the sweep's directory (absolute)
 * @param maxParallel how many runs may train at once
 */
public record IsoFlopPlan(String sweep, String specHash, Path sweepDir, int maxParallel, List<RunSpec> runs) {

    public IsoFlopPlan {
        runs = List.copyOf(runs);
    }

    /** Planned training FLOPs of all runs under their declared convention. */
    public double totalFlops() {
        return runs.stream().mapToDouble(RunSpec::plannedFlops).sum();
    }

    public long totalTokens() {
        return runs.stream().mapToLong(RunSpec::tokens).sum();
    }

    /** Where the workers write their metrics (the fitter's input): {@code <sweepDir>/metrics}. */
    public Path metricsDir() {
        return MetricsLayout.ofSweep(sweepDir);
    }

    /** Where the fit goes: {@code <sweepDir>/fit}. */
    public Path fitDir() {
        return sweepDir.resolve("fit");
    }

    /** The distinct budgets, ascending. */
    public List<Double> budgets() {
        return runs.stream().map(RunSpec::budgetFlops).distinct().sorted().toList();
    }
}
