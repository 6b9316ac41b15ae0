package io.isoflop.worker.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.TrainingRecipe;
import io.isoflop.worker.data.BatchSampler;
import io.isoflop.worker.device.ComputeDevice;
import io.isoflop.worker.model.DecoderLanguageModel;
import io.isoflop.worker.model.ParameterCounts;
import io.isoflop.worker.sink.MetricRow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains one run for exactly its planned tokens on one device: AdamW, warmup then cosine decay over exactly the
 * run's steps, a held-out evaluation every {@code evalIntervalTokens} and a larger final one. Every step is a
 * metric row. The engine's random generator is seeded with the run's seed, so initial weights are reproducible.
 *
 * <p>The run saves a checkpoint (parameters, optimizer state, step) as its spec's policy says and when asked to
 * stop, and starts from the newest checkpoint if there is one: since a step's data and learning rate depend only
 * on the step, a resumed run computes what an uninterrupted one would have. Losses stay on the device and are
 * read a few dozen steps at a time, so the host does not wait for the device every step.
 */
public final class RunTrainer implements AutoCloseable {
    /** Steps whose losses are read from the device together. */
    private static final int LOSS_READ_STEPS = 32;

    private final RunSpec spec;
    private final Model model;
    private final Trainer trainer;
    private final DecoderLanguageModel network;
    private final NamedAdamW optimizer;
    private final CheckpointStore checkpoints;
    private final Precision precision;

