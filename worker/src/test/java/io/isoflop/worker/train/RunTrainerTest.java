package io.isoflop.worker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.CheckpointPolicy;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.RunSpec;
import io.isoflop.worker.TestRuns;
import io.isoflop.worker.data.BatchSampler;
import io.isoflop.worker.data.Corpus;
import io.isoflop.worker.data.CorpusLoader;
import io.isoflop.worker.device.ComputeDevice;
import io.isoflop.worker.sink.MetricRow;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTrainerTest {
    private static final ComputeDevice CPU = new ComputeDevice(ComputeDevice.CPU, "test", 1);
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** Collects what a trainer reports. */
    private static final class Recorder implements RunTrainer.TrainingListener {
        final List<MetricRow> rows = new ArrayList<>();
        final List<MetricRow> summaries = new ArrayList<>();
        final List<Long> checkpoints = new ArrayList<>();
        Checkpoint resumedFrom;
        Consumer<MetricRow> onRow = row -> { };

        @Override
        public void onResume(Checkpoint at) {
            resumedFrom = at;
        }

        @Override
        public void onStep(MetricRow row) {
            rows.add(row);
            onRow.accept(row);
        }

        @Override
        public void onCheckpoint(long step) {
            checkpoints.add(step);
        }

        @Override
        public void onFinish(MetricRow summary) {
            summaries.add(summary);
        }
    }

    private static RunTrainer.Outcome train(RunSpec spec, Recorder recorder, StopRequest stop) throws IOException {
        return train(spec, recorder, stop, Precision.FP32);
    }

    private static RunTrainer.Outcome train(RunSpec spec, Recorder recorder, StopRequest stop, Precision precision)
            throws IOException {
        Corpus corpus = CorpusLoader.load(spec.data());
        try (RunTrainer trainer = new RunTrainer(spec, CPU, precision)) {
            return trainer.train(new BatchSampler(corpus, spec.shape().contextLength(), spec.seed()), recorder, stop,
                    QUIET);
        }
    }

    private static RunSpec withCheckpoints(RunSpec spec, CheckpointPolicy policy) {
        return new RunSpec(spec.schemaVersion(), spec.sweep(), spec.runId(), spec.budgetFlops(), spec.flopConvention(),
                spec.parameterCount(), spec.shape(), spec.parameters(), spec.tokens(), spec.flopsPerToken(),
                spec.training(), spec.data(), spec.evalIntervalTokens(), spec.seed(), spec.resources(),
                spec.metricsDir(), policy);
    }

    @Test
    void lossFallsOnAShortRealRunAndExactlyThePlannedTokensAreSeen(@TempDir Path dir) throws IOException {
        long tokens = 200 * 8 * 64; // 200 steps of 8 sequences of 64 bytes
        RunSpec spec = TestRuns.tinyRun(dir, tokens, 8);
        Recorder recorder = new Recorder();

        RunTrainer.Outcome outcome = train(spec, recorder, StopRequest.never());

        double finalLoss = assertInstanceOf(RunTrainer.Outcome.Finished.class, outcome).finalLoss();
        double uniform = Math.log(256);
        double firstTrainLoss = recorder.rows.get(0).trainLoss();
        assertEquals(uniform, firstTrainLoss, 0.3, "an untrained byte model starts near ln 256");
        assertTrue(finalLoss < firstTrainLoss - 1.5, "held-out loss fell from " + firstTrainLoss + " to " + finalLoss);
        assertEquals(1, recorder.summaries.size());
        assertEquals(tokens, recorder.summaries.get(0).tokens());
        assertEquals(200, recorder.rows.size());
        assertEquals(tokens * spec.flopsPerToken(), recorder.summaries.get(0).flops(), 1e-6 * tokens * spec.flopsPerToken());
        long evaluated = recorder.rows.stream().filter(r -> !Double.isNaN(r.evalLoss())).count();
        assertEquals(3, evaluated, "evaluations at 1/4, 2/4 and 3/4 of the run; the final one is the summary");
        assertTrue(recorder.rows.get(recorder.rows.size() - 1).learningRate()
                < recorder.rows.get(recorder.rows.size() / 2).learningRate(), "the cosine schedule decays");
        assertEquals(List.of(), recorder.checkpoints, "the default policy checkpoints every 10 minutes");
        assertTrue(recorder.summaries.get(0).epochs() > 0, "epochs are counted");
    }

    @Test
    void aRunStoppedOnRequestResumesFromItsCheckpointAndEndsExactlyLikeAnUninterruptedOne(@TempDir Path dir)
            throws IOException {
        RunSpec base = TestRuns.tinyRun(dir.resolve("a"), 160 * 8 * 64, 8);
        Recorder whole = new Recorder();
        double uninterrupted = ((RunTrainer.Outcome.Finished) train(base, whole, StopRequest.never())).finalLoss();

        RunSpec spec = withCheckpoints(TestRuns.tinyRun(dir.resolve("b"), 160 * 8 * 64, 8),
                new CheckpointPolicy(40, 0, false));
        Recorder first = new Recorder();
        StopRequest stop = new StopRequest();
        first.onRow = row -> {
            if (row.step() == 96) {
                stop.request();
            }
        };
        long stoppedAt = assertInstanceOf(RunTrainer.Outcome.Stopped.class, train(spec, first, stop)).step();
        assertTrue(stoppedAt > 96 && stoppedAt < 160, "stopped soon after the request, at " + stoppedAt);
        assertEquals(List.of(40L, 80L, stoppedAt), first.checkpoints, "by the policy, then on the request");
        assertTrue(Files.exists(MetricsLayout.checkpointFile(Path.of(spec.metricsDir()), spec.runId(), stoppedAt)));
        assertTrue(Files.notExists(MetricsLayout.checkpointFile(Path.of(spec.metricsDir()), spec.runId(), 80)),
                "older checkpoints are removed");

        Recorder second = new Recorder();
        double resumed = ((RunTrainer.Outcome.Finished) train(spec, second, StopRequest.never())).finalLoss();

        assertEquals(stoppedAt, second.resumedFrom.step());
        assertEquals(stoppedAt + 1, second.rows.get(0).step(), "the first new step follows the checkpoint");
        // The same run. Usually bit for bit, but not always within one JVM: in two full-suite runs of 2026-12-03 the
        // final loss differed by 2e-5 and 4e-4 relative while the test alone was exact every time (the CPU kernels'
        // summation order is not fixed across a JVM's history). So: the first steps after the resume, which see
        // the restored parameters, optimizer state and data position before rounding differences can grow, agree
        // to 1e-3 (two full-suite runs of 2026-12-04 differed by 1.1e-4 and 5e-5 relative at the first step after
        // the resume, the test alone again exact); the whole run to 1e-3, as across processes. A resume that
        // restored the parameters or the data position wrongly misses the first check by more than tenfold.
        StringBuilder steps = new StringBuilder();
        for (MetricRow row : second.rows) {
            steps.append(String.format(java.util.Locale.ROOT, "%d: %.9f vs %.9f%n", row.step(), row.trainLoss(),
                    whole.rows.get((int) row.step() - 1).trainLoss()));
        }
        for (MetricRow row : second.rows.subList(0, 3)) {
            double same = whole.rows.get((int) row.step() - 1).trainLoss();
            assertEquals(same, row.trainLoss(), 1e-3 * same, "step " + row.step() + " after the resume:\n" + steps);
        }
        assertEquals(uninterrupted, resumed, 1e-3 * uninterrupted, "the same run:\n" + steps);
        assertTrue(Files.notExists(MetricsLayout.checkpointDir(Path.of(spec.metricsDir()), spec.runId())),
                "checkpoints go when the run finishes");
    }

    @Test
    void mixedPrecisionTrainsInFp16WithFp32MasterWeightsAndResumesExactly(@TempDir Path dir) throws IOException {
        RunSpec base = TestRuns.tinyRun(dir.resolve("a"), 120 * 8 * 64, 8);
        Recorder whole = new Recorder();
        double uninterrupted = ((RunTrainer.Outcome.Finished) train(base, whole, StopRequest.never(),
                Precision.FP16_MIXED)).finalLoss();
        double first = whole.rows.get(0).trainLoss();
        assertTrue(uninterrupted < first - 1.0, "fp16 training learns: " + first + " -> " + uninterrupted);

        RunSpec spec = withCheckpoints(TestRuns.tinyRun(dir.resolve("b"), 120 * 8 * 64, 8),
                new CheckpointPolicy(30, 0, false));
        StopRequest stop = new StopRequest();
        Recorder interrupted = new Recorder();
        interrupted.onRow = row -> {
            if (row.step() == 50) {
                stop.request();
            }
        };
        assertInstanceOf(RunTrainer.Outcome.Stopped.class, train(spec, interrupted, stop, Precision.FP16_MIXED));
        double resumed = ((RunTrainer.Outcome.Finished) train(spec, new Recorder(), StopRequest.never(),
                Precision.FP16_MIXED)).finalLoss();
        assertEquals(uninterrupted, resumed, 0.0, "master weights, moments and loss scale come back exactly");
    }

    @Test
    void aLossThatBlowsUpIsReportedAsDivergence(@TempDir Path dir) {
        RunSpec spec = TestRuns.diverging(TestRuns.tinyRun(dir, 60 * 8 * 64, 8));

        DivergedException e = assertThrows(DivergedException.class, () -> train(spec, new Recorder(),
                StopRequest.never()));
        assertTrue(e.getMessage().contains("training loss became"), e.getMessage());
    }

    @Test
    void precisionIsFp16MixedOnAGpuAndFp32OnTheCpuUnlessAsked() {
        ComputeDevice gpu = new ComputeDevice(ComputeDevice.GPU, "NVIDIA H200", 1);
        assertEquals(Precision.FP16_MIXED, Precision.choose(null, gpu));
        assertEquals(Precision.FP32, Precision.choose("auto", CPU));
        assertEquals(Precision.FP32, Precision.choose("fp32", gpu));
        assertEquals(Precision.FP16_MIXED, Precision.choose("FP16-mixed", CPU));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.choose("bf16", gpu));
        assertTrue(e.getMessage().contains("fp16-mixed") && e.getMessage().contains("bf16"), e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameInitialWeights(@TempDir Path dir) {
        RunSpec spec = TestRuns.tinyRun(dir, 8 * 64, 8);
        float[] first;
        float[] second;
        try (RunTrainer a = new RunTrainer(spec, CPU, Precision.FP32)) {
            first = a.firstWeights();
        }
        try (RunTrainer b = new RunTrainer(spec, CPU, Precision.FP32)) {
            second = b.firstWeights();
        }
        assertArrayEquals(first, second);
    }
}
