package io.isoflop.scheduler.service;

import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.FitterRun;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.launch.k8s.KubernetesLaunchConfig;
import io.isoflop.scheduler.launch.k8s.KubernetesSweep;
import io.isoflop.scheduler.launch.k8s.SweepLease;
import io.isoflop.scheduler.plan.PlanConflictException;
import io.isoflop.scheduler.launch.k8s.SweepConfigMap;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.RetryPolicy;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepProgress;
import io.isoflop.scheduler.sweep.SweepResult;
import io.isoflop.scheduler.sweep.SweepRunner;
import io.isoflop.scheduler.sweep.SweepSetup;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import io.isoflop.scheduler.service.SweepStatus.Phase;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drives one sweep of the service to its end: every run through {@link SweepRunner} on Kubernetes Jobs, then the
 * fitter Job, writing where it stands into the sweep's ConfigMap ({@code status}: running, fitting, done,
 * stopped or failed, with the reason). Started again (a restarted service, a new pod), it picks up where the
 * API server and the shared volume say the sweep is: finished runs are not run again, and a fit that exists is
 * not redone.
 */
final class SweepDriver implements Runnable {

    private final ApiClient client;
    private final KubernetesLaunchConfig config;
    private final RetryPolicy retries;
    private final IsoFlopPlan plan;
    private final SchedulerMetrics metrics;
    private final ApiCalls api;
    private final PrintWriter out;
    private final Duration heartbeat;
    private final Consumer<String> onOpenFailure;
    private final V1OwnerReference parent;
    private final SweepReporter reporter;
    private volatile KubernetesSweep sweep;
    private volatile boolean retryable;

    /**
     * @param onOpenFailure told why, when the sweep cannot even be opened (it has no ConfigMap to say it in)
     * @param parent the object that owns the sweep's ConfigMap and Jobs (its IsoFlopSweep), or null: the ConfigMap
     *     owns the Jobs
     * @param reporter told the runs, phases and fit as they come
     */
    SweepDriver(ApiClient client, KubernetesLaunchConfig config, RetryPolicy retries, IsoFlopPlan plan,
            SchedulerMetrics metrics, PrintWriter out, Duration heartbeat, Consumer<String> onOpenFailure,
            V1OwnerReference parent, SweepReporter reporter) {
        this.onOpenFailure = onOpenFailure;
        this.parent = parent;
        this.reporter = reporter;
        this.client = client;
        this.config = config;
        this.retries = retries;
        this.plan = plan;
        this.metrics = metrics;
        this.api = new ApiCalls(metrics::apiError);
        this.out = out;
        this.heartbeat = heartbeat;
    }

    String sweepName() {
        return plan.sweep();
    }

    /** The drive ended on an error that a later try may not meet (API server unreachable, volume not mounted). */
    boolean retryable() {
        return retryable;
    }

    /** Attempts the cluster cannot place right now, by Job name, with kube-scheduler's reason. */
    Map<String, String> unschedulable() {
        KubernetesSweep current = sweep;
        return current == null ? Map.of() : current.launcher().unschedulable();
    }

    @Override
    public void run() {
        SweepPolicy policy = SweepPolicy.kubernetes(config.namespace(), plan.maxParallel(), retries);
        Optional<SweepLease> lease;
        try {
            lease = SweepLease.tryAcquire(client, api, config.namespace(), plan.sweep(),
                    SweepLease.thisProcess());
        } catch (IOException e) {
            retryable = true;
            out.println("sweep " + plan.sweep() + ": " + e.getMessage());
            return;
        }
        if (lease.isEmpty()) {
            retryable = true; // tried again later: the other scheduler may stop
            out.println("sweep " + plan.sweep() + ": another scheduler holds its Lease " + config.namespace() + "/"
                    + SweepLease.nameOf(plan.sweep()) + "; not driven from here while it does");
            return;
        }
        try (SweepLease held = lease.get(); KubernetesSweep opened = open(policy)) {
            sweep = opened;
            reporter.planned(plan.runs());
            status(opened.sweepMap(), Phase.Running, "RunsInFlight", plan.runs().size() + " runs");
            SweepProgress progress = new SweepProgress(out, plan.runs().size(), plan.totalFlops(),
                    plan.totalTokens());
            SweepResult result = new SweepRunner(plan, opened.store(), opened.launcher(), plan.maxParallel(), retries,
                    SweepObserver.all(List.of(progress, metrics.forSweep(plan.sweep(), plan.runs()), reporter)),
                    heartbeat).run();
            if (result.stopped().isPresent()) {
                status(opened.sweepMap(), Phase.Stopped, "TooManyRunsFailed", result.stopReason());
                return;
            }
            if (!result.complete()) {
                status(opened.sweepMap(), Phase.Failed, "RunsFailed", result.failed().size()
                        + " run(s) failed after every attempt: " + String.join(", ", result.failed()));
                return;
            }
            fit(opened);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("sweep " + plan.sweep() + ": stopped following (its Jobs go on)");
        } catch (IOException | RuntimeException e) {
            retryable = e instanceof IOException && !(e instanceof PlanConflictException);
            out.println("sweep " + plan.sweep() + ": " + e.getMessage());
            writeFailure(e);
        } finally {
            sweep = null;
        }
    }

    /** Binds the plan and policy to the sweep directory on the shared volume and to the sweep's ConfigMap. */
    private KubernetesSweep open(SweepPolicy policy) throws IOException {
        SweepSetup.bind(plan, policy, new SweepStore(plan.sweepDir()), null);
        return KubernetesSweep.open(client, config, plan, api, policy, parent);
    }

    private void fit(KubernetesSweep opened) throws IOException, InterruptedException {
        FitTarget target = plan.fitTarget();
        if (!Files.exists(target.frontier())) { // on an object store: the stored frontier, fetched
            status(opened.sweepMap(), Phase.Fitting, "AllRunsDone", "all " + plan.runs().size()
                    + " runs done; the fitter Job runs");
            FitterRun fit = FitterRun.await(opened.launcher(), FitInput.metrics(plan.metricsLocation()), target);
            if (!fit.succeeded()) {
                status(opened.sweepMap(), Phase.Failed, "FitterFailed", "the fitter failed (exit " + fit.exitCode()
                        + "); see kubectl logs job/" + fit.name());
                return;
            }
        }
        reporter.fitted(target, target.frontier());
        status(opened.sweepMap(), Phase.Done, "Fitted", "frontier " + target.output() + "/" + FitterRun.FRONTIER_FILE
                + ", report " + target.report());
    }

    /**
     * Writes the phase into the sweep's ConfigMap (in lower case: "running: 20 runs") and tells the reporter, with a
     * CamelCase reason.
     */
    private void status(SweepConfigMap map, Phase phase, String reason, String detail) throws IOException {
        String name = phase.name().toLowerCase(Locale.ROOT);
        out.println("sweep " + plan.sweep() + ": " + name + " (" + detail + ")");
        map.write(Map.of(SweepConfigMap.KEY_STATUS, name + ": " + detail));
        reporter.phase(phase, reason, detail);
    }

    private void writeFailure(Exception cause) {
        KubernetesSweep current = sweep;
        if (current == null) {
            onOpenFailure.accept(cause.getMessage());
            reporter.phase(Phase.Failed, "CannotOpen", cause.getMessage());
            return;
        }
        try {
            status(current.sweepMap(), Phase.Failed, "Error", cause.getMessage());
        } catch (IOException e) {
            out.println("sweep " + plan.sweep() + ": cannot write its status: " + e.getMessage());
        }
    }
}
