package io.isoflop.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isoflop.contracts.CheckpointPolicy;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.worker.TestRuns;
import io.isoflop.worker.sink.MetricFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker as a process, as every backend runs it: killed (SIGKILL) and stopped (SIGTERM) part-way and started
 * again with the same run spec, it resumes from its checkpoint and ends exactly as an uninterrupted run; pointed
 * at a libtorch directory with {@code PYTORCH_LIBRARY_PATH} (how the GPU image brings CUDA's libtorch), it loads
 * the natives from there.
 */
class WorkerProcessIT {
    private static final Pattern RESUMED = Pattern.compile("resuming from the checkpoint at step (\\d+)");

    @BeforeAll
    static void packaged() {
        assumeTrue(WorkerProcess.isPackaged(), "the worker is not packaged (mvn package)");
    }

    /** ~1,500 steps of a tiny model: long enough to be interrupted twice, a checkpoint every 100 steps. */
    private static RunSpec run(Path metricsDir) {
        RunSpec base = TestRuns.tinyRun(metricsDir, 1500L * 8 * 64, 8);
        return new RunSpec(base.schemaVersion(), base.sweep(), base.runId(), base.budgetFlops(), base.flopConvention(),
                base.parameterCount(), base.shape(), base.parameters(), base.tokens(), base.flopsPerToken(),
                base.training(), base.data(), base.evalIntervalTokens(), base.seed(), base.resources(), base.metricsDir(),
                new CheckpointPolicy(100, 0, false));
    }

    @Test
    void killedAndStoppedPartWayItResumesAndEndsExactlyLikeAnUninterruptedRun(@TempDir Path dir) throws Exception {
        RunSpec whole = run(dir.resolve("whole"));
        Path wholeSpec = dir.resolve("whole.json");
        RunSpecCodec.write(whole, wholeSpec);
        Process uninterrupted = WorkerProcess.start(wholeSpec, dir.resolve("whole.log"), Map.of());
        assertEquals(0, exit(uninterrupted), String.join("\n", WorkerProcess.lines(dir.resolve("whole.log"))));

        RunSpec spec = run(dir.resolve("metrics"));
        Path specFile = dir.resolve("run.json");
        RunSpecCodec.write(spec, specFile);
        Path log = dir.resolve("worker.log");
        Path metrics = Path.of(spec.metricsDir());

        Process first = WorkerProcess.start(specFile, log, Map.of());
        awaitCheckpointAfter(metrics, spec.runId(), 0, first);
        first.destroyForcibly(); // SIGKILL: no hook runs, whatever followed the last checkpoint is lost
        assertEquals(137, exit(first));

        Process second = WorkerProcess.start(specFile, log, Map.of());
        long resumedAt = awaitResume(log, 1);
        awaitCheckpointAfter(metrics, spec.runId(), resumedAt, second);
        second.destroy(); // SIGTERM: checkpoint and stop within the grace period
        assertEquals(Exit.PREEMPTED.code(), exit(second), String.join("\n", WorkerProcess.lines(log)));

        Process third = WorkerProcess.start(specFile, log, Map.of());
        assertEquals(0, exit(third), String.join("\n", WorkerProcess.lines(log)));
        long resumedAgain = awaitResume(log, 2);
        assertTrue(resumedAt > 0 && resumedAgain > resumedAt, "each restart resumed further on: " + resumedAt + ", "
                + resumedAgain);

        List<Group> rows = MetricFiles.rowsOfRun(metrics, spec.runId());
        Set<Long> steps = new HashSet<>();
        for (Group row : rows) {
            if (!row.getBoolean(MetricsSchema.IS_FINAL, 0)) {
                assertTrue(steps.add(row.getLong(MetricsSchema.STEP, 0)), "step " + row.getLong(MetricsSchema.STEP, 0)
                        + " appears twice");
            }
        }
        assertEquals(whole.training().steps(), steps.size(), "every step once");
        // bit-exact within one process (RunTrainerTest); across processes the CPU kernels may sum in another order
        assertEquals(finalLoss(dir.resolve("whole"), whole.runId()), finalLoss(metrics, spec.runId()), 1e-3,
                "the same final held-out loss as the uninterrupted run");
        assertTrue(MetricFiles.ofRun(metrics, spec.runId()).size() <= whole.training().steps() / 100 + 1,
                "a part per checkpoint at most, and the final file: " + MetricFiles.ofRun(metrics, spec.runId()));
        assertTrue(Files.notExists(MetricsLayout.checkpointDir(metrics, spec.runId())), "checkpoints removed");
    }

    @Test
    void nativesComeFromPytorchLibraryPathWhenItIsSet(@TempDir Path dir) throws Exception {
        Path libtorch = Files.createDirectories(dir.resolve("libtorch/lib"));
        int extracted = extractCpuNatives(libtorch);
        assertTrue(extracted >= 3, "libtorch, libc10 and friends: " + extracted);
        RunSpec spec = TestRuns.tinyRun(dir.resolve("metrics"), 40L * 4 * 64, 4);
        Path specFile = dir.resolve("run.json");
        RunSpecCodec.write(spec, specFile);
        Path log = dir.resolve("worker.log");

        Process worker = WorkerProcess.start(specFile, log, Map.of("PYTORCH_LIBRARY_PATH", libtorch.toString(),
                "PYTORCH_FLAVOR", "cpu", "PYTORCH_VERSION", "2.7.1", "DJL_CACHE_DIR", dir.resolve("djl").toString()));

        int code = exit(worker);
        String output = String.join("\n", WorkerProcess.lines(log));
        assertEquals(0, code, output);
        assertTrue(output.contains("natives: PyTorch 2.7.1 from " + libtorch), output);
        assertTrue(MetricsLayout.isFinished(dir.resolve("metrics"), spec.runId()), output);
    }

    /** Unpacks the CPU libtorch from the pytorch-native-cpu jar the worker ships with; returns the file count. */
    private static int extractCpuNatives(Path into) throws IOException {
        Path jar;
        try (Stream<Path> lib = Files.list(WorkerProcess.TARGET.resolve("lib"))) {
            jar = lib.filter(f -> f.getFileName().toString().startsWith("pytorch-native-cpu")).findFirst()
                    .orElseThrow(() -> new AssertionError("no pytorch-native-cpu jar in target/lib"));
        }
        int count = 0;
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith("pytorch/cpu/linux-x86_64/") && name.contains(".so")) {
                    Files.copy(zip, into.resolve(name.substring(name.lastIndexOf('/') + 1)));
                    count++;
                }
            }
        }
        return count;
    }

    private static double finalLoss(Path metricsDir, String runId) throws IOException {
        return MetricFiles.rowsOfRun(metricsDir, runId).stream().filter(r -> r.getBoolean(MetricsSchema.IS_FINAL, 0))
                .mapToDouble(r -> r.getDouble(MetricsSchema.EVAL_LOSS, 0)).findFirst().orElseThrow();
    }

    private static int exit(Process process) throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the worker did not end within 5 minutes");
        }
        return process.exitValue();
    }

    /** Waits until the run has a checkpoint beyond {@code step}. */
    private static void awaitCheckpointAfter(Path metrics, String runId, long step, Process worker) throws Exception {
        Path dir = MetricsLayout.checkpointDir(metrics, runId);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.anyMatch(f -> f.getFileName().toString().startsWith("step-")
                            && Long.parseLong(f.getFileName().toString().replaceAll("\\D", "")) > step)) {
                        return;
                    }
                }
            }
            assertTrue(worker.isAlive(), "the worker ended before a checkpoint after step " + step);
            assertTrue(System.nanoTime() < deadline, "no checkpoint after step " + step + " within 3 minutes");
            Thread.sleep(20);
        }
    }

    /** The step the {@code nth} restart resumed from, as its log says. */
    private static long awaitResume(Path log, int nth) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Matcher m = RESUMED.matcher(String.join("\n", WorkerProcess.lines(log)));
            int found = 0;
            while (m.find()) {
                if (++found == nth) {
                    return Long.parseLong(m.group(1));
                }
            }
            assertTrue(System.nanoTime() < deadline, "no resume #" + nth + " in the log within 2 minutes");
            Thread.sleep(50);
        }
    }
}
