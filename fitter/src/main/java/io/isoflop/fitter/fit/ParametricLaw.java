package io.isoflop.fitter.fit;

/**
 * The loss law {@code L(N, D) = E + A/N^α + B/D^β} of Hoffmann et al. (2022) and what follows from it under
 * {@code C = 6·N·D}: {@code N_opt(C) = G·(C/6)^a}, {@code D_opt(C) = G⁻¹·(C/6)^b}, with {@code a = β/(α+β)},
 * {@code b = α/(α+β)} and {@code G = (α·A/(β·B))^(1/(α+β))}.
 *
 * <p>The derived quantities are NaN when α or β is not positive: the law then has no compute-optimal allocation.
 *
 * @param e E, the irreducible loss
 * @param a A, the coefficient of the model-size term
 * @param b B, the coefficient of the data term
 * @param alpha α, the exponent of N
 * @param beta β, the exponent of D
 */
public record ParametricLaw(double e, double a, double b, double alpha, double beta) {

    /** From the fit's parameter vector {@code (logA, logB, logE, α, β)}. */
    public static ParametricLaw fromLogParameters(double[] x) {
        return new ParametricLaw(
                Math.exp(x[HuberLogLossObjective.LOG_E]),
                Math.exp(x[HuberLogLossObjective.LOG_A]),
                Math.exp(x[HuberLogLossObjective.LOG_B]),
                x[HuberLogLossObjective.ALPHA],
                x[HuberLogLossObjective.BETA]);
    }

    /** The fit's parameter vector {@code (logA, logB, logE, α, β)}: the inverse of {@link #fromLogParameters}. */
    public double[] toLogParameters() {
        double[] x = new double[HuberLogLossObjective.DIMENSION];
        x[HuberLogLossObjective.LOG_A] = Math.log(a);
        x[HuberLogLossObjective.LOG_B] = Math.log(b);
        x[HuberLogLossObjective.LOG_E] = Math.log(e);
        x[HuberLogLossObjective.ALPHA] = alpha;
        x[HuberLogLossObjective.BETA] = beta;
        return x;
    }

    /** Whether α and β are positive, so that the compute-optimal allocation exists. */
    public boolean hasOptimalAllocation() {
        return alpha > 0 && beta > 0 && a > 0 && b > 0;
    }

    public double loss(double parameters, double tokens) {
        return e + a / Math.pow(parameters, alpha) + b / Math.pow(tokens, beta);
    }

    /** a = β/(α+β): the exponent of N_opt in C. */
    public double exponentA() {
        return hasOptimalAllocation() ? beta / (alpha + beta) : Double.NaN;
    }

    /** b = α/(α+β): the exponent of D_opt in C. */
    public double exponentB() {
        return hasOptimalAllocation() ? alpha / (alpha + beta) : Double.NaN;
    }

    /** G = (α·A/(β·B))^(1/(α+β)). */
    public double g() {
        return hasOptimalAllocation() ? Math.pow(alpha * a / (beta * b), 1 / (alpha + beta)) : Double.NaN;
    }

    /** N_opt(C) = G·(C/6)^a: the N that minimises L on the budget C = 6·N·D. */
    public double optimalParameters(double budgetFlops) {
        return g() * Math.pow(budgetFlops / 6, exponentA());
    }

    /** D_opt(C) = G⁻¹·(C/6)^b, so that 6·N_opt·D_opt = C. */
    public double optimalTokens(double budgetFlops) {
        return Math.pow(budgetFlops / 6, exponentB()) / g();
    }

    /** The predicted loss of the compute-optimal model at budget C. */
    public double optimalLoss(double budgetFlops) {
        return loss(optimalParameters(budgetFlops), optimalTokens(budgetFlops));
    }
}
