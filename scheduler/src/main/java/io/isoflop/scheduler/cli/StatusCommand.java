package io.isoflop.scheduler.cli;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitterRun;
import io.isoflop.scheduler.launch.k8s.KubernetesSweep;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.plan.PlanTable;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunPhase;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.MetricsStore;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show each run of a sweep directory: pending, running, succeeded (final metrics written) or"
                + " failed, with its attempts; and whether the fit exists.",
            "Runs are judged by the policy the sweep ran with (policy.json). For a sweep that runs on Kubernetes,"
                + " the attempts come from the sweep's ConfigMap (needs access to the cluster).",
            "With --cluster NAME: the IsoFlopSweep resource's status (phase, progress, fitted exponents, conditions)."})
final class StatusCommand implements Callable<Integer> {
    /** What sweeps made before policies were kept ran with, unless told otherwise. */
    private static final int OLD_DEFAULT_ATTEMPTS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SWEEP_DIR", arity = "0..1", description = "a sweep directory (holds plan.json)")
    Path sweepDir;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "instead of a directory: the IsoFlopSweep NAME on the cluster (isoflop submit), as its"
                    + " status says")
    String clusterSweep;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "isoflop",
            description = "with --cluster: the namespace (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "for a sweep on Kubernetes: kubeconfig to read its ConfigMap with (default: $KUBECONFIG,"
                    + " ~/.kube/config, or the pod's service account)")
    Path kubeconfig;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if ((clusterSweep == null) == (sweepDir == null)) {
            spec.commandLine().getErr().println("isoflop: give a SWEEP_DIR or --cluster NAME (one of them)");
            return ExitCodes.BAD_INPUT;
        }
        if (clusterSweep != null) {
            return ClusterStatus.show(KubernetesBackend.client(kubeconfig), namespace, clusterSweep, out,
                    spec.commandLine().getErr());
        }
        Path planFile = new SweepStore(sweepDir).planFile();
        if (!Files.exists(planFile)) {
            spec.commandLine().getErr().println("isoflop: " + planFile
                    + " does not exist: SWEEP_DIR must be a directory made by `isoflop sweep`");
            return ExitCodes.BAD_INPUT;
        }
        IsoFlopPlan plan = PlanJson.read(planFile);
        try (MetricsStore metrics = MetricsStore.of(plan.metricsLocation())) {
            return show(new SweepStore(sweepDir, metrics), plan, out);
        }
    }

    private Integer show(SweepStore store, IsoFlopPlan plan, PrintWriter out) throws IOException {
        Optional<SweepPolicy> policy = SweepSetup.policy(store);
        int maxAttempts = policy.map(p -> p.retries().maxAttempts()).orElse(OLD_DEFAULT_ATTEMPTS);
        if (policy.isEmpty()) {
            out.println("no policy.json (a sweep made by an older isoflop): assuming " + OLD_DEFAULT_ATTEMPTS
                    + " attempts per run");
        }
        Function<String, RunRecord> records = recordsOf(store, plan, policy);
        Map<RunPhase, Integer> counts = new EnumMap<>(RunPhase.class);
        double doneFlops = 0;
        out.printf(Locale.ROOT, "%-26s %10s %10s %-10s %-10s %8s %s%n", "run", "budget", "N", "shape", "state",
                "attempts", "last exit");
        for (RunSpec run : plan.runs()) {
            RunRecord record = records.apply(run.runId());
            RunPhase phase = RunPhase.of(store.isFinished(run.runId()), record, maxAttempts);
            counts.merge(phase, 1, Integer::sum);
            if (phase == RunPhase.SUCCEEDED) {
                doneFlops += run.plannedFlops();
            }
            String lastExit = record.last().map(AttemptRecord::exitCode).map(String::valueOf).orElse("-");
            out.printf(Locale.ROOT, "%-26s %10.2e %10d %-10s %-10s %8d %s%n", run.runId(), run.budgetFlops(),
                    run.parameters(), PlanTable.shapeText(run.shape()), phase.name().toLowerCase(Locale.ROOT),
                    record.attempts().size(), lastExit);
        }
        out.printf(Locale.ROOT, "%d runs: %s | FLOPs done %.2e of %.2e (%.0f%%) | up to %d attempts per run%n",
                plan.runs().size(), counts, doneFlops, plan.totalFlops(), 100 * doneFlops / plan.totalFlops(),
                maxAttempts);
        Path frontier = store.fitDir().resolve(FitterRun.FRONTIER_FILE);
        if (Files.exists(frontier)) {
            FrontierSummary.print(frontier, out);
            out.println("report: " + plan.fitTarget().report());
        } else {
            out.println("not fitted yet");
        }
        return counts.getOrDefault(RunPhase.FAILED, 0) > 0 ? ExitCodes.RUNS_FAILED : ExitCodes.OK;
    }

    /** Each run's attempts: the sweep directory's records, or the cluster sweep's ConfigMap ledger. */
    private Function<String, RunRecord> recordsOf(SweepStore store, IsoFlopPlan plan, Optional<SweepPolicy> policy)
            throws IOException {
        if (policy.isPresent() && policy.get().onKubernetes()) {
            Map<String, RunRecord> ledger = KubernetesSweep.ledger(KubernetesBackend.client(kubeconfig),
                    policy.get().namespace(), plan.sweep());
            return runId -> ledger.getOrDefault(runId, RunRecord.empty(runId));
        }
        return runId -> {
            try {
                return store.load(runId);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
