package io.isoflop.scheduler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ProcessLock;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real sweep (scheduler process, and in one case its workers too) part-way and runs the same command
 * again: runs that had finished are never trained again, and every run ends with exactly one final metrics file.
 */
class SweepRestartIT {

    @Test
    void crashOfSchedulerAndWorkersIsCompletedByRunningTheSameCommandAgain(@TempDir Path dir) throws Exception {
        Path spec = TinySweep.writeSpec(dir, "crash", "[4e9, 8e9]");
        SweepStore store = new SweepStore(dir.resolve("sweeps/crash"));
        Process scheduler = startSchedulerProcess(spec, dir.resolve("first.log"));
        waitForFinishedRuns(store, 2, scheduler);
        scheduler.descendants().forEach(ProcessHandle::destroyForcibly);
        scheduler.destroyForcibly().waitFor();
        Map<String, List<String>> finishedBefore = finalFilesByRun(store);

        int code = runAgain(spec);

        assertEquals(ExitCodes.OK, code);
        IsoFlopPlan plan = PlanJson.read(store.planFile());
        Map<String, List<String>> finishedAfter = finalFilesByRun(store);
        assertEquals(plan.runs().size(), finishedAfter.size(), "every run finished");
        for (RunSpec run : plan.runs()) {
            List<String> files = finishedAfter.get(run.runId());
            assertEquals(1, files.size(), run.runId() + " was completed exactly once: " + files);
            if (finishedBefore.containsKey(run.runId())) {
                assertEquals(finishedBefore.get(run.runId()), files, run.runId() + " was not trained again");
                assertEquals(1, store.load(run.runId()).attempts().size(), run.runId() + " was started once");
            }
        }
        long restarted = plan.runs().stream().filter(r -> !finishedBefore.containsKey(r.runId())).count();
        assertTrue(restarted > 0, "the kill interrupted at least one run");
    }

    @Test
    void workersThatOutliveTheSchedulerAreFollowedNotDuplicated(@TempDir Path dir) throws Exception {
        Path spec = TinySweep.writeSpec(dir, "orphans", "[4e9, 8e9]");
        SweepStore store = new SweepStore(dir.resolve("sweeps/orphans"));
        Process scheduler = startSchedulerProcess(spec, dir.resolve("first.log"));
        waitForFinishedRuns(store, 1, scheduler);
        IsoFlopPlan plan = PlanJson.read(store.planFile());
        awaitAWorkerTraining(store, plan, scheduler);
        scheduler.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, the workers keep training
        List<String> trainingAtTheRestart = unfinishedRunsWithALiveWorker(store, plan);

        int code = runAgain(spec);

        assertEquals(ExitCodes.OK, code);
        assertFalse(trainingAtTheRestart.isEmpty(), "a worker was alive when the sweep was started again");
        for (RunSpec run : plan.runs()) {
            assertEquals(1, finalFilesByRun(store).get(run.runId()).size(), run.runId());
            List<AttemptRecord> attempts = store.load(run.runId()).attempts();
            assertEquals(1, attempts.size(), run.runId() + " was never started a second time: " + attempts);
            assertEquals(AttemptRecord.Outcome.SUCCEEDED, attempts.get(0).outcome());
        }
    }

