package io.isoflop.fitter.fit;

import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * The inference-aware optimum of Sardana &amp; Frankle (2024): reach the loss of the compute-optimal model at a
 * budget C with the least training plus inference compute, {@code 6·N·D + 2·N·T} for T inference tokens over the
 * model's life. On the law's iso-loss curve {@code D(N) = (B / (L* − E − A/N^α))^(1/β)} the total is minimised over
 * N by Brent's method in ln N, between the smallest N that can reach L* at all and the compute-optimal N_opt (the
 * inference term only grows with N, so the optimum is never larger: a smaller model trained on more tokens).
 *
 * @param budgetFlops the budget C whose compute-optimal loss is the target
 * @param inferenceTokens T
 * @param targetLoss L* = the law's compute-optimal loss at C
 * @param parameters N of the inference-aware optimum
 * @param tokens D of the inference-aware optimum, on the iso-loss curve
 * @param trainingFlops 6·N·D
 * @param inferenceFlops 2·N·T
 * @param computeOptimalTotalFlops C + 2·N_opt·T: the total of training the compute-optimal model instead
 */
public record InferenceOptimum(double budgetFlops, double inferenceTokens, double targetLoss, double parameters,
        double tokens, double trainingFlops, double inferenceFlops, double computeOptimalTotalFlops) {

    private static final double RELATIVE_TOLERANCE = 1e-12;
    private static final double ABSOLUTE_TOLERANCE = 1e-12;
    private static final int MAX_EVALUATIONS = 10_000;
    /** The iso-loss curve's pole is excluded: start the search this far (in ln N) above it. */
    private static final double POLE_MARGIN = 1e-9;

    public double totalFlops() {
        return trainingFlops + inferenceFlops;
    }

    /** @throws IllegalArgumentException when the law has no compute-optimal allocation, or T or C is not valid */
    public static InferenceOptimum solve(ParametricLaw law, double budgetFlops, double inferenceTokens) {
        if (!law.hasOptimalAllocation()) {
            throw new IllegalArgumentException("the law has no compute-optimal allocation (alpha, beta ≤ 0)");
        }
        if (!(budgetFlops > 0)) {
            throw new IllegalArgumentException("need a positive budget, got C=" + budgetFlops);
        }
        double nOpt = law.optimalParameters(budgetFlops);
        InferenceOptimum o = solveForLoss(law, law.loss(nOpt, law.optimalTokens(budgetFlops)), inferenceTokens);
        return new InferenceOptimum(budgetFlops, o.inferenceTokens(), o.targetLoss(), o.parameters(), o.tokens(),
                o.trainingFlops(), o.inferenceFlops(), o.computeOptimalTotalFlops());
    }

    /**
     * The inference-aware optimum for a target loss L*: the least {@code 6·N·D + 2·N·T} on the iso-loss curve
     * {@code L(N, D) = L*}. Its {@code budgetFlops} is the budget whose compute-optimal model reaches L*.
     *
     * @throws IllegalArgumentException when the law has no compute-optimal allocation, T is not valid, or L* is not
     *     above the irreducible loss E
     */
    public static InferenceOptimum solveForLoss(ParametricLaw law, double targetLoss, double inferenceTokens) {
        if (!law.hasOptimalAllocation()) {
            throw new IllegalArgumentException("the law has no compute-optimal allocation (alpha, beta ≤ 0)");
        }
        if (!(inferenceTokens >= 0) || !Double.isFinite(inferenceTokens)) {
            throw new IllegalArgumentException("need finite inference tokens ≥ 0, got T=" + inferenceTokens);
        }
        if (!(targetLoss > law.e()) || !Double.isFinite(targetLoss)) {
            throw new IllegalArgumentException("the target loss " + targetLoss + " is not above the law's"
                    + " irreducible loss E = " + law.e());
        }
        double budgetFlops = computeOptimalBudget(law, targetLoss);
        double nOpt = law.optimalParameters(budgetFlops);
        double dOpt = law.optimalTokens(budgetFlops);
        double computeOptimalTotal = 6 * nOpt * dOpt + 2 * nOpt * inferenceTokens;
        // L(N, D) = target has a solution only where E + A/N^alpha < target: N above the pole
        double logPole = Math.log(law.a() / (targetLoss - law.e())) / law.alpha();
        double upper = Math.log(nOpt);
        double lower = logPole + POLE_MARGIN;
        if (inferenceTokens == 0 || !(lower < upper)) {
            return new InferenceOptimum(budgetFlops, inferenceTokens, targetLoss, nOpt, dOpt, 6 * nOpt * dOpt,
                    2 * nOpt * inferenceTokens, computeOptimalTotal);
        }
        UnivariatePointValuePair best = new BrentOptimizer(RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE).optimize(
                new MaxEval(MAX_EVALUATIONS), GoalType.MINIMIZE,
                new UnivariateObjectiveFunction(x -> totalFlops(law, targetLoss, Math.exp(x), inferenceTokens)),
                new SearchInterval(lower, upper, upper));
        double n = Math.exp(best.getPoint());
        double d = tokensFor(law, targetLoss, n);
        if (!(6 * n * d + 2 * n * inferenceTokens <= computeOptimalTotal)) {
            n = nOpt; // the search cannot beat the compute-optimal end of its own interval; keep that end exactly
            d = dOpt;
        }
        return new InferenceOptimum(budgetFlops, inferenceTokens, targetLoss, n, d, 6 * n * d, 2 * n * inferenceTokens,
                computeOptimalTotal);
    }

    /**
     * The budget C whose compute-optimal loss is L*: the compute-optimal loss falls monotonically with C, so C is
     * found by bisection in log C.
     */
    static double computeOptimalBudget(ParametricLaw law, double targetLoss) {
        double low = Math.log(1e-6);
        double high = Math.log(1e60);
        if (law.optimalLoss(Math.exp(high)) > targetLoss) {
            throw new IllegalArgumentException("the target loss " + targetLoss + " is not reached below 1e60 FLOPs");
        }
        for (int i = 0; i < 200 && high - low > 1e-13; i++) {
            double mid = (low + high) / 2;
            if (law.optimalLoss(Math.exp(mid)) > targetLoss) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return Math.exp((low + high) / 2);
    }

    /** D on the iso-loss curve L(N, D) = target; infinite where N is too small to reach the target. */
    static double tokensFor(ParametricLaw law, double target, double parameters) {
        double gap = target - law.e() - law.a() / Math.pow(parameters, law.alpha());
        return gap > 0 ? Math.pow(law.b() / gap, 1 / law.beta()) : Double.POSITIVE_INFINITY;
    }

    private static double totalFlops(ParametricLaw law, double target, double parameters, double inferenceTokens) {
        double total = 6 * parameters * tokensFor(law, target, parameters) + 2 * parameters * inferenceTokens;
        return Double.isFinite(total) ? total : Double.MAX_VALUE;
    }
}
