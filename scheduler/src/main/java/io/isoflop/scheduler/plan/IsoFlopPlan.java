package io.isoflop.scheduler.plan;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.scheduler.launch.FitTarget;
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

    /**
     * Where the workers keep their metrics (the fitter's input), as every run spec names it: {@code <sweepDir>/metrics},
     * or {@code s3://bucket/prefix/<sweep>/metrics} for a sweep whose output is on an object store.
     */
    public String metricsLocation() {
        return runs.isEmpty() ? MetricsLayout.ofSweep(sweepDir).toString() : runs.get(0).metricsDir();
    }

    /** This machine's copy of the fit: {@code <sweepDir>/fit}. */
    public Path fitDir() {
        return sweepDir.resolve("fit");
    }

    /** Where the fit goes: {@link #fitDir()}, or {@code …/<sweep>/fit} beside the metrics on an object store. */
    public FitTarget fitTarget() {
        String metrics = metricsLocation();
        if (!ObjectStore.isObjectStore(metrics)) {
            return FitTarget.directory(fitDir());
        }
        return new FitTarget(besideMetrics("fit").uri(), fitDir());
    }

    /**
     * For a sweep on an object store, {@code relative} under its prefix beside the metrics:
     * {@code s3://bucket/prefix/<sweep>/<relative>}.
     *
     * @throws IllegalArgumentException when the sweep's metrics are not on an object store
     */
    public ObjectStore.Location besideMetrics(String relative) {
        ObjectStore.Location location = ObjectStore.parse(metricsLocation());
        String sweepKey = location.key().substring(0, location.key().length() - MetricsLayout.METRICS_DIR.length());
        return new ObjectStore.Location(location.bucket(), sweepKey + relative);
    }

    /** The distinct budgets, ascending. */
    public List<Double> budgets() {
        return runs.stream().map(RunSpec::budgetFlops).distinct().sorted().toList();
    }
}
