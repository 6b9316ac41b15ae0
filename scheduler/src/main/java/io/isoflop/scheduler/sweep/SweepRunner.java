package io.isoflop.scheduler.sweep;

import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunPhase;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.RunStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives a plan to completion through a {@link Launcher}: at most {@code maxParallel} attempts at once, the
 * largest runs first (shortest overall time), failed attempts retried with exponential backoff up to the
 * {@link RetryPolicy}'s limit, and no new runs started once too many have failed for good. A run counts as done
 * only when its final metrics file exists. Started again after a crash, it skips finished runs, follows
 * attempts that are still going and restarts the rest.
 */
public final class SweepRunner {
    private static final int DISPATCH_THREADS = 16;
    private static final int DISPATCH_BATCH = 256;
    /** How long after its start an attempt may take to show itself to {@link Launcher#adopt}. */
    static final Duration WORKER_STARTUP = Duration.ofSeconds(30);
    /** How long a worker's "done" waits for its final metrics file to become visible here. */
    static final Duration FINAL_FILE_PATIENCE = Duration.ofSeconds(30);

    private final IsoFlopPlan plan;
    private final RunStore store;
    private final Launcher launcher;
    private final int maxParallel;
    private final RetryPolicy retries;
    private final SweepObserver observer;
    private final Duration heartbeat;

    public SweepRunner(IsoFlopPlan plan, RunStore store, Launcher launcher, int maxParallel, RetryPolicy retries,
            SweepObserver observer, Duration heartbeat) {
        if (maxParallel < 1) {
            throw new IllegalArgumentException("max parallel must be at least 1, not " + maxParallel);
        }
        this.plan = plan;
        this.store = store;
        this.launcher = launcher;
        this.maxParallel = maxParallel;
        this.retries = retries;
        this.observer = observer;
        this.heartbeat = heartbeat;
    }

    private ExecutorService starter;
    /** Completed by {@link #stop}: wakes the loop, which then starts nothing more. */
    private final CompletableFuture<Boolean> stopRequest = new CompletableFuture<>();

    /**
     * Asks a running sweep to stop (a signal to its process): no new attempt starts; running attempts are stopped
     * and awaited, so that their end is on record (a worker stopped so checkpoints and exits with the preempted
     * code, which costs no attempt), or, when their backend runs them apart from this process, left to go on and be
     * adopted by the next start. {@link #run} then returns, its result saying it was interrupted.
     */
    public void stop(boolean stopRunningAttempts) {
        stopRequest.complete(stopRunningAttempts);
    }

