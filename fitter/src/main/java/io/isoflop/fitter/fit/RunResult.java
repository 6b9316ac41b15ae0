package io.isoflop.fitter.fit;

/**
 * One finished training run, as the fit sees it.
 *
 * @param runId the run's id
 * @param budgetFlops the nominal IsoFLOP budget C the run belongs to; runs are grouped by this exact value
 * @param parameters N as the run's parameter count declares it (non-embedding or total, see the run spec)
 * @param tokens D, training tokens seen
 * @param flops training FLOPs actually spent, under the sweep's declared FLOP convention
 * @param finalLoss held-out cross-entropy in nats per token after the last step; NaN when the run has none
 * @param uniqueTokens U_D, the distinct tokens the run's D were drawn from: D itself when nothing repeats (a run
 *     that saw D / U_D epochs of them repeats data when that is above 1)
 */
public record RunResult(String runId, double budgetFlops, long parameters, long tokens, double flops, double finalLoss,
        long uniqueTokens) {

    /** A run that repeats no data: U_D = D. */
    public RunResult(String runId, double budgetFlops, long parameters, long tokens, double flops, double finalLoss) {
        this(runId, budgetFlops, parameters, tokens, flops, finalLoss, tokens);
    }

    /** log10 of N, the abscissa of every IsoFLOP parabola. */
    public double log10Parameters() {
        return Math.log10(parameters);
    }

    public double tokensPerParameter() {
        return (double) tokens / parameters;
    }

    /** D / U_D: how many times the run saw its unique tokens (1 when nothing repeats). */
    public double epochs() {
        return (double) tokens / uniqueTokens;
    }
}
