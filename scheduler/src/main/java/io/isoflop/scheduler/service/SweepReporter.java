package io.isoflop.scheduler.service;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.sweep.SweepObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link SweepDriver} tells what its sweep is doing besides the sweep's ConfigMap: the runs as they go (a
 * {@link SweepObserver}), each phase with a CamelCase reason, the fit when it is there, and the attempts the
 * cluster cannot place.
 */
interface SweepReporter extends SweepObserver {
    SweepReporter NONE = new SweepReporter() { };

    default void phase(SweepStatus.Phase phase, String reason, String detail) {}

    /** The fit exists: its target and the frontier file here. */
    default void fitted(FitTarget target, Path frontier) {}

    /** Attempts that the cluster cannot place right now, by Job name, with kube-scheduler's reason. */
    default void unschedulable(Map<String, String> stuck) {}

    /** The runs the drive covers. */
    default void planned(List<RunSpec> runs) {}
}
