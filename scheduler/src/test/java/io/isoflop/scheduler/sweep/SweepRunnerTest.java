package io.isoflop.scheduler.sweep;

import io.isoflop.scheduler.FinalMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep loop's decisions, against a launcher of our own whose "workers" end at once. */
class SweepRunnerTest {
    private static final Path FIXTURE = Path.of("src", "test", "resources", "fixture-spec.yaml");

    @Test
    void failedAttemptsAreRetriedUntilTheLimitAndRejectedRunsAreNot(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        String flaky = plan.runs().get(0).runId();
        String broken = plan.runs().get(1).runId();
        String rejected = plan.runs().get(2).runId();
        Map<String, Integer> attempts = new HashMap<>();
        ScriptedLauncher launcher = new ScriptedLauncher(store, spec -> {
            int n = attempts.merge(spec.runId(), 1, Integer::sum);
            if (spec.runId().equals(flaky)) {
                return n < 2 ? 1 : 0;
            }
            if (spec.runId().equals(broken)) {
                return 1;
            }
            return spec.runId().equals(rejected) ? 2 : 0;
        });

        SweepResult result = runner(plan, store, launcher, 3).run();

        assertEquals(plan.runs().size() - 2, result.succeeded());
        assertEquals(List.of(broken, rejected).stream().sorted().toList(), result.failed().stream().sorted().toList());
        assertEquals(2, attempts.get(flaky), "a failed attempt is retried");
        assertEquals(3, attempts.get(broken), "no more than max attempts");
        assertEquals(1, attempts.get(rejected), "a rejected spec is not retried");
        assertEquals(AttemptRecord.Outcome.REJECTED, store.load(rejected).last().orElseThrow().outcome());
        assertEquals(2, launcher.maxConcurrent(), "attempts overlap, but never more than max parallel at once");
        assertEquals(List.of(), launcher.unrecordedStarts, "every attempt is recorded before it is started");
    }

    @Test
    void preemptedAttemptsAreRetriedWithoutUsingAnAttemptAndDivergedRunsAreNot(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        String preempted = plan.runs().get(0).runId();
        String diverged = plan.runs().get(1).runId();
        Map<String, Integer> attempts = new HashMap<>();
        ScriptedLauncher launcher = new ScriptedLauncher(store, spec -> {
            int n = attempts.merge(spec.runId(), 1, Integer::sum);
            if (spec.runId().equals(preempted)) {
                return n <= 2 ? WorkerProtocol.Exit.PREEMPTED.code() : 0;
            }
            return spec.runId().equals(diverged) ? WorkerProtocol.Exit.DIVERGED.code() : 0;
        });

        SweepResult result = runner(plan, store, launcher, 1).run();

        assertEquals(List.of(diverged), result.failed());
        assertEquals(3, attempts.get(preempted), "two preemptions, then the run finishes: with max attempts 1");
        assertEquals(List.of(AttemptRecord.Outcome.PREEMPTED, AttemptRecord.Outcome.PREEMPTED,
                AttemptRecord.Outcome.SUCCEEDED), store.load(preempted).attempts().stream()
                .map(AttemptRecord::outcome).toList());
        assertEquals(1, attempts.get(diverged), "a diverged run is not retried");
        assertEquals(AttemptRecord.Outcome.REJECTED, store.load(diverged).last().orElseThrow().outcome());
    }

    @Test
    void finishedRunsAreNotStartedAgain(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        List<String> started = new ArrayList<>();
        runner(plan, store, new ScriptedLauncher(store, spec -> {
            started.add(spec.runId());
            return 0;
        }), 3).run();
        assertEquals(plan.runs().size(), started.size());
        started.clear();

        SweepResult again = runner(plan, store, new ScriptedLauncher(store, spec -> {
            started.add(spec.runId());
            return 0;
        }), 3).run();

        assertEquals(plan.runs().size(), again.succeeded());
        assertEquals(List.of(), started);
    }

    @Test
    void aRunThatFinishedUnrecordedGetsItsSucceededAttemptInTheHistory(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        String unrecorded = plan.runs().get(0).runId();
        FinalMetrics.write(MetricsLayout.ofSweep(store.sweepDir()), unrecorded, 1);
        List<String> started = new ArrayList<>();

        runner(plan, store, new ScriptedLauncher(store, spec -> {
            started.add(spec.runId());
            return 0;
        }), 3).run();

        assertTrue(!started.contains(unrecorded), "a finished run is not started again");
        assertEquals(List.of(AttemptRecord.Outcome.SUCCEEDED), store.load(unrecorded).attempts().stream()
                .map(AttemptRecord::outcome).toList());
    }

