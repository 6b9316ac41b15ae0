package io.isoflop.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.worker.TestRuns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
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
    @BeforeAll
    static void packaged() {
        assumeTrue(WorkerProcess.isPackaged(), "the worker is not packaged (mvn package)");
    }

    /**
     * {@link WorkerChaos} at CI size: three interruptions at random instants, SIGKILL and SIGTERM alternating; the
     * run resumes from its checkpoints and ends exactly as the uninterrupted one, every step once.
     */
    @Test
    void killedAndStoppedAtRandomInstantsItResumesAndEndsExactlyLikeAnUninterruptedRun(@TempDir Path dir)
            throws Exception {
        long seed = System.nanoTime();
        WorkerChaos.Figures figures = WorkerChaos.session(dir, 3, seed);
        String why = "seed " + seed + "\n" + figures.report() + "\n" + String.join("\n",
                WorkerProcess.lines(dir.resolve("worker.log")));
        System.out.println(figures.report());

        assertEquals(List.of(), figures.unexpectedExits(), why);
        assertTrue(figures.sigkills() >= 1 && figures.sigterms() >= 1, "both kinds of interruption happened: " + why);
        assertEquals(0, figures.duplicateSteps(), why);
        assertEquals(0, figures.missingSteps(), why);
        assertEquals(figures.steps(), figures.uniqueSteps(), "every step once: " + why);
        // bit-exact within one process (RunTrainerTest); across processes the CPU kernels may sum in another order
        assertEquals(figures.uninterruptedFinalLoss(), figures.finalLoss(), 1e-3, "the same final held-out loss: " + why);
        assertTrue(figures.metricParts() <= figures.maxMetricFiles(), "a part per checkpoint at most, and the final "
                + "file: " + why);
        assertTrue(figures.checkpointsRemoved(), "checkpoints removed: " + why);
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

        int code = WorkerChaos.exit(worker);
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
}