    @Test
    void ctrlCStopsTheWorkersAfterACheckpointAndLeavesNoAttemptRunning(@TempDir Path dir) throws Exception {
        Path spec = TinySweep.writeSpec(dir, "ctrlc", "[4e9, 8e9]");
        SweepStore store = new SweepStore(dir.resolve("sweeps/ctrlc"));
        Process scheduler = SchedulerProcess.startAsFromATerminal(dir.resolve("first.log"), "sweep", spec.toString(),
                "--no-fit", "--heartbeat", "1");
        waitForFinishedRuns(store, 1, scheduler);
        IsoFlopPlan plan = PlanJson.read(store.planFile());
        awaitAWorkerTraining(store, plan, scheduler);
        List<String> interrupted = unfinishedRunsWithALiveWorker(store, plan);

        ctrlC(scheduler);

        assertTrue(scheduler.waitFor(OrderlyStop.PATIENCE.toSeconds() + 20, java.util.concurrent.TimeUnit.SECONDS),
                "the sweep ended after Ctrl-C");
        String log = Files.readString(dir.resolve("first.log"));
        assertTrue(log.contains("interrupted:"), log);
        for (RunSpec run : plan.runs()) {
            List<AttemptRecord> attempts = store.load(run.runId()).attempts();
            assertTrue(attempts.stream().noneMatch(a -> a.outcome() == AttemptRecord.Outcome.RUNNING),
                    run.runId() + " has no attempt left running: " + attempts);
            assertTrue(attempts.stream().noneMatch(a -> a.outcome() == AttemptRecord.Outcome.FAILED),
                    run.runId() + ": Ctrl-C costs no attempt: " + attempts);
        }
        for (String run : interrupted) {
            assertFalse(ProcessLock.isHeld(MetricsLayout.lockFile(MetricsLayout.ofSweep(store.sweepDir()), run)), run + "'s worker ended");
            if (!store.isFinished(run)) {
                assertEquals(AttemptRecord.Outcome.PREEMPTED, store.load(run).last().orElseThrow().outcome(), run);
            }
        }

        assertEquals(ExitCodes.OK, runAgain(spec));
        for (String run : interrupted) {
            List<AttemptRecord> attempts = store.load(run).attempts();
            if (attempts.size() > 1 && Files.readString(Path.of(store.attemptLog(run, attempts.size() - 1)))
                    .contains("stopped at step")) { // stopped after a checkpoint, then resumed from it
                assertTrue(Files.readString(Path.of(store.attemptLog(run, attempts.size())))
                        .contains("resuming from the checkpoint"), run + " resumed");
            }
            assertEquals(AttemptRecord.Outcome.SUCCEEDED, attempts.get(attempts.size() - 1).outcome(), run);
        }
    }

    /**
     * The sweep's disk fills up while workers train (a tmpfs of 64 MB, filled to the last byte): runs fail, the
     * scheduler ends, nothing recorded is corrupt; once space is freed, the same command with more attempts
     * finishes every run exactly once and leaves the runs finished before the disk filled alone. Needs a tmpfs
     * mount (root, as in CI); skipped where mounting is not allowed.
     */
    @Test
    void aFullDiskCorruptsNothingAndTheSweepCompletesOnceThereIsSpace(@TempDir Path dir) throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", disk.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            Path spec = TinySweep.writeSpec(disk, "full", "[4e9, 8e9]");
            SweepStore store = new SweepStore(disk.resolve("sweeps/full"));
            Path log = dir.resolve("full.log");
            Process scheduler = startSchedulerProcess(spec, log);
            IsoFlopPlan plan = awaitPlan(store, scheduler);
            awaitAWorkerTraining(store, plan, scheduler);
            Map<String, List<String>> finishedBefore = finalFilesByRun(store);
            Path filler = disk.resolve("filler");
            fill(filler);