    @Test
    void aFinalFileThatCannotBeReadIsSetAsideAndItsRunTrainedAgain(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        String corrupt = plan.runs().get(0).runId();
        Path cut = FinalMetrics.write(MetricsLayout.ofSweep(store.sweepDir()), corrupt, 1);
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(cut), 9)); // cut short: a full disk, a bad copy
        List<String> started = new ArrayList<>();

        SweepResult result = runner(plan, store, new ScriptedLauncher(store, spec -> {
            started.add(spec.runId());
            return 0;
        }), 3).run();

        assertTrue(result.complete());
        assertTrue(started.contains(corrupt), "a run whose only final file is unreadable is not done");
        assertTrue(Files.exists(cut.resolveSibling(cut.getFileName() + MetricsLayout.UNREADABLE_SUFFIX)),
                "the unreadable file is kept, renamed out of the readers' way");
        assertTrue(!Files.exists(cut));
    }

    @Test
    void aWorkerDoneBeforeItsFinalFileIsVisibleIsNotCountedFailed(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        ScheduledExecutorService sharedFilesystem = Executors.newSingleThreadScheduledExecutor();
        Launcher slowToShow = new UntilCancelled() {
            @Override
            public RunHandle start(RunSpec spec, int attempt) {
                sharedFilesystem.schedule(() -> FinalMetrics.write(MetricsLayout.ofSweep(store.sweepDir()), spec.runId(), attempt), 1500,
                        TimeUnit.MILLISECONDS); // visible here 1.5 s after the worker exited 0
                return RunHandle.of(spec.runId(), CompletableFuture.completedFuture(0), () -> { });
            }
        };
        try {
            SweepResult result = runner(plan, store, slowToShow, 4, RetryPolicy.immediate(1)).run();

            assertTrue(result.complete(), result.toString());
            for (RunSpec run : plan.runs()) {
                assertEquals(List.of(AttemptRecord.Outcome.SUCCEEDED), store.load(run.runId()).attempts().stream()
                        .map(AttemptRecord::outcome).toList(), run.runId());
            }
        } finally {
            sharedFilesystem.shutdownNow();
        }
    }

    @Test
    void anAttemptStartedJustBeforeACrashIsFollowedOnceItsWorkerShowsNotStartedTwice(@TempDir Path dir)
            throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        String starting = plan.runs().get(0).runId();
        store.save(RunRecord.empty(starting).with(AttemptRecord.started(1, java.time.Instant.now().toString())));
        long showsAt = System.nanoTime() + 1_500_000_000L; // its worker takes its lock 1.5 s later
        List<String> started = new CopyOnWriteArrayList<>();
        Launcher launcher = new UntilCancelled() {
            @Override
            public RunHandle start(RunSpec spec, int attempt) throws IOException {
                started.add(spec.runId());
                FinalMetrics.write(MetricsLayout.ofSweep(store.sweepDir()), spec.runId(), attempt);
                return RunHandle.of(spec.runId(), CompletableFuture.completedFuture(0), () -> { });
            }

            @Override
            public Optional<RunHandle> adopt(RunSpec spec, int attempt) throws IOException {
                if (System.nanoTime() < showsAt) {
                    return Optional.empty();
                }
                FinalMetrics.write(MetricsLayout.ofSweep(store.sweepDir()), spec.runId(), attempt);
                return Optional.of(RunHandle.of(spec.runId(), CompletableFuture.completedFuture(0), () -> { }));
            }
        };

        SweepResult result = runner(plan, store, launcher, 2, RetryPolicy.immediate(3)).run();

        assertTrue(result.complete(), result.toString());
        assertTrue(!started.contains(starting), "followed, not started a second time: " + started);
        assertEquals(List.of(AttemptRecord.Outcome.SUCCEEDED), store.load(starting).attempts().stream()
                .map(AttemptRecord::outcome).toList());
    }

    @Test
    void everyAttemptIsDurablyRecordedBeforeItsStartEvenWithABatchingStore(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore durable = new SweepStore(dir);
        ScriptedLauncher launcher = new ScriptedLauncher(durable, spec -> 0); // checks the durable record

        SweepResult result = runner(plan, new BatchingStore(durable), launcher, 4, RetryPolicy.immediate(3)).run();

        assertTrue(result.complete());
        assertEquals(List.of(), launcher.unrecordedStarts,
                "a store that batches its writes (the Kubernetes ledger) is flushed before the backend acts");
    }

    /** Keeps saves in memory until flushed, as the Kubernetes ledger does; what is durable is in {@code durable}. */
    private static final class BatchingStore implements io.isoflop.scheduler.store.RunStore {
        private final SweepStore durable;
        private final Map<String, RunRecord> unwritten = new java.util.concurrent.ConcurrentHashMap<>();

        BatchingStore(SweepStore durable) {
            this.durable = durable;
        }

        @Override
        public RunRecord load(String runId) throws IOException {
            RunRecord pending = unwritten.get(runId);
            return pending != null ? pending : durable.load(runId);
        }

        @Override
        public void save(RunRecord record) {
            unwritten.put(record.runId(), record);
        }

        @Override
        public synchronized void flush() throws IOException {
            for (RunRecord record : List.copyOf(unwritten.values())) {
                durable.save(record);
                unwritten.remove(record.runId(), record);
            }
        }

        @Override
        public List<String> setAsideUnreadableMetrics(String runId) throws IOException {
            return durable.setAsideUnreadableMetrics(runId);
        }

        @Override
        public boolean isFinished(String runId) {
            return durable.isFinished(runId);
        }

        @Override
        public String attemptLog(String runId, int attempt) {
            return durable.attemptLog(runId, attempt);
        }
    }

    @Test
    void aRetryWaitsOutItsBackoffWhichDoublesPerFailure(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        String flaky = plan.runs().get(0).runId();
        List<Long> startsOfFlaky = new ArrayList<>();
        ScriptedLauncher launcher = new ScriptedLauncher(store, spec -> {
            if (!spec.runId().equals(flaky)) {
                return 0;
            }
            startsOfFlaky.add(System.nanoTime());
            return startsOfFlaky.size() < 3 ? 1 : 0;
        });
        RetryPolicy policy = new RetryPolicy(3, RetryPolicy.NO_LIMIT, Duration.ofMillis(300), Duration.ofSeconds(10));

        SweepResult result = runner(plan, store, launcher, 2, policy).run();

        assertTrue(result.complete());
        assertEquals(3, startsOfFlaky.size());
        assertTrue(startsOfFlaky.get(1) - startsOfFlaky.get(0) >= 300_000_000L, "first retry after >= 300 ms");
        assertTrue(startsOfFlaky.get(2) - startsOfFlaky.get(1) >= 600_000_000L, "second retry after >= 600 ms");
    }

    @Test
    void pastTheFailedRunLimitNoNewRunStartsAndTheReasonIsGiven(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        List<String> started = new ArrayList<>();
        ScriptedLauncher launcher = new ScriptedLauncher(store, spec -> {
            started.add(spec.runId());
            return 1;
        });
        StringWriter printed = new StringWriter();
        SweepProgress progress = new SweepProgress(new PrintWriter(printed), plan.runs().size(), plan.totalFlops(),
                plan.totalTokens());
        RetryPolicy policy = new RetryPolicy(1, 1, Duration.ZERO, Duration.ZERO);

        SweepResult result = new SweepRunner(plan, store, launcher, 1, policy, progress, Duration.ofSeconds(5)).run();

        assertEquals(2, started.size(), "one failed run is tolerated, the second stops the sweep");
        assertEquals(2, result.failed().size());
        assertEquals(plan.runs().size() - 2, result.notStarted());
        assertTrue(result.stopped().orElseThrow().contains("more than the limit of 1"), result.stopReason());
        assertTrue(printed.toString().contains("STOPPED"), printed.toString());

        SweepResult resumed = new SweepRunner(plan, store, new ScriptedLauncher(store, spec -> 0), 1,
                new RetryPolicy(1, RetryPolicy.NO_LIMIT, Duration.ZERO, Duration.ZERO), progress,
                Duration.ofSeconds(5)).run();
        assertEquals(plan.runs().size() - 2, resumed.succeeded(), "a later start resumes the runs never started");
    }

    @Test
    void stoppedWithItsAttemptsItStopsThemAndRecordsHowTheyEnded(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        UntilCancelled launcher = new UntilCancelled();

        SweepResult ended = stoppedOnceTwoRun(plan, store, launcher, true);

        assertTrue(ended.stopped().orElseThrow().startsWith("interrupted"), ended.toString());
        assertEquals(plan.runs().size(), ended.notStarted(), "nothing finished");
        assertEquals(2, launcher.cancelled.size(), "both running attempts were stopped, and no new one started");
        for (String run : launcher.cancelled) {
            assertEquals(List.of(AttemptRecord.Outcome.PREEMPTED), store.load(run).attempts().stream()
                    .map(AttemptRecord::outcome).toList(), run + ": ended on record, costing no attempt");
        }
    }

    @Test
    void stoppedWithoutItsAttemptsItLeavesThemRunningForTheNextStart(@TempDir Path dir) throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), dir);
        SweepStore store = new SweepStore(dir);
        UntilCancelled launcher = new UntilCancelled();

        SweepResult ended = stoppedOnceTwoRun(plan, store, launcher, false);

        assertTrue(ended.stopped().orElseThrow().contains("left running"), ended.toString());
        assertTrue(launcher.cancelled.isEmpty(), "Jobs on a cluster go on without the scheduler");
        long running = plan.runs().stream().filter(r -> {
            try {
                return store.load(r.runId()).last().map(a -> a.outcome() == AttemptRecord.Outcome.RUNNING)
                        .orElse(false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).count();
        assertEquals(2, running, "their attempts stay on record as running, for the next start to adopt");
    }

    /** Runs the sweep two at a time and stops it once two attempts have started. */
    private static SweepResult stoppedOnceTwoRun(IsoFlopPlan plan, SweepStore store, UntilCancelled launcher,
            boolean stopAttempts) throws Exception {
        SweepRunner runner = runner(plan, store, launcher, 2, RetryPolicy.immediate(3));
        CompletableFuture<SweepResult> result = CompletableFuture.supplyAsync(() -> runQuietly(runner));
        launcher.awaitStarts(2);
        runner.stop(stopAttempts);
        return result.get(20, TimeUnit.SECONDS);
    }

    private static SweepResult runQuietly(SweepRunner runner) {
        try {
            return runner.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Workers that train until stopped, then exit as a worker does after its checkpoint (143). */
    private static class UntilCancelled implements Launcher {
        final List<String> cancelled = new CopyOnWriteArrayList<>();
        private final java.util.concurrent.Semaphore starts = new java.util.concurrent.Semaphore(0);

        void awaitStarts(int count) throws InterruptedException {
            assertTrue(starts.tryAcquire(count, 20, TimeUnit.SECONDS), "attempts started");
        }

        @Override
        public RunHandle start(RunSpec spec, int attempt) throws IOException {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            starts.release();
            return RunHandle.of(spec.runId(), exit, () -> {
                cancelled.add(spec.runId());
                exit.complete(WorkerProtocol.Exit.PREEMPTED.code());
            });
        }

        @Override
        public Optional<RunHandle> adopt(RunSpec spec, int attempt) throws IOException {
            return Optional.empty();
        }

        @Override
        public RunHandle startFitter(FitInput input, FitTarget target) {
            throw new UnsupportedOperationException();
        }
    }

    private static SweepRunner runner(IsoFlopPlan plan, SweepStore store, Launcher launcher, int maxAttempts) {
        return runner(plan, store, launcher, 2, RetryPolicy.immediate(maxAttempts));
    }

    private static SweepRunner runner(IsoFlopPlan plan, io.isoflop.scheduler.store.RunStore store, Launcher launcher,
            int parallel, RetryPolicy policy) {
        SweepProgress progress = new SweepProgress(new PrintWriter(new StringWriter()), plan.runs().size(),
                plan.totalFlops(), plan.totalTokens());
        return new SweepRunner(plan, store, launcher, parallel, policy, progress, Duration.ofSeconds(5));
    }

    /**
     * "Runs" a worker by deciding its exit code; exit 0 writes the final metrics marker as a worker would. Each
     * "worker" lives for {@value #WORKER_MILLIS} ms after its start returns, so attempts overlap as real ones do.
     * It records nothing: it checks that the runner recorded the attempt before asking for it.
     */
    private static final class ScriptedLauncher implements Launcher {
        private static final long WORKER_MILLIS = 40;
        private static final ScheduledExecutorService WORKERS = Executors.newScheduledThreadPool(4);
        private final SweepStore store;
        private final Function<RunSpec, Integer> exitCodes;
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger maxConcurrent = new AtomicInteger();
        final List<String> unrecordedStarts = new CopyOnWriteArrayList<>();

        ScriptedLauncher(SweepStore store, Function<RunSpec, Integer> exitCodes) {
            this.store = store;
            this.exitCodes = exitCodes;
        }

        int maxConcurrent() {
            return maxConcurrent.get();
        }

        @Override
        public synchronized RunHandle start(RunSpec spec, int attempt) throws IOException {
            var last = store.load(spec.runId()).last();
            if (last.isEmpty() || last.get().number() != attempt
                    || last.get().outcome() != AttemptRecord.Outcome.RUNNING) {
                unrecordedStarts.add(spec.runId() + " attempt " + attempt + " (recorded: " + last + ")");
            }
            maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
            int code = exitCodes.apply(spec);
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            WORKERS.schedule(() -> {
                try {
                    if (code == 0) {
                        FinalMetrics.write(MetricsLayout.ofSweep(store.sweepDir()), spec.runId(), System.nanoTime());
                    }
                } catch (IOException e) {
                    exit.completeExceptionally(e);
                }
                running.decrementAndGet();
                exit.complete(code);
            }, WORKER_MILLIS, TimeUnit.MILLISECONDS);
            return RunHandle.of(spec.runId(), exit, () -> { });
        }

        @Override
        public Optional<RunHandle> adopt(RunSpec spec, int attempt) {
            return Optional.empty();
        }

        @Override
        public RunHandle startFitter(FitInput input, FitTarget target) {
            throw new UnsupportedOperationException();
        }
    }
}
