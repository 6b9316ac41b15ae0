package io.isoflop.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import io.isoflop.worker.data.BatchSampler;

/** Mean held-out cross-entropy (nats per token) over a fixed set of held-out windows, without gradients. */
final class Evaluator {
    private static final int SEQUENCES_PER_BATCH = 32;

    private final Trainer trainer;
    private final BatchSampler sampler;
    private final int context;
    private final int vocabulary;

    Evaluator(Trainer trainer, BatchSampler sampler, int context, int vocabulary) {
        this.trainer = trainer;
        this.sampler = sampler;
        this.context = context;
        this.vocabulary = vocabulary;
    }

    double meanLoss(long tokens) {
        int sequences = sampler.heldOutSequences(tokens);
        double weightedSum = 0;
        for (int first = 0; first < sequences; first += SEQUENCES_PER_BATCH) {
            int count = Math.min(SEQUENCES_PER_BATCH, sequences - first);
            long[] inputs = new long[count * context];
            long[] labels = new long[count * context];
            sampler.heldOutBatch(first, count, inputs, labels);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray x = batch.create(inputs, new Shape(count, context));
                NDArray y = batch.create(labels, new Shape((long) count * context));
                NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow().reshape(-1, vocabulary);
                double loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits)).getFloat();
                weightedSum += loss * count;
            }
        }
        return weightedSum / sequences;
    }
}