            assertTrue(scheduler.waitFor(5, TimeUnit.MINUTES), "the scheduler did not end within 5 minutes on a "
                    + "full disk:\n" + Files.readString(log));
            String output = Files.readString(log);
            System.out.println("full disk: the scheduler exited " + scheduler.exitValue() + ":\n" + output);
            assertTrue(scheduler.exitValue() != ExitCodes.OK, output);
            assertTrue(output.contains("No space left on device"), "the cause is said:\n" + output);
            try (Stream<Path> files = Files.walk(disk)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".unreadable"))
                        .toList(), "no state or metrics file was damaged");
            }
            for (RunSpec run : plan.runs()) {
                store.load(run.runId()); // every run's record reads
            }

            Files.delete(filler);
            StringWriter out = new StringWriter();
            int code = IsoflopCli.execute(new String[] {"sweep", spec.toString(), "--no-fit", "--heartbeat", "10",
                "--max-attempts", "20"}, new PrintWriter(out, true), new PrintWriter(out, true));
            assertEquals(ExitCodes.OK, code, out.toString());
            Map<String, List<String>> finishedAfter = finalFilesByRun(store);
            try (Stream<Path> files = Files.walk(disk)) {
                // a worker stopped in the middle of a write leaves its hidden temporary (readers skip it); the
                // run's next worker removes it
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(".tmp-")).toList(),
                        "no temporary file left once the sweep completed");
            }
            assertEquals(plan.runs().size(), finishedAfter.size(), "every run finished: " + out);
            for (RunSpec run : plan.runs()) {
                assertEquals(1, finishedAfter.get(run.runId()).size(), run.runId() + " finished exactly once");
                if (finishedBefore.containsKey(run.runId())) {
                    assertEquals(finishedBefore.get(run.runId()), finishedAfter.get(run.runId()),
                            run.runId() + " was not trained again");
                }
            }
        } finally {
            command("umount", "-l", disk.toString());
        }
    }

    /** Writes {@code filler} until the disk is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[1 << 20];
        try (java.io.OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    private static IsoFlopPlan awaitPlan(SweepStore store, Process scheduler) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(store.planFile())) {
            assertTrue(scheduler.isAlive() && System.nanoTime() < deadline, "no plan within 60 s");
            Thread.sleep(50);
        }
        return PlanJson.read(store.planFile());
    }

    private static int command(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    /** What a terminal's Ctrl-C does: SIGINT to the foreground group, the scheduler and its workers. */
    private static void ctrlC(Process scheduler) throws Exception {
        List<ProcessHandle> group = new java.util.ArrayList<>(scheduler.descendants().toList());
        assertEquals(0, kill("-INT", scheduler.pid()), "kill -INT the scheduler");
        for (ProcessHandle process : group) {
            kill("-INT", process.pid()); // a worker may have ended meanwhile
        }
    }

    private static int kill(String signal, long pid) throws Exception {
        return new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    /** Waits until some run that has not finished yet has a worker holding its lock. */
    private static void awaitAWorkerTraining(SweepStore store, IsoFlopPlan plan, Process scheduler) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (unfinishedRunsWithALiveWorker(store, plan).isEmpty()) {
            assertTrue(scheduler.isAlive(), "the scheduler ended before it could be killed");
            assertTrue(System.nanoTime() < deadline, "no worker was training within 2 minutes");
            Thread.sleep(100);
        }
    }

    private static List<String> unfinishedRunsWithALiveWorker(SweepStore store, IsoFlopPlan plan) throws IOException {
        List<String> runs = new java.util.ArrayList<>();
        for (RunSpec run : plan.runs()) {
            if (!store.isFinished(run.runId())
                    && ProcessLock.isHeld(MetricsLayout.lockFile(MetricsLayout.ofSweep(store.sweepDir()), run.runId()))) {
                runs.add(run.runId());
            }
        }
        return runs;
    }

    private static int runAgain(Path spec) {
        StringWriter out = new StringWriter();
        int code = IsoflopCli.execute(new String[] {"sweep", spec.toString(), "--no-fit", "--heartbeat", "10"},
                new PrintWriter(out, true), new PrintWriter(out, true));
        System.out.println(out);
        return code;
    }

    private static Process startSchedulerProcess(Path spec, Path log) throws IOException {
        return SchedulerProcess.start(log, "sweep", spec.toString(), "--no-fit", "--heartbeat", "1");
    }

    private static void waitForFinishedRuns(SweepStore store, int count, Process scheduler) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (finalFilesByRun(store).size() < count) {
            assertTrue(scheduler.isAlive(), "the scheduler ended before it could be killed");
            assertTrue(System.nanoTime() < deadline, "no run finished within 5 minutes");
            Thread.sleep(200);
        }
    }

    private static Map<String, List<String>> finalFilesByRun(SweepStore store) throws IOException {
        Map<String, List<String>> result = new HashMap<>();
        if (!Files.isDirectory(MetricsLayout.ofSweep(store.sweepDir()))) {
            return result;
        }
        try (Stream<Path> runs = Files.list(MetricsLayout.ofSweep(store.sweepDir()))) {
            for (Path run : runs.toList()) {
                try (Stream<Path> files = Files.list(run)) {
                    List<String> finals = files.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(MetricsLayout.FINAL_SUFFIX)).sorted().toList();
                    if (!finals.isEmpty()) {
                        result.put(run.getFileName().toString(), finals);
                    }
                }
            }
        }
        return result;
    }
}