    public SweepResult run() throws IOException, InterruptedException {
        starter = Executors.newFixedThreadPool(DISPATCH_THREADS, r -> {
            Thread thread = new Thread(r, "isoflop-dispatch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return drive();
        } finally {
            starter.shutdownNow();
        }
    }

    private SweepResult drive() throws IOException, InterruptedException {
        ReadyQueue queue = new ReadyQueue();
        Map<RunSpec, RunHandle> running = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        int succeeded = 0;
        for (RunSpec spec : largestFirst(plan.runs())) {
            List<String> unreadable = store.setAsideUnreadableMetrics(spec.runId());
            if (!unreadable.isEmpty()) {
                observer.setAside(spec, unreadable);
            }
            RunPhase phase = store.phase(spec.runId(), retries.maxAttempts());
            switch (phase) {
                case SUCCEEDED -> {
                    closeAttemptThatFinishedUnwatched(spec.runId());
                    observer.alreadyDone(spec);
                    succeeded++;
                }
                case FAILED -> {
                    failed.add(spec.runId());
                    observer.failed(spec, null);
                }
                case RUNNING -> {
                    Optional<RunHandle> alive = adopt(spec, store.load(spec.runId()));
                    if (alive.isPresent()) {
                        running.put(spec, alive.get());
                        observer.following(spec);
                    } else {
                        recordLost(spec.runId());
                        observer.lost(spec);
                        queue.add(spec, Duration.ZERO);
                    }
                }
                case PENDING -> queue.add(spec, Duration.ZERO);
            }
        }
        String stopReason = null;
        boolean interrupted = false;
        while (!queue.isEmpty() || !running.isEmpty()) {
            if (!interrupted && stopRequest.isDone()) {
                interrupted = true;
                boolean stopAttempts = stopRequest.join();
                stopReason = String.format(Locale.ROOT, "interrupted: %d running attempt(s) %s, %d run(s) not started;"
                        + " start the sweep again to resume", running.size(),
                        stopAttempts ? "stopped after a checkpoint" : "left running", queue.size());
                if (!stopAttempts) {
                    break;
                }
                running.values().forEach(RunHandle::cancel);
            }
            if (stopReason == null && retries.stopsAt(failed.size())) {
                stopReason = String.format(Locale.ROOT,
                        "%d runs failed for good, more than the limit of %d: no new runs were started (%d left"
                                + " unstarted); fix the cause, then start the sweep again to resume",
                        failed.size(), retries.maxFailedRuns(), queue.size());
                observer.stopped(stopReason);
            }
            if (stopReason == null) {
                dispatch(queue, running);
            }
            observer.snapshot(running.size());
            if (stopReason != null && running.isEmpty()) {
                break;
            }
            Duration wait = stopReason != null || running.size() >= maxParallel ? heartbeat
                    : queue.untilNextReady().map(d -> d.compareTo(heartbeat) < 0 ? d : heartbeat).orElse(heartbeat);
            for (RunSpec spec : awaitAny(running, wait, !interrupted)) {
                RunHandle handle = running.remove(spec);
                Outcome outcome = settle(spec, handle.exit().join());
                if (outcome == Outcome.DONE) {
                    succeeded++;
                    observer.succeeded(spec);
                } else if (outcome == Outcome.RETRY) {
                    long failures = store.load(spec.runId()).count(AttemptRecord.Outcome.FAILED);
                    queue.add(spec, retries.backoffAfter(failures));
                    observer.retrying(spec, lastLog(spec));
                } else {
                    failed.add(spec.runId());
                    observer.failed(spec, lastLog(spec));
                }
            }
        }
        observer.snapshot(running.size());
        // Runs left running (an interrupted sweep whose backend keeps them going) are not done either.
        return new SweepResult(succeeded, failed, queue.size() + running.size(), stopReason);
    }

    /**
     * Starts every run whose time has come while there is room, up to {@value #DISPATCH_THREADS} at once: a
     * start is mostly waiting (an API server's answer, a process launch), and a large sweep is submitted in
     * seconds rather than one round trip after another.
     */
    private void dispatch(ReadyQueue queue, Map<RunSpec, RunHandle> running) throws IOException, InterruptedException {
        while (running.size() < maxParallel) {
            List<ReadyQueue.Entry> batch = new ArrayList<>();
            while (running.size() + batch.size() < maxParallel && batch.size() < DISPATCH_BATCH) {
                Optional<ReadyQueue.Entry> next = queue.pollReady();
                if (next.isEmpty()) {
                    break;
                }
                batch.add(next.get());
            }
            if (batch.isEmpty()) {
                return;
            }
            // Intent first: every attempt of the batch is on durable record before any backend acts, so that a
            // scheduler killed at any instant never leaves a started attempt that nobody recorded.
            List<Integer> attempts = new ArrayList<>();
            List<RunRecord> before = new ArrayList<>();
            for (ReadyQueue.Entry entry : batch) {
                before.add(store.load(entry.spec().runId()));
                attempts.add(recordIntent(entry.spec()));
            }
            try {
                store.flush();
            } catch (IOException e) { // nothing was started: take the intents back rather than leave them to look lost
                for (RunRecord record : before) {
                    store.save(record);
                }
                throw e;
            }
            List<Future<RunHandle>> starts = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                RunSpec spec = batch.get(i).spec();
                int attempt = attempts.get(i);
                starts.add(starter.submit(() -> startRecorded(spec, attempt)));
            }
            IOException failure = null;
            for (int i = 0; i < batch.size(); i++) {
                try {
                    RunHandle handle = starts.get(i).get();
                    running.put(batch.get(i).spec(), handle);
                    observer.started(batch.get(i).spec(), batch.get(i).waitedSeconds());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Records the run's next attempt as running (made durable by the caller's flush); returns its number. */
    private int recordIntent(RunSpec spec) throws IOException {
        RunRecord record = store.load(spec.runId());
        int attempt = record.attempts().size() + 1;
        store.save(record.with(AttemptRecord.started(attempt, Instant.now().toString())));
        return attempt;
    }

    /**
     * Asks the backend to start an attempt already on record: a crash before this leaves an attempt that the next
     * start adopts or counts as lost, never an attempt nobody recorded. A start the backend refuses is recorded as
     * failed.
     */
    private RunHandle startRecorded(RunSpec spec, int attempt) throws IOException {
        try {
            return launcher.start(spec, attempt);
        } catch (IOException | RuntimeException e) {
            endLast(spec.runId(), null, AttemptRecord.Outcome.FAILED);
            throw e;
        }
    }

    private enum Outcome { DONE, RETRY, GIVE_UP }

    /**
     * Records how the attempt ended: the final metrics file, not the exit code, decides success; the worker's exit
     * (see {@link WorkerProtocol.Exit}) decides whether it is retried and whether the retry uses up an attempt.
     */
    private Outcome settle(RunSpec spec, int exitCode) throws IOException, InterruptedException {
        boolean finished = finishedOnceVisible(spec.runId(), exitCode);
        AttemptRecord.Outcome result = finished ? AttemptRecord.Outcome.SUCCEEDED
                : WorkerProtocol.Exit.of(exitCode).map(SweepRunner::unfinished).orElse(AttemptRecord.Outcome.FAILED);
        RunRecord updated = endLast(spec.runId(), exitCode == RunHandle.UNKNOWN_EXIT ? null : exitCode, result);
        return switch (result) {
            case SUCCEEDED -> Outcome.DONE;
            case PREEMPTED -> Outcome.RETRY;
            case FAILED -> updated.count(AttemptRecord.Outcome.FAILED) < retries.maxAttempts() ? Outcome.RETRY
                    : Outcome.GIVE_UP;
            case REJECTED, RUNNING -> Outcome.GIVE_UP;
        };
    }

    /**
     * Whether the run's final metrics exist. A worker that says it is done may have written them to a shared
     * filesystem or object store whose readers see new files late (NFS attribute caches, EFS): then this waits,
     * up to {@link #FINAL_FILE_PATIENCE}, before counting the attempt as failed.
     */
    private boolean finishedOnceVisible(String runId, int exitCode) throws InterruptedException {
        if (store.isFinished(runId)) {
            return true;
        }
        if (exitCode != WorkerProtocol.Exit.DONE.code()) {
            return false;
        }
        long deadline = System.nanoTime() + FINAL_FILE_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (store.isFinished(runId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Follows the run's recorded attempt if it is still going. An attempt started moments before a crash may not
     * show yet (a worker process takes its run's lock only once its JVM is up and its data loaded): until
     * {@link #WORKER_STARTUP} after the attempt's recorded start, not finding it means looking again, not starting
     * a second copy.
     */
    private Optional<RunHandle> adopt(RunSpec spec, RunRecord record) throws IOException, InterruptedException {
        int attempt = record.attempts().size();
        Instant startupEnds = record.last().map(AttemptRecord::startedAt).map(SweepRunner::instantOrNull)
                .map(at -> at.plus(WORKER_STARTUP)).orElse(Instant.MIN);
        while (true) {
            Optional<RunHandle> alive = launcher.adopt(spec, attempt);
            if (alive.isPresent() || !Instant.now().isBefore(startupEnds)) {
                return alive;
            }
            Thread.sleep(250);
        }
    }

    private static Instant instantOrNull(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** How an attempt that ended with this exit and without final metrics counts. */
    static AttemptRecord.Outcome unfinished(WorkerProtocol.Exit exit) {
        return switch (exit.retry()) {
            case WITHOUT_USING_AN_ATTEMPT -> AttemptRecord.Outcome.PREEMPTED;
            case NO -> exit == WorkerProtocol.Exit.DONE ? AttemptRecord.Outcome.FAILED : AttemptRecord.Outcome.REJECTED;
            case USING_AN_ATTEMPT -> AttemptRecord.Outcome.FAILED;
        };
    }

    /**
     * A worker that finished while no scheduler was watching: its attempt is still recorded as running, or was
     * never recorded at all (on Kubernetes the ledger is written about once a second, so a scheduler can die after
     * creating a Job and before saying so). Either way the history ends with the attempt that succeeded.
     */
    private void closeAttemptThatFinishedUnwatched(String runId) throws IOException {
        RunRecord record = store.load(runId);
        Optional<AttemptRecord> last = record.last();
        String now = Instant.now().toString();
        if (last.isPresent() && last.get().outcome() == AttemptRecord.Outcome.RUNNING) {
            store.save(record.withLast(last.get().ended(now, null, AttemptRecord.Outcome.SUCCEEDED)));
        } else if (record.count(AttemptRecord.Outcome.SUCCEEDED) == 0) {
            store.save(record.with(AttemptRecord.started(record.attempts().size() + 1, null)
                    .ended(now, null, AttemptRecord.Outcome.SUCCEEDED)));
        }
    }

    /** An attempt recorded as running whose process is gone (the machine or scheduler died with it). */
    private void recordLost(String runId) throws IOException {
        endLast(runId, null, AttemptRecord.Outcome.FAILED);
    }

    /** Ends the run's last attempt, which this runner recorded as running before it started it. */
    private RunRecord endLast(String runId, Integer exitCode, AttemptRecord.Outcome result) throws IOException {
        RunRecord record = store.load(runId);
        AttemptRecord last = record.last().orElseThrow(() -> new IllegalStateException(
                "run " + runId + " has no recorded attempt to end"));
        RunRecord updated = record.withLast(last.ended(Instant.now().toString(), exitCode, result));
        store.save(updated);
        return updated;
    }

    /**
     * Waits until at least one attempt ends, {@code wait} passes (printing a heartbeat meanwhile) or, if
     * {@code orStop}, a stop is asked for; returns the attempts that ended.
     */
    private List<RunSpec> awaitAny(Map<RunSpec, RunHandle> running, Duration wait, boolean orStop)
            throws InterruptedException {
        List<CompletableFuture<?>> ends = new ArrayList<>();
        running.values().forEach(handle -> ends.add(handle.exit()));
        if (orStop) {
            ends.add(stopRequest);
        }
        if (ends.isEmpty()) {
            Thread.sleep(Math.max(1, wait.toMillis()));
            return List.of();
        }
        CompletableFuture<?> any = CompletableFuture.anyOf(ends.toArray(CompletableFuture[]::new));
        try {
            any.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // nothing ended in time (the caller prints a heartbeat), or an attempt ended exceptionally
        }
        return running.entrySet().stream().filter(e -> e.getValue().exit().isDone()).map(Map.Entry::getKey).toList();
    }

    private String lastLog(RunSpec spec) throws IOException {
        return store.attemptLog(spec.runId(), store.load(spec.runId()).attempts().size());
    }

    private static List<RunSpec> largestFirst(List<RunSpec> runs) {
        return runs.stream().sorted(Comparator.comparingDouble(RunSpec::plannedFlops).reversed()
                .thenComparing(RunSpec::runId)).toList();
    }
}