    public RunTrainer(RunSpec spec, ComputeDevice device, Precision precision) {
        this.spec = spec;
        this.precision = precision;
        TrainingRecipe recipe = spec.training();
        Engine.getInstance().setRandomSeed((int) spec.seed());
        network = new DecoderLanguageModel(spec.shape());
        model = Model.newInstance("isoflop-" + spec.runId(), device.djl());
        model.setDataType(precision.parameterType());
        model.setBlock(network);
        optimizer = new NamedAdamW(recipe, precision);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device.djl()})
                .optInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(recipe.batchSequences(), spec.shape().contextLength()));
        optimizer.bind(network.getParameters());
        checkpoints = new CheckpointStore(Path.of(spec.metricsDir()), spec.runId());
    }

    /** The first weight matrix's values, to check reproducible initialisation. */
    float[] firstWeights() {
        return network.getParameters().valueAt(0).getArray().toFloatArray();
    }

    public ParameterCounts parameterCounts() {
        return network.countParameters();
    }

    /** How a call to {@link #train} ended. */
    public sealed interface Outcome {
        /** Every step done; the final held-out loss. */
        record Finished(double finalLoss) implements Outcome {}

        /** Asked to stop; a checkpoint at {@code step} holds everything so far. */
        record Stopped(long step) implements Outcome {}
    }

    /**
     * Runs the remaining steps (all of them, or those after the newest checkpoint), reporting rows to
     * {@code listener}.
     *
     * @throws DivergedException when the training loss becomes NaN or infinite
     */
    public Outcome train(BatchSampler sampler, TrainingListener listener, StopRequest stop, PrintStream log)
            throws IOException {
        TrainingRecipe recipe = spec.training();
        int context = spec.shape().contextLength();
        int vocabulary = spec.shape().vocabSize();
        Evaluator evaluator = new Evaluator(trainer, sampler, context, vocabulary);
        Checkpoint resumed = restore(log);
        listener.onResume(resumed);
        LossScale scale = resumed.lossScale() > 0
                ? LossScale.restored(resumed.lossScale(), resumed.lossScaleGoodSteps()) : LossScale.of(precision);
        long attemptStart = System.nanoTime();
        long lastCheckpoint = attemptStart;
        long tokens = resumed.tokens();
        long nextEval = (tokens / spec.evalIntervalTokens() + 1) * spec.evalIntervalTokens();
        long[] inputs = new long[recipe.batchSequences() * context];
        long[] labels = new long[inputs.length];
        PendingLosses pending = new PendingLosses(trainer.getManager());
        try {
            for (long step = resumed.step() + 1; ; step++) {
                int sequences = (int) Math.min(recipe.batchSequences(), (spec.tokens() - tokens) / context);
                sampler.trainingBatch(step, sequences, inputs, labels);
                optimizer.beginStep(step, scale.value());
                NDArray loss = trainStep(sequences, context, vocabulary, inputs, labels, pending.manager(), scale);
                tokens += (long) sequences * context;
                double attemptSeconds = (System.nanoTime() - attemptStart) / 1e9;
                double seconds = resumed.wallSeconds() + attemptSeconds;
                boolean last = tokens >= spec.tokens();
                boolean evaluate = tokens >= nextEval && !last;
                boolean stopping = !last && stop.requested();
                boolean checkpoint = !last && (stopping
                        || spec.checkpointPolicy().isDue(step, (System.nanoTime() - lastCheckpoint) / 1e9));
                double evalLoss = Double.NaN;
                if (evaluate) {
                    evalLoss = evaluator.meanLoss(spec.data().evalTokens());
                    nextEval += spec.evalIntervalTokens();
                }
                pending.add(new MetricRow(step, tokens, tokens * spec.flopsPerToken(), Double.NaN, evalLoss,
                        recipe.learningRateAt(step), seconds, (tokens - resumed.tokens()) / attemptSeconds,
                        sampler.epochs(tokens), false), loss);
                if (pending.size() >= LOSS_READ_STEPS || evaluate || checkpoint || last) {
                    for (MetricRow row : pending.read(recipe)) {
                        listener.onStep(row);
                        if (!Double.isNaN(row.evalLoss())) {
                            log.printf(Locale.ROOT, "step %d tokens %d/%d train %.4f eval %.4f lr %.2e %.0f tok/s%n",
                                    row.step(), row.tokens(), spec.tokens(), row.trainLoss(), row.evalLoss(),
                                    row.learningRate(), row.tokensPerSecond());
                        }
                    }
                }
                if (checkpoint) {
                    listener.onCheckpoint(step);
                    checkpoints.save(new Checkpoint(step, tokens, seconds, scale.value(), scale.goodSteps()),
                            parameters(), optimizer.state());
                    lastCheckpoint = System.nanoTime();
                    log.printf(Locale.ROOT, "checkpoint at step %d (%d tokens)%n", step, tokens);
                    listener.onCheckpointSaved(step);
                }
                if (stopping) {
                    log.printf(Locale.ROOT, "stopped at step %d on request; resume from its checkpoint%n", step);
                    return new Outcome.Stopped(step);
                }
                if (last) {
                    double finalLoss = evaluator.meanLoss(spec.data().finalEvalTokens());
                    double total = resumed.wallSeconds() + (System.nanoTime() - attemptStart) / 1e9;
                    log.printf(Locale.ROOT, "done: %d steps, %d tokens, final eval %.4f nats/token, %.1f s%n", step,
                            tokens, finalLoss, total);
                    listener.onFinish(new MetricRow(step, tokens, tokens * spec.flopsPerToken(),
                            pending.lastLoss(), finalLoss, recipe.learningRateAt(step), total,
                            (tokens - resumed.tokens()) / ((System.nanoTime() - attemptStart) / 1e9),
                            sampler.epochs(tokens), true));
                    if (!spec.checkpointPolicy().keep()) {
                        checkpoints.deleteAll();
                    }
                    return new Outcome.Finished(finalLoss);
                }
            }
        } finally {
            pending.close();
        }
    }

    /** Loads the newest checkpoint into the model and optimizer; where the run stands. */
    private Checkpoint restore(PrintStream log) throws IOException {
        try (NDManager scratch = trainer.getManager().newSubManager()) {
            Optional<CheckpointStore.Contents> saved = checkpoints.newest(scratch);
            if (saved.isEmpty()) {
                return Checkpoint.START;
            }
            Map<String, NDArray> values = saved.get().parameters();
            for (Pair<String, Parameter> p : network.getParameters()) {
                NDArray value = values.get(p.getKey());
                if (value == null || !value.getShape().equals(p.getValue().getArray().getShape())) {
                    throw new IOException("checkpoint of run " + spec.runId() + " does not match the model: parameter "
                            + p.getKey() + (value == null ? " is missing" : " has shape " + value.getShape()));
                }
                // in place on the device: NDArray.copyTo would make the parameter share a host buffer that Java
                // later frees (a crash when the process exits)
                p.getValue().getArray().muli(0).addi(value);
            }
            optimizer.restore(saved.get().optimizer(), trainer.getManager());
            Checkpoint at = saved.get().at();
            log.printf(Locale.ROOT, "resuming from the checkpoint at step %d (%d tokens)%n", at.step(), at.tokens());
            return at;
        }
    }

    private Map<String, NDArray> parameters() {
        Map<String, NDArray> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            values.put(p.getKey(), p.getValue().getArray());
        }
        return values;
    }

    /**
     * One optimiser step; returns the step's loss, left on the device and owned by {@code keep}. In mixed
     * precision the loss is scaled before backward, and a step whose gradients overflow fp16 is skipped (its
     * gradients cleared) while the scale shrinks.
     */
    private NDArray trainStep(int sequences, int context, int vocabulary, long[] inputs, long[] labels,
            NDManager keep, LossScale scale) {
        int length = sequences * context;
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = batch.create(LongBuffer.wrap(inputs, 0, length), new Shape(sequences, context), DataType.INT64);
            NDArray y = batch.create(LongBuffer.wrap(labels, 0, length), new Shape(length), DataType.INT64);
            NDArray kept;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow().reshape(-1, vocabulary);
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                collector.backward(precision.mixed() ? loss.mul(scale.value()) : loss);
                kept = loss.stopGradient().toType(DataType.FLOAT32, false);
                kept.attach(keep);
            }
            if (!precision.mixed() || scale.update(gradientsFinite(batch))) {
                trainer.step();
            } else {
                for (Pair<String, Parameter> p : network.getParameters()) {
                    JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
                }
            }
            return kept;
        }
    }

    /** Whether every gradient is finite: one reduction per parameter, one read from the device for all. */
    private boolean gradientsFinite(NDManager scratch) {
        NDList peaks = new NDList();
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray gradient = p.getValue().getArray().getGradient();
            gradient.attach(scratch);
            NDArray peak = gradient.toType(DataType.FLOAT32, false).abs().max();
            peak.attach(scratch);
            peaks.add(peak);
        }
        NDArray all = NDArrays.stack(peaks);
        all.attach(scratch);
        for (float peak : all.toFloatArray()) {
            if (!Float.isFinite(peak)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }

    /** Rows waiting for their training loss, which is read from the device for all of them at once. */
    private static final class PendingLosses implements AutoCloseable {
        private final NDManager parent;
        private NDManager manager;
        private final List<MetricRow> rows = new ArrayList<>();
        private final List<NDArray> losses = new ArrayList<>();
        private double lastLoss = Double.NaN;

        PendingLosses(NDManager parent) {
            this.parent = parent;
            this.manager = parent.newSubManager();
        }

        NDManager manager() {
            return manager;
        }

        void add(MetricRow row, NDArray loss) {
            rows.add(row);
            losses.add(loss);
        }

        int size() {
            return rows.size();
        }

        double lastLoss() {
            return lastLoss;
        }

        /**
         * The waiting rows with their training losses.
         *
         * @throws DivergedException naming the first step whose loss is not finite
         */
        List<MetricRow> read(TrainingRecipe recipe) {
            float[] values = NDArrays.stack(new NDList(losses)).toFloatArray();
            List<MetricRow> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                MetricRow row = rows.get(i);
                if (!Float.isFinite(values[i])) {
                    throw new DivergedException("training loss became " + values[i] + " at step " + row.step()
                            + "; the learning rate there was " + recipe.learningRateAt(row.step())
                            + " (peak " + recipe.peakLearningRate() + "): likely too high for this model");
                }
                out.add(row.withTrainLoss(values[i]));
            }
            lastLoss = values[values.length - 1];
            rows.clear();
            losses.clear();
            manager.close();
            manager = parent.newSubManager();
            return out;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Receives the run's rows, in step order. */
    public interface TrainingListener {
        /** Training starts after {@code at} (step 0 for a fresh run): rows after it are computed again. */
        void onResume(Checkpoint at) throws IOException;

        void onStep(MetricRow row) throws IOException;

        /** Every row up to {@code step} has been given; a checkpoint at {@code step} is saved next. */
        void onCheckpoint(long step) throws IOException;

        /** The checkpoint at {@code step} is saved: what it and the rows before it hold can be made durable. */
        default void onCheckpointSaved(long step) throws IOException {}

        void onFinish(MetricRow summary) throws IOException;
    }
}
