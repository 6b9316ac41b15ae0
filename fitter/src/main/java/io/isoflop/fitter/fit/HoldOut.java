package io.isoflop.fitter.fit;

/**
 * The held-out extrapolation check: everything fitted again without the largest budget, then that budget's best
 * loss and N_opt predicted and compared with what its runs show. The error is the honest measure of how far a fit
 * can be trusted beyond its data.
 *
 * @param budgetFlops the held-out (largest) budget
 * @param runsHeldOut its runs
 * @param runsFitted the runs of the smaller budgets, fitted instead
 * @param observedLoss the held-out budget's best loss: its parabola's vertex when Approach 2 used that budget,
 *     else its lowest-loss run
 * @param observedParameters N at that best: the vertex's N_opt, or the lowest-loss run's N
 * @param observedFrom "parabola vertex" or "lowest run"
 * @param approach2Parameters N_opt at the budget from the Approach 2 power law of the smaller budgets; NaN when
 *     they give none
 * @param approach3Loss the compute-optimal loss at the budget from the Approach 3 law of the smaller budgets; NaN
 *     when not fitted
 * @param approach3Parameters N_opt at the budget from that law; NaN when not fitted
 * @param reason why no check was made (fewer than two budgets with runs); null when it was
 */
public record HoldOut(double budgetFlops, int runsHeldOut, int runsFitted, double observedLoss,
        double observedParameters, String observedFrom, double approach2Parameters, double approach3Loss,
        double approach3Parameters, String reason) {

    public static final String FROM_VERTEX = "parabola vertex";
    public static final String FROM_LOWEST_RUN = "lowest run";

    static HoldOut notChecked(String reason) {
        return new HoldOut(Double.NaN, 0, 0, Double.NaN, Double.NaN, null, Double.NaN, Double.NaN, Double.NaN,
                reason);
    }

    public boolean checked() {
        return reason == null;
    }

    /** Approach 3's predicted minus observed best loss, nats per token. */
    public double approach3LossError() {
        return approach3Loss - observedLoss;
    }

    /** log10(predicted / observed N_opt) of Approach 3, in decades. */
    public double approach3ParametersErrorDecades() {
        return Math.log10(approach3Parameters / observedParameters);
    }

    /** log10(predicted / observed N_opt) of Approach 2, in decades. */
    public double approach2ParametersErrorDecades() {
        return Math.log10(approach2Parameters / observedParameters);
    }
}
