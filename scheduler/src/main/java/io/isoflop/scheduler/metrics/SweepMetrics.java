package io.isoflop.scheduler.metrics;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.store.RunPhase;
import io.isoflop.scheduler.sweep.SweepObserver;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One sweep's series of the {@link SchedulerMetrics} families, moved as the sweep runner reports. */
final class SweepMetrics implements SweepObserver {
    private final SchedulerMetrics families;
    private final String sweep;
    private final Map<RunPhase, Integer> runsByState = new EnumMap<>(RunPhase.class);
    private final double planned;
    private double completed;

    SweepMetrics(SchedulerMetrics families, String sweep, List<RunSpec> plan) {
        this.families = families;
        this.sweep = sweep;
        planned = plan.stream().mapToDouble(RunSpec::plannedFlops).sum();
        runsByState.put(RunPhase.PENDING, plan.size());
        families.flopsPlanned.labels(sweep).set(planned);
        families.sweepStopped.labels(sweep).set(0);
        publish();
    }

    @Override
    public void alreadyDone(RunSpec run) {
        move(RunPhase.PENDING, RunPhase.SUCCEEDED);
        completed += run.plannedFlops();
        publish();
    }

    @Override
    public void following(RunSpec run) {
        move(RunPhase.PENDING, RunPhase.RUNNING);
        publish();
    }

    @Override
    public void lost(RunSpec run) {
        families.attemptsFailed.labels(sweep).inc();
    }

    @Override
    public void started(RunSpec run, double waitedSeconds) {
        move(RunPhase.PENDING, RunPhase.RUNNING);
        families.attemptsStarted.labels(sweep).inc();
        families.dispatchLatency.labels(sweep).observe(waitedSeconds);
        publish();
    }

    @Override
    public void succeeded(RunSpec run) {
        move(RunPhase.RUNNING, RunPhase.SUCCEEDED);
        completed += run.plannedFlops();
        publish();
    }

    @Override
    public void retrying(RunSpec run, String log) {
        move(RunPhase.RUNNING, RunPhase.PENDING);
        families.attemptsFailed.labels(sweep).inc();
        families.runsRetried.labels(sweep).inc();
        publish();
    }

    @Override
    public void failed(RunSpec run, String log) {
        // a run counted failed at start-up never ran in this process: it leaves PENDING
        move(log == null ? RunPhase.PENDING : RunPhase.RUNNING, RunPhase.FAILED);
        if (log != null) {
            families.attemptsFailed.labels(sweep).inc();
        }
        publish();
    }

    @Override
    public void stopped(String reason) {
        families.sweepStopped.labels(sweep).set(1);
    }

    private void move(RunPhase from, RunPhase to) {
        runsByState.merge(from, -1, Integer::sum);
        runsByState.merge(to, 1, Integer::sum);
    }

    private void publish() {
        for (RunPhase phase : RunPhase.values()) {
            families.runs.labels(sweep, phase.name().toLowerCase(Locale.ROOT))
                    .set(runsByState.getOrDefault(phase, 0));
        }
        families.flopsCompleted.labels(sweep).set(completed);
        families.flopsRemaining.labels(sweep).set(planned - completed);
    }
}
