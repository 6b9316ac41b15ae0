package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.scheduler.FinalMetrics;
import io.isoflop.scheduler.cli.SchedulerProcess;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecText;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Scheduler chaos on a real API server, job controller and kube-scheduler: {@code isoflop sweep --backend
 * kubernetes} in its own JVM, talking to the API server through a {@link FaultyApiProxy}, is killed (SIGKILL) or
 * stopped (SIGTERM) at random instants, during start-up (JVM start, Lease, informer sync) or while it creates and
 * follows Jobs, and started again each time; then one last scheduler finishes the sweep. The test plays the
 * kubelet and the workers: some runs fail on their first attempt, some on every attempt. Afterwards every Job ever
 * created is compared with what the run's attempts allow and with the sweep's ledger, and the {@link Figures} say
 * what was seen. Used by {@code SchedulerChaosIT} (CI size) and {@code bench/chaos.sh} (long form, {@link #main}).
 */
public final class SchedulerChaos {
    static final int MAX_ATTEMPTS = 3;
    private static final int SIZES_PER_BUDGET = 5;

    /**
     * @param budgets       compute budgets (five runs each)
     * @param lives         scheduler processes interrupted on purpose (then one more finishes the sweep)
     * @param sigtermShare  share of interruptions that are SIGTERM rather than SIGKILL
     * @param startupShare  share of interruptions that land during start-up rather than while dispatching
     * @param flakyRuns     runs whose first attempt fails
     * @param doomedRuns    runs whose every attempt fails
     */
    record Settings(String sweep, int budgets, int lives, double sigtermShare, double startupShare, int flakyRuns,
            int doomedRuns, FaultyApiProxy.Faults faults, long seed) {
        int runs() {
            return budgets * SIZES_PER_BUDGET;
        }
    }

    /** What one chaos session saw. A correct scheduler shows 0 in every count after "jobs created". */
    record Figures(int runs, int flakyRuns, int doomedRuns, int sigkills, int startupKills, int sigterms,
            int forwarded, Map<String, Integer> faults, int jobsCreated, int jobsExpected,
            Map<Integer, Integer> runsByJobCount, int recreatedJobs, int extraJobs, int runsOverAttemptLimit,
            int podsRunTwice, int lostRuns, int ledgerMismatches, List<String> unexpectedExits, long seconds,
            List<String> problems) {

        String report() {
            return String.format(Locale.ROOT, """
                    scheduler chaos: %d runs (%d failing once, %d failing every attempt), %d scheduler lives interrupted: \
                    %d SIGKILL (%d during start-up), %d SIGTERM; %d s
                    API proxy: %d requests passed on; faults injected %s
                    jobs created: %d (expected %d); runs by their number of Jobs %s
                    duplicate Jobs (same attempt created twice): %d
                    Jobs beyond what the run's outcomes call for: %d
                    runs over their attempt limit (%d): %d
                    pods run twice: %d
                    lost runs: %d
                    ledger disagreeing with the Jobs: %d
                    scheduler exits that were neither asked for nor a finished sweep: %d %s""",
                    runs, flakyRuns, doomedRuns, sigkills + sigterms, sigkills, startupKills, sigterms, seconds,
                    forwarded, faults, jobsCreated, jobsExpected, runsByJobCount, recreatedJobs, extraJobs,
                    MAX_ATTEMPTS, runsOverAttemptLimit, podsRunTwice, lostRuns, ledgerMismatches,
                    unexpectedExits.size(), unexpectedExits);
        }

        boolean clean() {
            return jobsCreated == jobsExpected && recreatedJobs == 0 && extraJobs == 0 && runsOverAttemptLimit == 0
                    && podsRunTwice == 0 && lostRuns == 0 && ledgerMismatches == 0 && unexpectedExits.isEmpty();
        }
    }

    private final TestCluster cluster;
    private final Path shared;
    private final Settings settings;
    private final Random random;

    private SchedulerChaos(TestCluster cluster, Path shared, Settings settings) {
        this.cluster = cluster;
        this.shared = shared;
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** Runs one chaos session on {@code cluster}, the sweep's files under {@code shared} (the "shared volume"). */
    static Figures run(TestCluster cluster, Path shared, Settings settings) throws Exception {
        return new SchedulerChaos(cluster, shared, settings).run();
    }

    private Figures run() throws Exception {
        long started = System.nanoTime();
        Path spec = writeSpec();
        Path sweepDir = shared.resolve("sweeps").resolve(settings.sweep());
        Path metricsDir = sweepDir.resolve("metrics");
        List<String> runIds = IsoFlopPlanner.plan(BudgetSpecLoader.load(spec), sweepDir).runs().stream()
                .map(r -> r.runId()).collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(runIds, random);
        Set<String> doomed = Set.copyOf(runIds.subList(0, settings.doomedRuns()));
        Set<String> flaky = Set.copyOf(runIds.subList(settings.doomedRuns(),
                settings.doomedRuns() + settings.flakyRuns()));

        BatchV1Api batch = new BatchV1Api(cluster.client);
        CoreV1Api core = new CoreV1Api(cluster.client);
        Map<String, String> jobUids = new ConcurrentHashMap<>(); // uid -> name, of every Job ever seen
        SharedInformerFactory informers = new SharedInformerFactory(cluster.client);
        SharedIndexInformer<V1Job> jobs = informers.sharedIndexInformerFor(params -> batch
                .listNamespacedJob(TestCluster.NAMESPACE).labelSelector(RunNames.sweepSelector(settings.sweep()))
                .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds)
                .watch(params.watch).buildCall(null), V1Job.class, V1JobList.class);
        jobs.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Job job) {
                jobUids.put(job.getMetadata().getUid(), job.getMetadata().getName());
            }

            @Override
            public void onUpdate(V1Job before, V1Job after) {
                jobUids.put(after.getMetadata().getUid(), after.getMetadata().getName());
            }

            @Override
            public void onDelete(V1Job job, boolean stateUnknown) {}
        });
        informers.startAllRegisteredInformers();
        FakeKubelet kubelet = new FakeKubelet(core, RunNames.sweepSelector(settings.sweep()),
                new Random(settings.seed() + 1), pod -> {
            String run = pod.getMetadata().getLabels().get(RunNames.LABEL_RUN);
            int attempt = Integer.parseInt(pod.getMetadata().getLabels().get(RunNames.LABEL_ATTEMPT));
            if (doomed.contains(run) || (flaky.contains(run) && attempt == 1)) {
                return Exit.FAILED.code();
            }
            FinalMetrics.write(metricsDir, run, System.currentTimeMillis()); // the worker's final file: done
            return Exit.DONE.code();
        });
        kubelet.start();
        int sigkills = 0;
        int startupKills = 0;
        int sigterms = 0;
        List<String> unexpectedExits = new ArrayList<>();
        try (FaultyApiProxy proxy = FaultyApiProxy.start(cluster, settings.seed() + 2, settings.faults())) {
            Path kubeconfig = proxy.kubeconfig(cluster, shared.resolve("through-proxy.kubeconfig"));
            for (int life = 1; life <= settings.lives(); life++) {
                Path log = shared.resolve("life-" + life + ".log");
                Process scheduler = startScheduler(spec, kubeconfig, log);
                boolean duringStartup = random.nextDouble() < settings.startupShare();
                long waitMillis = duringStartup ? random.nextInt(4000) : random.nextInt(1500);
                if (!duringStartup) {
                    awaitDispatching(scheduler, log);
                }
                if (scheduler.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
                    if (!finishedSweep(scheduler.exitValue(), doomed)) {
                        unexpectedExits.add("life " + life + " exit " + scheduler.exitValue() + ": " + tail(log));
                    }
                    break; // the sweep ended before this life could be interrupted
                }
                boolean dispatching = Files.readString(log).contains("sweep " + settings.sweep() + ":");
                if (dispatching && random.nextDouble() < settings.sigtermShare()) {
                    scheduler.destroy(); // SIGTERM: the orderly stop
                    if (!scheduler.waitFor(60, TimeUnit.SECONDS)) {
                        unexpectedExits.add("life " + life + ": still running 60 s after SIGTERM");
                        scheduler.destroyForcibly().waitFor();
                    } else if (scheduler.exitValue() != 143 && !finishedSweep(scheduler.exitValue(), doomed)) {
                        unexpectedExits.add("life " + life + " exit " + scheduler.exitValue() + " after SIGTERM: "
                                + tail(log));
                    }
                    sigterms++;
                } else {
                    scheduler.destroyForcibly().waitFor();
                    sigkills++;
                    startupKills += dispatching ? 0 : 1;
                }
            }
            Path lastLog = shared.resolve("last.log");
            Process last = startScheduler(spec, kubeconfig, lastLog);
            if (!last.waitFor(15, TimeUnit.MINUTES)) {
                last.destroyForcibly().waitFor();
                unexpectedExits.add("the last scheduler did not finish in 15 minutes: " + tail(lastLog));
            } else if (!finishedSweep(last.exitValue(), doomed)) {
                unexpectedExits.add("last scheduler exit " + last.exitValue() + ": " + tail(lastLog));
            }
            kubelet.interrupt();
            informers.stopAllRegisteredInformers();
            return figures(runIds, flaky, doomed, jobUids, kubelet, metricsDir, sigkills, startupKills, sigterms,
                    proxy, unexpectedExits, (System.nanoTime() - started) / 1_000_000_000L);
        } finally {
            kubelet.interrupt();
            informers.stopAllRegisteredInformers();
        }
    }

    /** A sweep that ended on its own: all runs done (0), or only the doomed ones failed after every attempt (3). */
    private static boolean finishedSweep(int exitCode, Set<String> doomed) {
        return exitCode == 0 && doomed.isEmpty() || exitCode == 3 && !doomed.isEmpty();
    }

    private Figures figures(List<String> runIds, Set<String> flaky, Set<String> doomed, Map<String, String> jobUids,
            FakeKubelet kubelet, Path metricsDir, int sigkills, int startupKills, int sigterms, FaultyApiProxy proxy,
            List<String> unexpectedExits, long seconds) throws Exception {
        List<String> problems = new ArrayList<>();
        BatchV1Api batch = new BatchV1Api(cluster.client);
        Map<String, List<V1Job>> jobsByRun = batch.listNamespacedJob(TestCluster.NAMESPACE)
                .labelSelector(RunNames.sweepSelector(settings.sweep())).execute().getItems().stream()
                .collect(Collectors.groupingBy(j -> j.getMetadata().getLabels().get(RunNames.LABEL_RUN)));
        Set<String> namesEverCreated = new HashSet<>(jobUids.values());
        int recreated = jobUids.size() - namesEverCreated.size();
        Map<String, RunRecord> ledger = KubernetesSweep.ledger(cluster.client, TestCluster.NAMESPACE,
                settings.sweep());
        Map<String, Integer> finals = finalFilesByRun(metricsDir);

        int expected = 0;
        int extra = 0;
        int overLimit = 0;
        int lost = 0;
        int mismatches = 0;
        Map<Integer, Integer> runsByJobCount = new TreeMap<>();
        for (String run : runIds) {
            int want = doomed.contains(run) ? MAX_ATTEMPTS : flaky.contains(run) ? 2 : 1;
            int have = (int) IntStream.rangeClosed(1, 10).filter(a -> namesEverCreated.contains(
                    RunNames.attemptJobName(settings.sweep(), run, a))).count();
            expected += want;
            runsByJobCount.merge(have, 1, Integer::sum);
            if (have > want) {
                extra += have - want;
                problems.add(run + ": " + have + " Jobs, " + want + " expected");
            }
            if (have > MAX_ATTEMPTS) {
                overLimit++;
            }
            RunRecord record = ledger.getOrDefault(run, RunRecord.empty(run));
            boolean succeeded = finals.getOrDefault(run, 0) == 1
                    && record.last().map(a -> a.outcome() == AttemptRecord.Outcome.SUCCEEDED).orElse(false);
            boolean failedForGood = doomed.contains(run) && record.count(AttemptRecord.Outcome.FAILED) == MAX_ATTEMPTS;
            if (!(doomed.contains(run) ? failedForGood : succeeded)) {
                lost++;
                problems.add(run + ": not finished as it should be; ledger " + record.attempts() + ", final files "
                        + finals.getOrDefault(run, 0));
            }
            boolean agrees = record.attempts().size() == have
                    && jobsByRun.getOrDefault(run, List.of()).size() == have
                    && record.attempts().stream().noneMatch(a -> a.outcome() == AttemptRecord.Outcome.RUNNING)
                    && record.count(AttemptRecord.Outcome.SUCCEEDED) == (doomed.contains(run) ? 0 : 1);
            if (!agrees) {
                mismatches++;
                problems.add(run + ": ledger " + record.attempts() + " vs " + have + " Jobs");
            }
        }
        int podsRunTwice = kubelet.completed.size() - namesEverCreated.size();
        return new Figures(runIds.size(), flaky.size(), doomed.size(), sigkills, startupKills, sigterms,
                proxy.forwarded.get(), proxy.injectedSoFar(), namesEverCreated.size(), expected, runsByJobCount,
                recreated, extra, overLimit, Math.max(0, podsRunTwice), lost, mismatches, unexpectedExits, seconds,
                problems);
    }

    /**
     * Waits until the scheduler has its Lease and informers and is about to dispatch (it prints the sweep line),
     * so that the interruption lands while Jobs are being created and followed.
     */
    private void awaitDispatching(Process scheduler, Path log) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (scheduler.isAlive() && !Files.readString(log).contains("sweep " + settings.sweep() + ":")
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static Process startScheduler(Path spec, Path kubeconfig, Path log) throws IOException {
        return SchedulerProcess.start(log, "sweep", spec.toString(), "--backend", "kubernetes", "--cluster-config",
                spec.resolveSibling("scheduler.yaml").toString(), "--kubeconfig", kubeconfig.toString(), "--no-fit",
                "--heartbeat", "1");
    }

    /**
     * {@code budgets} × 5 sizes, the sweep's directory on the "shared volume"; at most 2 Jobs at once, so that the
     * sweep needs many scheduler lives. The cluster config allows {@value #MAX_ATTEMPTS} attempts per run and as
     * many runs failing for good as are doomed.
     */
    private Path writeSpec() throws IOException {
        String flops = IntStream.range(0, settings.budgets())
                .mapToObj(i -> String.format(Locale.ROOT, "%.4g", 1e11 * Math.pow(1.15, i)))
                .collect(Collectors.joining(", ", "[", "]"));
        String yaml = SpecText.minimal()
                .with("sweep", "{name: " + settings.sweep() + ", output: '" + shared.resolve("sweeps") + "', seed: 5}")
                .with("budgets", "{flops: " + flops + "}")
                .with("resources", "{gpus: 1, gpu_type: test, cpu: 1, memory: 1Gi}")
                .with("limits", "{max_parallel: 2, max_runs: " + settings.runs() + "}")
                .yaml();
        Path spec = shared.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        TestCluster.writeSchedulerConfig(shared, MAX_ATTEMPTS, settings.doomedRuns());
        return spec;
    }

    static Map<String, Integer> finalFilesByRun(Path metricsDir) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        if (!Files.isDirectory(metricsDir)) {
            return counts;
        }
        try (Stream<Path> runs = Files.list(metricsDir)) {
            for (Path run : runs.toList()) {
                try (Stream<Path> files = Files.list(run)) {
                    counts.put(run.getFileName().toString(), (int) files
                            .filter(f -> f.getFileName().toString().endsWith(MetricsLayout.FINAL_SUFFIX)).count());
                }
            }
        }
        return counts;
    }

    /**
     * The long form, for {@code bench/chaos.sh}: {@code SchedulerChaos BUDGETS LIVES [SEED]} starts its own test
     * cluster, prints the figures, and exits 1 unless every count is 0.
     */
    public static void main(String[] args) throws Exception {
        int budgets = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int lives = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        System.out.println("seed " + seed);
        Path shared = Files.createTempDirectory("isoflop-chaos-");
        try (TestCluster cluster = TestCluster.start()) {
            cluster.createSharedClaim("isoflop-data");
            Figures figures = run(cluster, shared, new Settings("chaos", budgets, lives, 0.25, 0.3,
                    Math.max(1, budgets / 4), Math.max(1, budgets / 8), FaultyApiProxy.Faults.chaos(), seed));
            System.out.println(figures.report());
            figures.problems().forEach(p -> System.out.println("  " + p));
            System.exit(figures.clean() ? 0 : 1);
        }
    }
}
