package io.isoflop.worker.data;

import java.util.SplittableRandom;

/**
 * Training windows drawn uniformly at random from the training tokens, and a fixed list of contiguous held-out
 * windows for evaluation. Inputs are tokens t..t+T-1, labels t+1..t+T. The windows of a step depend only on the
 * seed and the step number, so a run resumed at step k sees exactly the data an uninterrupted run would have.
 */
public final class BatchSampler {
    private final Corpus corpus;
    private final int context;
    private final long seed;

    public BatchSampler(Corpus corpus, int context, long seed) {
        if (corpus.train().length() <= context + 1) {
            throw new IllegalArgumentException("training data of " + corpus.name() + " (" + corpus.train().length()
                    + " tokens) is shorter than one sequence of " + (context + 1));
        }
        this.corpus = corpus;
        this.context = context;
        this.seed = seed;
    }

    /** Fills inputs and labels ({@code sequences × context} each) with the training windows of a 1-based step. */
    public void trainingBatch(long step, int sequences, long[] inputs, long[] labels) {
        TokenSequence tokens = corpus.train();
        long bound = tokens.length() - context - 1;
        SplittableRandom random = new SplittableRandom(seed ^ (step * 0x9E3779B97F4A7C15L));
        for (int s = 0; s < sequences; s++) {
            copyWindow(tokens, random.nextLong(bound + 1), s * context, inputs, labels);
        }
    }

    /** Passes over the training data that {@code tokens} training tokens amount to (1.0 = every token once). */
    public double epochs(long tokens) {
        return (double) tokens / corpus.train().length();
    }

    /** How many whole held-out windows cover {@code tokens} (at least one, at most what the split holds). */
    public int heldOutSequences(long tokens) {
        long available = (corpus.heldOut().length() - 1) / context;
        if (available < 1) {
            throw new IllegalArgumentException("held-out data of " + corpus.name() + " is shorter than one sequence");
        }
        return (int) Math.max(1, Math.min(available, (tokens + context - 1) / context));
    }

    /** Fills held-out windows {@code first .. first+count-1} (non-overlapping, from the start of the split). */
    public void heldOutBatch(int first, int count, long[] inputs, long[] labels) {
        for (int s = 0; s < count; s++) {
            copyWindow(corpus.heldOut(), (long) (first + s) * context, s * context, inputs, labels);
        }
    }

    private void copyWindow(TokenSequence tokens, long start, int offset, long[] inputs, long[] labels) {
        int previous = tokens.get(start);
        for (int t = 0; t < context; t++) {
            int next = tokens.get(start + t + 1);
            inputs[offset + t] = previous;
            labels[offset + t] = next;
            previous = next;
        }
    }
}
