package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.cli.SchedulerProcess;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecText;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.worker.sink.MetricFiles;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;

/**
 * Worker chaos as Kubernetes Jobs: a sweep of real (tiny) training runs driven by {@code isoflop sweep --backend
 * kubernetes} on the test cluster, whose pods a {@link ProcessKubelet} runs as real worker processes, interrupting
 * some at random instants with SIGTERM (a drain: the worker checkpoints and exits 143, retried without using an
 * attempt) or SIGKILL (a lost node: an attempt used). Every run must end once, with every step in its metrics
 * exactly once, each interruption's next Job resuming from the checkpoint. Used by {@code WorkerJobChaosIT} and
 * {@code bench/chaos.sh} ({@link #main}).
 */
public final class WorkerJobChaos {
    private static final Pattern RESUMED = Pattern.compile("resuming from the checkpoint at step (\\d+)");

    /** What one session saw; {@link #clean()} when nothing was lost, doubled or over its attempts. */
    record Figures(int runs, int sigterms, int sigkills, int jobs, int resumes, long steps, long rows,
            long duplicateSteps, long missingSteps, int unfinishedRuns, int ledgerMismatches, int schedulerExit,
            long seconds, List<String> problems) {

        boolean clean() {
            return duplicateSteps == 0 && missingSteps == 0 && unfinishedRuns == 0 && ledgerMismatches == 0
                    && schedulerExit == 0 && jobs == runs + sigterms + sigkills;
        }

        String report() {
            return String.format(Locale.ROOT, """
                    worker chaos as Jobs: %d runs trained for real; %d pods interrupted: %d SIGTERM, %d SIGKILL; %d s
                    Jobs %d (runs + interruptions: %d); next Jobs that resumed from a checkpoint: %d
                    steps %d, metric rows %d, steps twice %d, steps missing %d
                    runs not finished %d; ledgers disagreeing with the interruptions %d; scheduler exit %d""",
                    runs, sigterms + sigkills, sigterms, sigkills, seconds, jobs, runs + sigterms + sigkills, resumes,
                    steps, rows, duplicateSteps, missingSteps, unfinishedRuns, ledgerMismatches, schedulerExit);
        }
    }

    private WorkerJobChaos() {}

    /** A sweep of {@code budgets} × 3 tiny runs in {@code shared}, {@code interruptShare} of the pods interrupted. */
    static Figures run(TestCluster cluster, Path shared, String sweep, int budgets, double interruptShare, long seed)
            throws Exception {
        long started = System.nanoTime();
        Path spec = writeSpec(shared, sweep, budgets);
        Path sweepDir = shared.resolve("sweeps").resolve(sweep);
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(spec), sweepDir);
        CoreV1Api core = new CoreV1Api(cluster.client);
        ProcessKubelet kubelet = new ProcessKubelet(core, RunNames.sweepSelector(sweep), shared.resolve("pods"),
                new Random(seed), interruptShare);
        kubelet.start();
        int exit;
        Path log = shared.resolve("scheduler.log");
        try {
            Process scheduler = SchedulerProcess.start(log, "sweep", spec.toString(), "--backend", "kubernetes",
                    "--cluster-config", shared.resolve("scheduler.yaml").toString(), "--kubeconfig",
                    cluster.kubeconfig.toString(), "--no-fit", "--heartbeat", "5");
            if (!scheduler.waitFor(20, TimeUnit.MINUTES)) {
                scheduler.destroyForcibly().waitFor();
            }
            exit = scheduler.exitValue();
        } finally {
            kubelet.interrupt();
            kubelet.join(10_000);
        }

