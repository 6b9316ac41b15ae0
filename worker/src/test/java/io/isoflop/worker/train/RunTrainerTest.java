package io.isoflop.worker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.worker.TestRuns;
import io.isoflop.worker.data.BatchSampler;
import io.isoflop.worker.data.Corpus;
import io.isoflop.worker.data.CorpusLoader;
import io.isoflop.worker.sink.MetricRow;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTrainerTest {

    @Test
    void lossFallsOnAShortRealRunAndExactlyThePlannedTokensAreSeen(@TempDir Path dir) throws IOException {
        long tokens = 200 * 8 * 64; // 200 steps of 8 sequences of 64 bytes
        RunSpec spec = TestRuns.tinyRun(dir, tokens, 8);
        Corpus corpus = CorpusLoader.load(spec.data());
        List<MetricRow> rows = new ArrayList<>();
        List<MetricRow> summaries = new ArrayList<>();
        double finalLoss;
        try (RunTrainer trainer = new RunTrainer(spec)) {
            finalLoss = trainer.train(new BatchSampler(corpus, 64, spec.seed()), new RunTrainer.TrainingListener() {
                @Override
                public void onStep(MetricRow row, boolean evaluated) {
                    rows.add(row);
                }

                @Override
                public void onFinish(MetricRow summary) {
                    summaries.add(summary);
                }
            }, new PrintStream(OutputStream.nullOutputStream()));
        }
        double uniform = Math.log(256);
        double firstTrainLoss = rows.get(0).trainLoss();
        assertEquals(uniform, firstTrainLoss, 0.3, "an untrained byte model starts near ln 256");
        assertTrue(finalLoss < firstTrainLoss - 1.5, "held-out loss fell from " + firstTrainLoss + " to " + finalLoss);
        assertEquals(1, summaries.size());
        assertEquals(tokens, summaries.get(0).tokens());
        assertEquals(200, rows.size());
        assertEquals(tokens * spec.flopsPerToken(), summaries.get(0).flops(), 1e-6 * tokens * spec.flopsPerToken());
        long evaluated = rows.stream().filter(r -> !Double.isNaN(r.evalLoss())).count();
        assertEquals(3, evaluated, "evaluations at 1/4, 2/4 and 3/4 of the run; the final one is the summary");
        assertTrue(rows.get(rows.size() - 1).learningRate() < rows.get(rows.size() / 2).learningRate(),
                "the cosine schedule decays");
    }

    @Test
    void theSameSeedGivesTheSameInitialWeights(@TempDir Path dir) {
        RunSpec spec = TestRuns.tinyRun(dir, 8 * 64, 8);
        float[] first;
        float[] second;
        try (RunTrainer a = new RunTrainer(spec)) {
            first = a.firstWeights();
        }
        try (RunTrainer b = new RunTrainer(spec)) {
            second = b.firstWeights();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, second);
    }
}
