package io.isoflop.scheduler.cli;

import io.isoflop.contracts.ProcessLock;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.local.LocalProcessLauncher;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.metrics.MetricsEndpoint;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.isoflop.scheduler.sweep.SweepProgress;
import io.isoflop.scheduler.sweep.SweepResult;
import io.isoflop.scheduler.sweep.SweepRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
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
                    + " once); then the fitter writes frontier.json, frontier.csv, plots and report.html under"
                    + " <sweep.output>/<sweep.name>/fit.",
            "Safe to interrupt: running the same command again skips finished runs and restarts the others."
        })
final class SweepCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SPEC", description = "the budget spec (YAML)")
    Path specFile;

    @Option(names = "--max-parallel", paramLabel = "N", description = "override limits.max_parallel")
    Integer maxParallel;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "attempts per run before it counts as failed (default: ${DEFAULT-VALUE})")
    int maxAttempts;

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
        try {
            BudgetSpec budget = BudgetSpecLoader.load(specFile);
            plan = IsoFlopPlanner.plan(budget, budget.sweep().directory());
        } catch (SpecValidationException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        int parallel = maxParallel != null ? maxParallel : plan.maxParallel();
        if (parallel < 1 || maxAttempts < 1) {
            err.println("--max-parallel and --max-attempts must be at least 1");
            return ExitCodes.BAD_INPUT;
        }
        SweepStore store = new SweepStore(plan.sweepDir());
        ProcessLock lock;
        try {
            lock = store.lock();
        } catch (IOException e) {
            err.println("isoflop: " + e.getMessage());
            return ExitCodes.BUSY;
        }
        try (lock) {
            SweepSetup.bind(plan, store, specFile);
            LocalProcessLauncher launcher = Backends.local(store);
            Thread stopWorkers = new Thread(launcher::stopAll, "isoflop-stop-workers");
            Runtime.getRuntime().addShutdownHook(stopWorkers);
            out.printf(Locale.ROOT, "sweep %s: %d runs, %.2e FLOPs, up to %d in parallel; directory %s%n",
                    plan.sweep(), plan.runs().size(), plan.totalFlops(), parallel, store.sweepDir());
            SweepProgress progress = new SweepProgress(out, plan.runs().size(), plan.totalFlops(),
                    plan.totalTokens());
            CollectorRegistry registry = new CollectorRegistry();
            SchedulerMetrics metrics = new SchedulerMetrics(registry, plan.sweep(), plan.runs());
            SweepResult result;
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(metricsAddress, metricsPort, registry)) {
                endpoint.address().ifPresent(a -> out.println("metrics: http://" + a + "/metrics"));
                result = new SweepRunner(plan, store, launcher, parallel, maxAttempts,
                        SweepObserver.all(List.of(progress, metrics)),
                        Duration.ofSeconds(Math.max(1, heartbeatSeconds))).run();
            }
            Runtime.getRuntime().removeShutdownHook(stopWorkers);
            if (!result.complete()) {
                out.println(result.failed().size() + " run(s) failed after every attempt: "
                        + String.join(", ", result.failed()) + "; logs are in " + store.sweepDir().resolve("runs"));
                return ExitCodes.RUNS_FAILED;
            }
            if (noFit) {
                out.println("all runs done; fit later with: isoflop fit " + store.sweepDir());
                return ExitCodes.OK;
            }
            return FitStep.run(launcher, FitInput.metrics(store.metricsDir()), store.fitDir(), out);
        } catch (IllegalStateException e) {
            err.println("isoflop: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
