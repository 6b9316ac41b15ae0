package io.isoflop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.worker.sink.MetricFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return runWith(Map.of(), args);
    }

    private int runWith(Map<String, String> env, String... args) {
        return WorkerMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aSimulatedRunIsDrawnFromItsLawAndWrittenWithoutTraining(@TempDir Path dir) throws Exception {
        RunSpec spec = TestRuns.simulated(TestRuns.tinyRun(dir.resolve("metrics"), 200L * 8 * 64, 8),
                SimulatedLaw.chinchilla(0.01, 0.01));
        Path file = dir.resolve("run.json");
        RunSpecCodec.write(spec, file);
        assertFalse(RunSpecCodec.toJson(TestRuns.tinyRun(dir, 1000, 4)).contains("simulation"),
                "a training run's spec does not mention simulation");

        assertEquals(WorkerMain.EXIT_OK, run("--spec", file.toString()), err.toString());

        assertTrue(MetricsLayout.isFinished(dir.resolve("metrics"), spec.runId()), out.toString());
        List<Group> rows = MetricFiles.rowsOfRun(dir.resolve("metrics"), spec.runId());
        assertEquals(spec.training().steps() + 1, rows.size(), "a row per step and the final row");
        assertEquals("simulated", rows.get(0).getString(MetricsSchema.DEVICE_TYPE, 0));
        assertEquals(spec.parameters(), rows.get(0).getLong(MetricsSchema.N_PARAMS, 0));
        assertEquals(spec, RunSpecCodec.read(file), "the law goes through the run spec document");
    }

    @Test
    void missingSpecArgumentPrintsUsage() {
        assertEquals(WorkerMain.EXIT_BAD_INPUT, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
    }

    @Test
    void malformedSpecNamesTheFile(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("run.json");
        Files.writeString(spec, "{\"schemaVersion\": 1, \"runId\": 5, \"bogus\": true}");
        assertEquals(WorkerMain.EXIT_BAD_INPUT, run("--spec", spec.toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains(spec.toString()), message);
        assertTrue(message.contains("budgetFlops"), message);
    }

    @Test
    void missingCorpusDirectoryIsNamed(@TempDir Path dir) throws IOException {
        RunSpec base = TestRuns.tinyRun(dir, 8 * 64, 8);
        RunSpec spec = new RunSpec(base.schemaVersion(), base.sweep(), base.runId(), base.budgetFlops(),
                base.flopConvention(), base.parameterCount(), base.shape(), base.parameters(), base.tokens(),
                base.flopsPerToken(), base.training(),
                new io.isoflop.contracts.DataSpec("files", dir.resolve("no-such-corpus").toString(), 0.01, 512, 512),
                base.evalIntervalTokens(), base.seed(), base.resources(), base.metricsDir(), base.checkpoint());
        Path file = dir.resolve("run.json");
        RunSpecCodec.write(spec, file);
        assertEquals(WorkerMain.EXIT_BAD_INPUT, run("--spec", file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no-such-corpus"));
    }

    @Test
    void theSpecDocumentCanComeInTheEnvironmentAsAKubernetesJobHandsItOver(@TempDir Path dir) throws IOException {
        RunSpec base = TestRuns.tinyRun(dir, 8 * 64, 8);
        RunSpec spec = new RunSpec(base.schemaVersion(), base.sweep(), base.runId(), base.budgetFlops(),
                base.flopConvention(), base.parameterCount(), base.shape(), base.parameters(), base.tokens(),
                base.flopsPerToken(), base.training(),
                new io.isoflop.contracts.DataSpec("files", dir.resolve("env-corpus").toString(), 0.01, 512, 512),
                base.evalIntervalTokens(), base.seed(), base.resources(), base.metricsDir(), base.checkpoint());
        assertEquals(WorkerMain.EXIT_BAD_INPUT,
                runWith(Map.of(WorkerProtocol.RUN_SPEC_JSON_ENV, RunSpecCodec.toJson(spec))));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("env-corpus"), "the document was read and used");
    }

    @Test
    void aRunAskingForAGpuOnANodeWithoutOneIsRefusedNamingTheNode(@TempDir Path dir) throws IOException {
        RunSpec base = TestRuns.tinyRun(dir.resolve("metrics"), 8 * 64, 8);
        RunSpec spec = new RunSpec(base.schemaVersion(), base.sweep(), base.runId(), base.budgetFlops(),
                base.flopConvention(), base.parameterCount(), base.shape(), base.parameters(), base.tokens(),
                base.flopsPerToken(), base.training(), base.data(), base.evalIntervalTokens(), base.seed(),
                new io.isoflop.contracts.Resources("nvidia-h200", 1, 1, "1Gi"), base.metricsDir(), null);
        Path file = dir.resolve("run.json");
        RunSpecCodec.write(spec, file);

        int code = runWith(Map.of(WorkerProtocol.NODE_NAME_ENV, "cpu-node-7"), "--spec", file.toString());

        assertEquals(WorkerProtocol.Exit.NO_GPU.code(), code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("cpu-node-7") && message.contains("1 GPU"), message);
        assertFalse(MetricsLayout.isFinished(dir.resolve("metrics"), spec.runId()), "nothing trained");
    }

    @Test
    void aRunWhoseLossBlowsUpExitsDivergedAndIsNotFinished(@TempDir Path dir) throws IOException {
        RunSpec spec = TestRuns.diverging(TestRuns.tinyRun(dir.resolve("metrics"), 40 * 8 * 64, 8));
        Path file = dir.resolve("run.json");
        RunSpecCodec.write(spec, file);

        int code = run("--spec", file.toString());

        assertEquals(WorkerProtocol.Exit.DIVERGED.code(), code, err.toString(StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("diverged") && message.contains(spec.runId()), message);
        assertFalse(MetricsLayout.isFinished(dir.resolve("metrics"), spec.runId()), "a diverged run is not done");
    }

    @Test
    void aRunWritesItsFinalMetricsFile(@TempDir Path dir) throws IOException {
        RunSpec spec = TestRuns.tinyRun(dir.resolve("metrics"), 20 * 4 * 64, 4);
        Path file = dir.resolve("run.json");
        RunSpecCodec.write(spec, file);
        assertEquals(WorkerMain.EXIT_OK, run("--spec", file.toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(MetricsLayout.isFinished(dir.resolve("metrics"), spec.runId()));
        String log = out.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("non-embedding " + spec.parameters()), log);
        assertTrue(log.contains("device: CPU ("), "the device is in the log: " + log);
        List<Group> rows = MetricFiles.rowsOfRun(dir.resolve("metrics"), spec.runId());
        assertTrue(rows.stream().allMatch(r -> r.getString(MetricsSchema.DEVICE_TYPE, 0).equals("cpu")
                && r.getInteger(MetricsSchema.DEVICE_COUNT, 0) == 1), "and in every row, the summary too");
        assertEquals(1, MetricFiles.ofRun(dir.resolve("metrics"), spec.runId()).size(),
                "a short run checkpoints nothing and leaves one file");
    }
}
