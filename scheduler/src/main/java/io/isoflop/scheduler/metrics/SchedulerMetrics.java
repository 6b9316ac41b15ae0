package io.isoflop.scheduler.metrics;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.store.RunPhase;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scheduler's Prometheus metrics for one sweep, kept up to date by listening to the sweep runner: runs by
 * state, attempts started, failed and retried, FLOPs planned, completed and remaining, and the dispatch latency
 * (from a run becoming ready to its attempt being started).
 */
public final class SchedulerMetrics implements SweepObserver {
    private final String sweep;
    private final Map<RunPhase, Integer> runsByState = new EnumMap<>(RunPhase.class);
    private final Gauge runs;
    private final Gauge flopsPlanned;
    private final Gauge flopsCompleted;
    private final Gauge flopsRemaining;
    private final Counter attemptsStarted;
    private final Counter attemptsFailed;
    private final Counter runsRetried;
    private final Histogram dispatchLatency;
    private double completed;
    private final double planned;

    public SchedulerMetrics(CollectorRegistry registry, String sweep, List<RunSpec> plan) {
        this.sweep = sweep;
        runs = Gauge.build("isoflop_runs", "Runs of the sweep by state.")
                .labelNames("sweep", "state").register(registry);
        flopsPlanned = Gauge.build("isoflop_flops_planned", "Training FLOPs of every run of the sweep.")
                .labelNames("sweep").register(registry);
        flopsCompleted = Gauge.build("isoflop_flops_completed", "Training FLOPs of the runs that finished.")
                .labelNames("sweep").register(registry);
        flopsRemaining = Gauge.build("isoflop_flops_remaining", "Training FLOPs of the runs not finished yet.")
                .labelNames("sweep").register(registry);
        attemptsStarted = Counter.build("isoflop_attempts_started_total",
                "Run attempts started (local worker processes or Kubernetes Jobs created).")
                .labelNames("sweep").register(registry);
        attemptsFailed = Counter.build("isoflop_attempts_failed_total", "Run attempts that ended without final metrics.")
                .labelNames("sweep").register(registry);
        runsRetried = Counter.build("isoflop_runs_retried_total", "Failed attempts that were queued again.")
                .labelNames("sweep").register(registry);
        dispatchLatency = Histogram.build("isoflop_dispatch_latency_seconds",
                "Seconds from a run becoming ready to its attempt being started.")
                .labelNames("sweep").buckets(0.01, 0.1, 1, 10, 60, 300, 1800, 7200).register(registry);
        planned = plan.stream().mapToDouble(RunSpec::plannedFlops).sum();
        runsByState.put(RunPhase.PENDING, plan.size());
        flopsPlanned.labels(sweep).set(planned);
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
    public void started(RunSpec run, double waitedSeconds) {
        move(RunPhase.PENDING, RunPhase.RUNNING);
        attemptsStarted.labels(sweep).inc();
        dispatchLatency.labels(sweep).observe(waitedSeconds);
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
        attemptsFailed.labels(sweep).inc();
        runsRetried.labels(sweep).inc();
        publish();
    }

    @Override
    public void failed(RunSpec run, String log) {
        // a run counted failed at start-up never ran in this process: it leaves PENDING
        move(log == null ? RunPhase.PENDING : RunPhase.RUNNING, RunPhase.FAILED);
        if (log != null) {
            attemptsFailed.labels(sweep).inc();
        }
        publish();
    }

    private void move(RunPhase from, RunPhase to) {
        runsByState.merge(from, -1, Integer::sum);
        runsByState.merge(to, 1, Integer::sum);
    }

    private void publish() {
        for (RunPhase phase : RunPhase.values()) {
            runs.labels(sweep, phase.name().toLowerCase(Locale.ROOT)).set(runsByState.getOrDefault(phase, 0));
        }
        flopsCompleted.labels(sweep).set(completed);
        flopsRemaining.labels(sweep).set(planned - completed);
    }
}