        List<String> problems = new ArrayList<>();
        if (exit != 0) {
            problems.add("scheduler exit " + exit + ":\n" + SchedulerChaos.tail(log));
        }
        Map<String, RunRecord> ledger = KubernetesSweep.ledger(cluster.client, TestCluster.NAMESPACE, sweep);
        int jobs = new BatchV1Api(cluster.client).listNamespacedJob(TestCluster.NAMESPACE)
                .labelSelector(RunNames.sweepSelector(sweep)).execute().getItems().size();
        long steps = 0;
        long rows = 0;
        long duplicates = 0;
        long missing = 0;
        int unfinished = 0;
        int mismatches = 0;
        for (RunSpec run : plan.runs()) {
            String id = run.runId();
            steps += run.training().steps();
            if (!MetricsLayout.isFinished(Path.of(plan.metricsLocation()), id)) {
                unfinished++;
                problems.add(id + ": not finished");
                continue;
            }
            Map<Long, Integer> times = new HashMap<>();
            for (Group row : MetricFiles.rowsOfRun(Path.of(plan.metricsLocation()), id)) {
                if (!row.getBoolean(MetricsSchema.IS_FINAL, 0)) {
                    times.merge(row.getLong(MetricsSchema.STEP, 0), 1, Integer::sum);
                    rows++;
                }
            }
            duplicates += times.values().stream().filter(n -> n > 1).count();
            missing += java.util.stream.LongStream.rangeClosed(1, run.training().steps())
                    .filter(s -> !times.containsKey(s)).count();
            RunRecord record = ledger.getOrDefault(id, RunRecord.empty(id));
            boolean agrees = record.count(AttemptRecord.Outcome.SUCCEEDED) == 1
                    && record.count(AttemptRecord.Outcome.PREEMPTED) == kubelet.sigterms.getOrDefault(id, 0)
                    && record.count(AttemptRecord.Outcome.FAILED) == kubelet.sigkills.getOrDefault(id, 0)
                    && record.attempts().size() == 1 + kubelet.sigterms.getOrDefault(id, 0)
                    + kubelet.sigkills.getOrDefault(id, 0);
            if (!agrees) {
                mismatches++;
                problems.add(id + ": ledger " + record.attempts() + " after " + kubelet.sigterms.getOrDefault(id, 0)
                        + " SIGTERM(s) and " + kubelet.sigkills.getOrDefault(id, 0) + " SIGKILL(s)");
            }
        }
        int sigterms = kubelet.sigterms.values().stream().mapToInt(Integer::intValue).sum();
        int sigkills = kubelet.sigkills.values().stream().mapToInt(Integer::intValue).sum();
        return new Figures(plan.runs().size(), sigterms, sigkills, jobs, resumes(shared.resolve("pods")), steps,
                rows, duplicates, missing, unfinished, mismatches, exit, (System.nanoTime() - started) / 1_000_000_000L,
                problems);
    }

    private static int resumes(Path podLogs) throws IOException {
        int count = 0;
        try (Stream<Path> logs = Files.list(podLogs)) {
            for (Path log : logs.toList()) {
                Matcher m = RESUMED.matcher(Files.readString(log));
                while (m.find()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Tiny real runs (as the local end-to-end tests train), a checkpoint every 20 steps, 2 Jobs at once. */
    private static Path writeSpec(Path shared, String sweep, int budgets) throws IOException {
        List<String> flops = new ArrayList<>();
        for (int i = 0; i < budgets; i++) {
            flops.add(String.format(Locale.ROOT, "%.3g", 4e9 * Math.pow(2, i)));
        }
        String yaml = SpecText.minimal()
                .with("sweep", "{name: " + sweep + ", output: '" + shared.resolve("sweeps") + "', seed: 3}")
                .with("budgets", "{flops: " + flops + "}")
                .with("models", "{per_budget: 3, parameters: {min: 2000, max: 16000}}")
                .with("shape", "{context: 32, aspect_ratio: 16, head_dim: 16, width_multiple: 8}")
                .with("dataset", "{eval_tokens: 2048, final_eval_tokens: 8192}")
                .with("batch", "{sequences: 8, min_steps: 100}")
                .with("eval", "{interval_tokens: 32768}")
                .with("checkpoint", "{every_steps: 20}")
                .with("resources", "{gpus: 0, cpu: 1, memory: 1Gi}") // the workers train on this machine's CPU
                .with("limits", "{max_parallel: 2}")
                .yaml();
        Path spec = shared.resolve(sweep + ".yaml");
        Files.writeString(spec, yaml);
        TestCluster.writeSchedulerConfig(shared, 3, 0);
        return spec;
    }

    /** {@code WorkerJobChaos [BUDGETS] [INTERRUPT_SHARE] [SEED]}: prints the figures; exits 1 unless clean. */
    public static void main(String[] args) throws Exception {
        int budgets = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        double share = args.length > 1 ? Double.parseDouble(args[1]) : 0.6;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        System.out.println("seed " + seed);
        Path shared = Files.createTempDirectory("isoflop-worker-job-chaos-");
        try (TestCluster cluster = TestCluster.start()) {
            cluster.createSharedClaim("isoflop-data");
            Figures figures = run(cluster, shared, "workerchaos", budgets, share, seed);
            System.out.println(figures.report());
            figures.problems().forEach(p -> System.out.println("  " + p));
            System.exit(figures.clean() ? 0 : 1);
        }
    }
}
