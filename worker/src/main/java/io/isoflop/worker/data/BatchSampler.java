package io.isoflop.worker.data;

import java.util.SplittableRandom;

/**
 * Training windows drawn uniformly at random from the training bytes, in an order fixed by the seed, and a
 * fixed list of contiguous held-out windows for evaluation. Inputs are bytes t..t+T-1, labels t+1..t+T.
 */
public final class BatchSampler {
    private final Corpus corpus;
    private final int context;
    private final SplittableRandom random;

    public BatchSampler(Corpus corpus, int context, long seed) {
        if (corpus.train().length <= context + 1) {
            throw new IllegalArgumentException("training text of " + corpus.name() + " (" + corpus.train().length
                    + " bytes) is shorter than one sequence of " + (context + 1));
        }
        this.corpus = corpus;
        this.context = context;
        this.random = new SplittableRandom(seed);
    }

    /** Fills inputs and labels ({@code sequences × context} each) with the next training windows. */
    public void nextTrainingBatch(int sequences, long[] inputs, long[] labels) {
        byte[] text = corpus.train();
        int bound = text.length - context - 1;
        for (int s = 0; s < sequences; s++) {
            copyWindow(text, random.nextInt(bound + 1), s * context, inputs, labels);
        }
    }

    /** How many whole held-out windows cover {@code tokens} (at least one, at most what the split holds). */
    public int heldOutSequences(long tokens) {
        int available = (corpus.heldOut().length - 1) / context;
        if (available < 1) {
            throw new IllegalArgumentException("held-out text of " + corpus.name() + " is shorter than one sequence");
        }
        return (int) Math.max(1, Math.min(available, (tokens + context - 1) / context));
    }

    /** Fills held-out windows {@code first .. first+count-1} (non-overlapping, from the start of the split). */
    public void heldOutBatch(int first, int count, long[] inputs, long[] labels) {
        for (int s = 0; s < count; s++) {
            copyWindow(corpus.heldOut(), (first + s) * context, s * context, inputs, labels);
        }
    }

    private void copyWindow(byte[] text, int start, int offset, long[] inputs, long[] labels) {
        for (int t = 0; t < context; t++) {
            inputs[offset + t] = text[start + t] & 0xFF;
            labels[offset + t] = text[start + t + 1] & 0xFF;
        }
    }
}
