package io.isoflop.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.DataSpec;
import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.worker.TestRuns;
import io.isoflop.worker.device.ComputeDevice;
import io.isoflop.worker.sink.MetricRow;
import io.isoflop.worker.train.Checkpoint;
import io.isoflop.worker.train.Precision;
import io.isoflop.worker.train.StopRequest;
import io.isoflop.worker.train.RunTrainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token-shard source trains: a model with the dataset's vocabulary learns a synthetic token language. */
class TokenShardTrainingTest {
    private static final int VOCABULARY = 500;
    private static final int PHRASES = 50;
    private static final int PHRASE_LENGTH = VOCABULARY / PHRASES;
    private static final int CONTEXT = 64;

    @Test
    void aModelWithTheDeclaredVocabularyLearnsFromUint16Shards(@TempDir Path dir) throws IOException {
        // 50 fixed phrases of 10 tokens that together use every id once, in random order: the next token is
        // certain inside a phrase and one of 50 at a phrase's end, about 0.4 nats/token at best (ln 500 = 6.2)
        int[][] phrases = phrases(new Random(1));
        Path shards = Files.createDirectories(dir.resolve("shards"));
        ShardFiles.uint16(shards.resolve("train_000.bin"), stream(phrases, 3000, new Random(2)));
        ShardFiles.uint16(shards.resolve("train_001.bin"), stream(phrases, 3000, new Random(3)));
        ShardFiles.uint16(shards.resolve("val.bin"), stream(phrases, 400, new Random(4)));
        Files.writeString(shards.resolve("meta.pkl"), "vocab_size: 500");

        long tokens = 300L * 8 * CONTEXT; // 300 steps of 8 sequences: about 2.6 passes over 60000 tokens
        RunSpec spec = tokenRun(dir, tokens, DataSpec.tokens(shards.toString(), DataSpec.UINT16, VOCABULARY, 0.01,
                4096, 8192));
        spec = RunSpecCodec.fromJson(RunSpecCodec.toJson(spec)); // as the worker reads it
        Corpus corpus = CorpusLoader.load(spec.data());
        assertEquals(60_000, corpus.train().length());
        assertEquals(4_000, corpus.heldOut().length());
        assertEquals(VOCABULARY, corpus.vocabulary());

        BatchSampler sampler = new BatchSampler(corpus, CONTEXT, spec.seed());
        List<MetricRow> rows = new ArrayList<>();
        double finalLoss;
        List<MetricRow> summaries = new ArrayList<>();
        try (RunTrainer trainer = new RunTrainer(spec, new ComputeDevice(ComputeDevice.CPU, "test", 1),
                Precision.FP32)) {
            assertEquals(spec.shape().totalParameters(), trainer.parameterCounts().total(),
                    "the built model has embeddings and logits for the declared vocabulary of " + VOCABULARY);
            RunTrainer.Outcome outcome = trainer.train(sampler, new RunTrainer.TrainingListener() {
                @Override
                public void onResume(Checkpoint at) {}

                @Override
                public void onStep(MetricRow row) {
                    rows.add(row);
                }

                @Override
                public void onCheckpoint(long step) {}

                @Override
                public void onFinish(MetricRow summary) {
                    summaries.add(summary);
                }
            }, StopRequest.never(), new PrintStream(OutputStream.nullOutputStream()));
            finalLoss = ((RunTrainer.Outcome.Finished) outcome).finalLoss();
        }
        double uniform = Math.log(VOCABULARY);
        assertEquals(uniform, rows.get(0).trainLoss(), 0.3, "an untrained model starts near ln " + VOCABULARY);
        assertTrue(finalLoss < 1.0, "held-out loss " + finalLoss + " is well below ln " + VOCABULARY + " = "
                + uniform + ", near the language's 0.39");
        assertTrue(sampler.epochs(tokens) > 2.5, "the run repeats its data: " + sampler.epochs(tokens) + " epochs");
        assertEquals(sampler.epochs(tokens), summaries.get(0).epochs(), 1e-12, "and its metric rows say so");
        assertTrue(rows.get(rows.size() / 2).epochs() > 1 && rows.get(rows.size() / 2).epochs() < 1.5,
                "epochs grow row by row");
    }

    /** A tiny run (as {@link TestRuns#tinyRun}) with the dataset's vocabulary and data. */
    private static RunSpec tokenRun(Path dir, long tokens, DataSpec data) {
        RunSpec tiny = TestRuns.tinyRun(dir, tokens, 8);
        ModelShape bytes = tiny.shape();
        ModelShape shape = new ModelShape(data.vocabulary(), bytes.contextLength(), bytes.dModel(), bytes.nLayers(),
                bytes.nHeads(), bytes.mlpRatio());
        assertEquals(CONTEXT, shape.contextLength());
        return new RunSpec(tiny.schemaVersion(), tiny.sweep(), tiny.runId(), tiny.budgetFlops(),
                tiny.flopConvention(), tiny.parameterCount(), shape, tiny.parameters(), tiny.tokens(),
                tiny.flopsPerToken(), tiny.training(), data, tiny.evalIntervalTokens(), tiny.seed(), tiny.resources(),
                tiny.metricsDir(), tiny.checkpoint());
    }

    private static int[][] phrases(Random random) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < VOCABULARY; id++) {
            ids.add(id);
        }
        Collections.shuffle(ids, random);
        int[][] phrases = new int[PHRASES][PHRASE_LENGTH];
        for (int p = 0; p < PHRASES; p++) {
            for (int t = 0; t < PHRASE_LENGTH; t++) {
                phrases[p][t] = ids.get(p * PHRASE_LENGTH + t);
            }
        }
        return phrases;
    }

    private static int[] stream(int[][] phrases, int count, Random random) {
        int[] tokens = new int[count * PHRASE_LENGTH];
        for (int i = 0; i < count; i++) {
            System.arraycopy(phrases[random.nextInt(PHRASES)], 0, tokens, i * PHRASE_LENGTH, PHRASE_LENGTH);
        }
        return tokens;
    }
}
