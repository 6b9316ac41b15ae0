package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.metrics.MetricsEndpoint;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.plan.PlanConflictException;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.launch.k8s.ClusterConfig;
import io.isoflop.scheduler.launch.k8s.ClusterConfigLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.RetryPolicy;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepProgress;
import io.isoflop.scheduler.sweep.SweepResult;
import io.isoflop.scheduler.sweep.SweepRunner;
import io.isoflop.scheduler.sweep.SweepSetup;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {
            "Plan, train and fit. Every run of the grid is a worker process (at most limits.max_parallel at"
                    + " once), or with --backend kubernetes a Kubernetes Job; then the fitter writes frontier.json,"
                    + " frontier.csv, plots and report.html under <sweep.output>/<sweep.name>/fit.",
            "Safe to interrupt: running the same command again skips finished runs, follows attempts that are"
                    + " still going and restarts the others."
        })
final class SweepCommand implements Callable<Integer> {
    enum Backend { local, kubernetes, simulate }

    private static final RetryPolicy LOCAL_DEFAULTS = new RetryPolicy(3, RetryPolicy.NO_LIMIT, Duration.ofSeconds(5),
            Duration.ofMinutes(5));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    FitterOptions fitter;

    @Parameters(paramLabel = "SPEC", description = "the budget spec (YAML)")
    Path specFile;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "local",
            description = "where runs go: local (worker processes on this machine), kubernetes (Jobs; needs"
                    + " --cluster-config) or simulate (drawn in this process from the spec's simulate section)"
                    + " (default: ${DEFAULT-VALUE})")
    Backend backend;

    @Option(names = "--cluster-config", paramLabel = "FILE",
            description = "the installation's Kubernetes settings (see k8s/scheduler-config.yaml)")
    Path clusterConfig;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the pod's service account)")
    Path kubeconfig;

    @Option(names = "--max-parallel", paramLabel = "N", description = "override limits.max_parallel")
    Integer maxParallel;

    @Option(names = "--max-attempts", paramLabel = "N",
            description = "attempts per run before it counts as failed (default: what the sweep ran with before,"
                    + " else 3 or the cluster config's)")
    Integer maxAttempts;

    @Option(names = "--max-failed", paramLabel = "N",
            description = "start no new runs once more than N runs failed for good (default: no limit, or the"
                    + " cluster config's)")
    Integer maxFailed;

    @Option(names = "--retry-backoff", paramLabel = "SECONDS",
            description = "wait before the first retry of a run, doubled for each later one (default: 5, or the"
                    + " cluster config's)")
    Long retryBackoff;

    @Option(names = "--no-fit", description = "train the runs but do not start the fitter")
    boolean noFit;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "serve Prometheus metrics on this port at /metrics while the sweep runs (0: off)")
    int metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address the metrics endpoint binds to (default: ${DEFAULT-VALUE})")
    String metricsAddress;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "30",
            description = "print progress at least this often (default: ${DEFAULT-VALUE})")
    long heartbeatSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IsoFlopPlan plan;
        BudgetSpec budget;
        ClusterConfig cluster = null;
        try {
            budget = BudgetSpecLoader.load(specFile);
            plan = IsoFlopPlanner.plan(budget, budget.sweep().directory());
            if (backend == Backend.kubernetes) {
                if (clusterConfig == null) {
                    err.println("--backend kubernetes needs --cluster-config FILE (see k8s/scheduler-config.yaml)");
                    return ExitCodes.BAD_INPUT;
                }
                cluster = ClusterConfigLoader.load(clusterConfig);
            }
        } catch (SpecValidationException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (budget.adaptive() == null) {
            return drive(plan, cluster, !noFit, List.of());
        }
        if (noFit) {
            err.println("--no-fit: an adaptive sweep fits after every stage to decide the next one; leave it out");
            return ExitCodes.BAD_INPUT;
        }
        final ClusterConfig clusterConfig = cluster;
        try {
            return new AdaptiveSweep(budget, plan, out).run((stagePlan, fitOptions) -> drive(stagePlan, clusterConfig,
                    true, fitOptions));
        } catch (SpecValidationException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    /**
     * Runs every run of {@code plan} through the backend, then (with {@code fit}) the fitter with the command line's
     * fitter options and {@code fitOptions}; an exit code.
     */
    private int drive(IsoFlopPlan plan, ClusterConfig cluster, boolean fit, List<String> fitOptions)
            throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RetryPolicy retries;
        try {
            RetryPolicy defaults = SweepSetup.policy(new SweepStore(plan.sweepDir())).map(SweepPolicy::retries)
                    .orElse(cluster == null ? LOCAL_DEFAULTS : cluster.retries());
            retries = retries(defaults);
        } catch (IllegalArgumentException e) {
            err.println("isoflop: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        int parallel = maxParallel != null ? maxParallel : plan.maxParallel();
        if (parallel < 1) {
            err.println("--max-parallel must be at least 1");
            return ExitCodes.BAD_INPUT;
        }
        CollectorRegistry registry = new CollectorRegistry();
        SchedulerMetrics metrics = new SchedulerMetrics(registry);
        SweepBackend sweep;
        try {
            sweep = switch (backend) {
                case local -> LocalBackend.open(plan, specFile, SweepPolicy.local(parallel, retries));
                case simulate -> LocalBackend.simulated(plan, specFile, SweepPolicy.local(parallel, retries));
                case kubernetes -> KubernetesBackend.open(plan, cluster.launch(), KubernetesBackend.client(kubeconfig),
                        new ApiCalls(metrics::apiError), specFile,
                        SweepPolicy.kubernetes(cluster.launch().namespace(), parallel, retries));
            };
        } catch (SweepBackend.BusyException e) {
            err.println("isoflop: " + e.getMessage());
            return ExitCodes.BUSY;
        } catch (PlanConflictException | IllegalArgumentException | IllegalStateException e) {
            err.println("isoflop: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        OrderlyStop orderly = OrderlyStop.install();
        try (orderly; sweep) { // the sweep is let go of first, then a signal's exit may proceed
            out.printf(Locale.ROOT, "sweep %s: %d runs, %.2e FLOPs, up to %d in parallel (%s); directory %s%n",
                    plan.sweep(), plan.runs().size(), plan.totalFlops(), parallel, backend, plan.sweepDir());
            SweepProgress progress = new SweepProgress(out, plan.runs().size(), plan.totalFlops(),
                    plan.totalTokens());
            SweepResult result;
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(metricsAddress, metricsPort, registry)) {
                endpoint.address().ifPresent(a -> out.println("metrics: http://" + a + "/metrics"));
                SweepRunner runner = new SweepRunner(plan, sweep.store(), sweep.launcher(), parallel, retries,
                        SweepObserver.all(List.of(progress, metrics.forSweep(plan.sweep(), plan.runs()))),
                        Duration.ofSeconds(Math.max(1, heartbeatSeconds)));
                orderly.onSignal(() -> runner.stop(sweep.attemptsEndWithTheScheduler()));
                result = runner.run();
            }
            if (!result.complete()) {
                if (!result.failed().isEmpty()) {
                    out.println(result.failed().size() + " run(s) failed after every attempt: "
                            + String.join(", ", result.failed()) + "; each one's last log is named above");
                }
                result.stopped().ifPresent(reason -> out.println("stopped: " + reason));
                return ExitCodes.RUNS_FAILED;
            }
            if (!fit) {
                out.println("all runs done; fit later with: isoflop fit " + plan.sweepDir());
                return ExitCodes.OK;
            }
            List<String> options = new ArrayList<>(fitter.arguments());
            options.addAll(fitOptions);
            return FitStep.run(sweep.launcher(), FitInput.metrics(sweep.metricsLocation()).with(options),
                    sweep.fitTarget(), sweep.fitterLog(), out);
        }
    }

    /** The command line's retry options over the sweep's own (from an earlier start) or the backend's defaults. */
    private RetryPolicy retries(RetryPolicy defaults) {
        Duration first = retryBackoff != null ? Duration.ofSeconds(retryBackoff) : defaults.firstBackoff();
        Duration max = first.compareTo(defaults.maxBackoff()) > 0 ? first : defaults.maxBackoff();
        return new RetryPolicy(maxAttempts != null ? maxAttempts : defaults.maxAttempts(),
                maxFailed != null ? maxFailed : defaults.maxFailedRuns(), first, max);
    }
}
