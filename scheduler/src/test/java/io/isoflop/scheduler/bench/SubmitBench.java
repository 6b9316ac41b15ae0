package io.isoflop.scheduler.bench;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.launch.k8s.KubernetesLaunchConfig;
import io.isoflop.scheduler.launch.k8s.KubernetesSweep;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.launch.k8s.ClusterConfigLoader;
import io.isoflop.scheduler.sweep.RetryPolicy;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepRunner;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plans and submits a sweep of {@code runs} runs to an API server through the real scheduler path (SweepRunner →
 * KubernetesJobLauncher → informer-followed Jobs, run ledger in the sweep's ConfigMap) and prints: runs/s, p50/p99
 * of the Job-creating call and of the time from the sweep's start to each run's dispatch, the scheduler's CPU
 * time and heap; then what a restarted scheduler pays with all those Jobs present (informer sync and the
 * start-up pass over every run). Run by {@code bench/k8s_submit.sh}.
 *
 * <p>Usage: SubmitBench KUBECONFIG CLUSTER_CONFIG RUNS
 */
public final class SubmitBench {
    private SubmitBench() {}

    public static void main(String[] args) throws Exception {
        ApiClient client = Config.fromConfig(args[0]);
        client.setReadTimeout(0);
        KubernetesLaunchConfig config = ClusterConfigLoader.load(Path.of(args[1])).launch();
        int count = Integer.parseInt(args[2]);
        IsoFlopPlan plan = plan(count, Path.of(config.sharedMountPath(), "sweeps", "bench"));
        System.out.printf(Locale.ROOT, "plan: %d runs (sweep %s)%n", plan.runs().size(), plan.sweep());

        SchedulerMetrics metrics = new SchedulerMetrics(new CollectorRegistry());
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        List<Long> createNanos = Collections.synchronizedList(new ArrayList<>());
        List<Double> dispatchSeconds = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allStarted = new CountDownLatch(count);
        try (KubernetesSweep sweep = KubernetesSweep.open(client, config, plan, new ApiCalls(metrics::apiError),
                SweepPolicy.kubernetes(config.namespace(), count, RetryPolicy.immediate(1)))) {
            long opened = System.nanoTime();
            Launcher timed = timed(sweep.launcher(), createNanos);
            SweepObserver observer = new SweepObserver() {
                @Override
                public void started(RunSpec run, double waitedSeconds) {
                    dispatchSeconds.add((System.nanoTime() - t0) / 1e9);
                    allStarted.countDown();
                }
            };
            Thread runner = runUntilInterrupted(new SweepRunner(plan, sweep.store(), timed, count,
                    RetryPolicy.immediate(1), observer, Duration.ofMinutes(10)));
            allStarted.await();
            long done = System.nanoTime();
            runner.interrupt();
            runner.join();
            double seconds = (done - t0) / 1e9;
            System.out.printf(Locale.ROOT, "submitted %d runs in %.1f s: %.0f runs/s (informers synced in %.2f s)%n",
                    count, seconds, count / seconds, (opened - t0) / 1e9);
            System.out.printf(Locale.ROOT, "Job-creating call: p50 %.1f ms, p99 %.1f ms%n",
                    percentile(createNanos, 0.5) / 1e6, percentile(createNanos, 0.99) / 1e6);
            System.out.printf(Locale.ROOT, "dispatch time from the sweep's start: p50 %.1f s, p99 %.1f s%n",
                    percentileD(dispatchSeconds, 0.5), percentileD(dispatchSeconds, 0.99));
            System.out.printf(Locale.ROOT, "scheduler CPU %.1f s (%.0f%% of one core), heap used %s%n",
                    (cpuNanos() - cpu0) / 1e9, 100.0 * (cpuNanos() - cpu0) / (done - t0), heapAfterGc());
        }

        long r0 = System.nanoTime();
        long rcpu0 = cpuNanos();
        CountDownLatch allFollowed = new CountDownLatch(count);
        try (KubernetesSweep again = KubernetesSweep.open(client, config, plan, new ApiCalls(code -> { }),
                SweepPolicy.kubernetes(config.namespace(), count, RetryPolicy.immediate(1)))) {
            long synced = System.nanoTime();
            Thread runner = runUntilInterrupted(new SweepRunner(plan, again.store(), again.launcher(), count,
                    RetryPolicy.immediate(1), new SweepObserver() {
                        @Override
                        public void following(RunSpec run) {
                            allFollowed.countDown();
                        }

                        @Override
                        public void started(RunSpec run, double waitedSeconds) {
                            allFollowed.countDown();
                        }
                    }, Duration.ofMinutes(10)));
            allFollowed.await();
            long done = System.nanoTime();
            runner.interrupt();
            runner.join();
            System.out.printf(Locale.ROOT, "restart with %d Jobs present: informers synced in %.2f s, every run"
                    + " found and followed after %.2f s; CPU %.1f s, heap used %s%n", count, (synced - r0) / 1e9,
                    (done - r0) / 1e9, (cpuNanos() - rcpu0) / 1e9, heapAfterGc());
        }
        System.exit(0);
    }

    /** {@code count} runs: the quickstart grid's runs repeated under distinct run ids (the planner refuses repeats). */
    private static IsoFlopPlan plan(int count, Path sweepDir) throws Exception {
        IsoFlopPlan base = IsoFlopPlanner.plan(BudgetSpecLoader.load(Path.of("examples/quickstart.yaml")), sweepDir);
        List<RunSpec> runs = new ArrayList<>();
        for (int i = 0; runs.size() < count; i++) {
            RunSpec b = base.runs().get(i % base.runs().size());
            runs.add(new RunSpec(b.schemaVersion(), "bench", b.runId() + "-r" + (i / base.runs().size()),
                    b.budgetFlops(), b.flopConvention(), b.parameterCount(), b.shape(), b.parameters(), b.tokens(),
                    b.flopsPerToken(), b.training(), b.data(), b.evalIntervalTokens(), b.seed(), b.resources(),
                    sweepDir.resolve("metrics").toString(), b.checkpoint()));
        }
        return new IsoFlopPlan("bench", base.specHash(), sweepDir, count, runs);
    }

    private static Thread runUntilInterrupted(SweepRunner runner) {
        Thread thread = new Thread(() -> {
            try {
                runner.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                e.printStackTrace();
            }
        }, "sweep-runner");
        thread.start();
        return thread;
    }

    private static Launcher timed(Launcher launcher, List<Long> nanos) {
        return new Launcher() {
            @Override
            public RunHandle start(RunSpec spec, int attempt) throws IOException {
                long t = System.nanoTime();
                RunHandle handle = launcher.start(spec, attempt);
                nanos.add(System.nanoTime() - t);
                return handle;
            }

            @Override
            public Optional<RunHandle> adopt(RunSpec spec, int attempt) throws IOException {
                return launcher.adopt(spec, attempt);
            }

            @Override
            public RunHandle startFitter(FitInput input, FitTarget target) throws IOException {
                return launcher.startFitter(input, target);
            }
        };
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String heapAfterGc() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return String.format(Locale.ROOT, "%.0f MiB", used / 1048576.0);
    }

    private static double percentile(List<Long> values, double q) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static double percentileD(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
