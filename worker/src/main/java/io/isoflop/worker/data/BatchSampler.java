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
    /** The training tokens windows are drawn from: the split, or its first {@code uniqueTokens} when capped. */
    private final long trainTokens;

    public BatchSampler(Corpus corpus, int context, long seed) {
        this(corpus, context, seed, null);
    }

    /**
     * @param uniqueTokens draw training windows from only the first this many tokens of the training split (a
     *     data-constrained run repeats them); null for the whole split
     */
    public BatchSampler(Corpus corpus, int context, long seed, Long uniqueTokens) {
        long available = uniqueTokens == null ? corpus.train().length()
                : Math.min(uniqueTokens, corpus.train().length());
        if (available <= context + 1) {
            throw new IllegalArgumentException("training data of " + corpus.name() + " (" + available
                    + " tokens" + (uniqueTokens == null ? "" : ", capped by dataset.unique_tokens") + ") is shorter"
                    + " than one sequence of " + (context + 1));
        }
        this.corpus = corpus;
        this.context = context;
        this.seed = seed;
        this.trainTokens = available;
    }

    /** Fills inputs and labels ({@code sequences × context} each) with the training windows of a 1-based step. */
    public void trainingBatch(long step, int sequences, long[] inputs, long[] labels) {
        TokenSequence tokens = corpus.train();
        long bound = trainTokens - context - 1;
        SplittableRandom random = new SplittableRandom(seed ^ (step * 0x9E3779B97F4A7C15L));
        for (int s = 0; s < sequences; s++) {
            copyWindow(tokens, random.nextLong(bound + 1), s * context, inputs, labels);
        }
    }

    /** Passes over the training data that {@code tokens} training tokens amount to (1.0 = every token once). */
    public double epochs(long tokens) {
        return (double) tokens / trainTokens;
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
