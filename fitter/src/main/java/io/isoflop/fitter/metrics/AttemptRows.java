package io.isoflop.fitter.metrics;

import java.io.Serializable;

/**
 * What the fit needs of one attempt of one run in one metric file: the run's constants, the range of steps the file
 * holds for it, and only the rows the fit reads, the evaluations and the final summary row (column arrays, one
 * entry per such row, in file order). Reading a file yields one of these per contiguous (run, attempt) stretch,
 * normally exactly one.
 *
 * @param runId the run
 * @param attempt the attempt (epoch ms at which it started; a restarted run writes a larger one)
 * @param sweep the sweep name the rows carry
 * @param flopConvention the run's declared FLOP convention
 * @param parameters N as the run declares it
 * @param budgetFlops the IsoFLOP budget the run belongs to
 * @param firstStep the smallest step of any row of this attempt in the file, evaluated or not
 * @param lastStep the largest such step
 * @param steps the step of each kept row
 * @param tokens tokens seen by each kept row's step
 * @param flops training FLOPs spent by each kept row's step
 * @param evalLoss each kept row's held-out loss (NaN where the column is null)
 * @param uniqueTokens U_D, the unique training tokens the attempt drew from (its final row's tokens / epochs); 0
 *     when its files do not say
 * @param isFinal whether each kept row is the run's final summary row
 */
public record AttemptRows(
        String runId,
        long attempt,
        String sweep,
        String flopConvention,
        long parameters,
        double budgetFlops,
        long firstStep,
        long lastStep,
        long[] steps,
        long[] tokens,
        double[] flops,
        double[] evalLoss,
        boolean[] isFinal,
        long uniqueTokens) implements Serializable {

    /** An attempt whose files do not say how many unique tokens it drew from. */
    public AttemptRows(String runId, long attempt, String sweep, String flopConvention, long parameters,
            double budgetFlops, long firstStep, long lastStep, long[] steps, long[] tokens, double[] flops,
            double[] evalLoss, boolean[] isFinal) {
        this(runId, attempt, sweep, flopConvention, parameters, budgetFlops, firstStep, lastStep, steps, tokens, flops,
                evalLoss, isFinal, 0);
    }

    public AttemptRows {
        int n = steps.length;
        if (tokens.length != n || flops.length != n || evalLoss.length != n || isFinal.length != n) {
            throw new IllegalArgumentException("the row columns of " + runId + " differ in length");
        }
    }

    /** Number of kept rows. */
    public int size() {
        return steps.length;
    }

    /** Whether this attempt wrote a row for {@code step}, kept or not. */
    public boolean covers(long step) {
        return step >= firstStep && step <= lastStep;
    }

    public boolean hasFinalRow() {
        for (boolean last : isFinal) {
            if (last) {
                return true;
            }
        }
        return false;
    }
}
