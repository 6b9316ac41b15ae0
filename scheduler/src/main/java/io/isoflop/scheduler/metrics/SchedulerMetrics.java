package io.isoflop.scheduler.metrics;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.List;

/**
 * The scheduler's Prometheus metric families, registered once per registry and shared by every sweep the
 * process drives (each sweep is a {@code sweep} label): runs by state, attempts started, failed and retried,
 * FLOPs planned, completed and remaining, the dispatch latency (from a run becoming ready to its attempt being
 * started), runs the cluster cannot place, sweeps stopped past their failure limit, Kubernetes API errors by
 * code and the reconcile duration.
 */
public final class SchedulerMetrics {
    final Gauge runs;
    final Gauge flopsPlanned;
    final Gauge flopsCompleted;
    final Gauge flopsRemaining;
    final Counter attemptsStarted;
    final Counter attemptsFailed;
    final Counter runsRetried;
    final Histogram dispatchLatency;
    final Gauge sweepStopped;
    private final Gauge runsUnschedulable;
    private final Counter apiErrors;
    private final Histogram reconcileDuration;

    public SchedulerMetrics(CollectorRegistry registry) {
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
        sweepStopped = Gauge.build("isoflop_sweep_stopped",
                "1 when the sweep stopped starting runs because too many failed for good.")
                .labelNames("sweep").register(registry);
        runsUnschedulable = Gauge.build("isoflop_runs_unschedulable",
                "Attempts whose pod the cluster cannot place (kube-scheduler says Unschedulable).")
                .labelNames("sweep").register(registry);
        apiErrors = Counter.build("isoflop_kubernetes_api_errors_total",
                "Failed Kubernetes API calls by HTTP status (\"io\" when no response came back).")
                .labelNames("code").register(registry);
        reconcileDuration = Histogram.build("isoflop_reconcile_duration_seconds",
                "Seconds one pass of the service's reconcile loop took.")
                .buckets(0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 60).register(registry);
    }

    /** An observer that keeps this sweep's series up to date as its runner reports. */
    public SweepObserver forSweep(String sweep, List<RunSpec> plan) {
        return new SweepMetrics(this, sweep, plan);
    }

    /** Counts a failed API call; {@code code} 0 (no HTTP response) is counted as "io". */
    public void apiError(int code) {
        apiErrors.labels(code == 0 ? "io" : Integer.toString(code)).inc();
    }

    public void unschedulable(String sweep, int attempts) {
        runsUnschedulable.labels(sweep).set(attempts);
    }

    public Histogram.Timer reconcileTimer() {
        return reconcileDuration.startTimer();
    }
}
