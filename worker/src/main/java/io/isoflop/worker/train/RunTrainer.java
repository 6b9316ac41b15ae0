package io.isoflop.worker.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.AdamW;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.TrainingRecipe;
import io.isoflop.worker.data.BatchSampler;
import io.isoflop.worker.model.DecoderLanguageModel;
import io.isoflop.worker.model.ParameterCounts;
import io.isoflop.worker.sink.MetricRow;
import java.util.Arrays;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Trains one run for exactly its planned tokens: AdamW, warmup then cosine decay over exactly the run's steps,
 * a held-out evaluation every {@code evalIntervalTokens} and a larger final one. Every step is a metric row.
 * The engine's random generator is seeded with the run's seed, so initial weights are reproducible.
 */
public final class RunTrainer implements AutoCloseable {
    private final RunSpec spec;
    private final Model model;
    private final Trainer trainer;
    private final DecoderLanguageModel network;

    public RunTrainer(RunSpec spec) {
        this.spec = spec;
        TrainingRecipe recipe = spec.training();
        Engine.getInstance().setRandomSeed((int) spec.seed());
        network = new DecoderLanguageModel(spec.shape());
        model = Model.newInstance("isoflop-" + spec.runId());
        model.setBlock(network);
        AdamW optimizer = AdamW.builder()
                .optLearningRateTracker(new ScheduleTracker(recipe))
                .optBeta1((float) recipe.beta1())
                .optBeta2((float) recipe.beta2())
                .optEpsilon((float) recipe.epsilon())
                .optWeightDecays((float) recipe.weightDecay())
                .build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(recipe.batchSequences(), spec.shape().contextLength()));
    }

    /** The first weight matrix's values, to check reproducible initialisation. */
    float[] firstWeights() {
        return network.getParameters().valueAt(0).getArray().toFloatArray();
    }

    public ParameterCounts parameterCounts() {
        return network.countParameters();
    }

    /** Runs every step, reporting rows to {@code listener}; returns the final held-out loss. */
    public double train(BatchSampler sampler, TrainingListener listener, PrintStream log) throws IOException {
        TrainingRecipe recipe = spec.training();
        int context = spec.shape().contextLength();
        int vocabulary = spec.shape().vocabSize();
        Evaluator evaluator = new Evaluator(trainer, sampler, context, vocabulary);
        long start = System.nanoTime();
        long tokens = 0;
        long nextEval = spec.evalIntervalTokens();
        long[] inputs = new long[recipe.batchSequences() * context];
        long[] labels = new long[inputs.length];
        for (long step = 1; tokens < spec.tokens(); step++) {
            int sequences = (int) Math.min(recipe.batchSequences(), (spec.tokens() - tokens) / context);
            sampler.trainingBatch(step, sequences, inputs, labels);
            double loss = trainStep(sequences, context, vocabulary, inputs, labels);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training loss became " + loss + " at step " + step
                        + "; the learning rate " + recipe.learningRateAt(step) + " is likely too high");
            }
            tokens += (long) sequences * context;
            double seconds = (System.nanoTime() - start) / 1e9;
            double evalLoss = Double.NaN;
            boolean last = tokens >= spec.tokens();
            if (tokens >= nextEval && !last) {
                evalLoss = evaluator.meanLoss(spec.data().evalTokens());
                nextEval += spec.evalIntervalTokens();
                log.printf(Locale.ROOT, "step %d tokens %d/%d train %.4f eval %.4f lr %.2e %.0f tok/s%n", step, tokens,
                        spec.tokens(), loss, evalLoss, recipe.learningRateAt(step), tokens / seconds);
            }
            listener.onStep(new MetricRow(step, tokens, tokens * spec.flopsPerToken(), loss,
                    evalLoss, recipe.learningRateAt(step), seconds, tokens / seconds, false), !Double.isNaN(evalLoss));
            if (last) {
                double finalLoss = evaluator.meanLoss(spec.data().finalEvalTokens());
                double total = (System.nanoTime() - start) / 1e9;
                log.printf(Locale.ROOT, "done: %d steps, %d tokens, final eval %.4f nats/token, %.1f s%n", step,
                        tokens, finalLoss, total);
                listener.onFinish(new MetricRow(step, tokens, tokens * spec.flopsPerToken(),
                        loss, finalLoss, recipe.learningRateAt(step), total, tokens / total, true));
                return finalLoss;
            }
        }
        throw new IllegalStateException("run planned with no tokens");
    }

    private double trainStep(int sequences, int context, int vocabulary, long[] inputs, long[] labels) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(Arrays.copyOf(inputs, sequences * context), new Shape(sequences, context));
            NDArray y = batch.create(Arrays.copyOf(labels, sequences * context),
                    new Shape((long) sequences * context));
            double value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow().reshape(-1, vocabulary);
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                collector.backward(loss);
                value = loss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }

    /** Receives each step's row, and the summary row after the final evaluation. */
    public interface TrainingListener {
        void onStep(MetricRow row, boolean evaluated) throws IOException;

        void onFinish(MetricRow summary) throws IOException;
    }
}
