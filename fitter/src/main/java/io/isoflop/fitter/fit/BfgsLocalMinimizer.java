package io.isoflop.fitter.fit;

import java.util.Arrays;
import org.ddogleg.optimization.FactoryOptimization;
import org.ddogleg.optimization.UnconstrainedMinimization;
import org.ddogleg.optimization.functions.FunctionNtoN;
import org.ddogleg.optimization.functions.FunctionNtoS;

/**
 * Minimises a {@link HuberLogLossObjective} from one start with ddogleg's BFGS (dense inverse-Hessian update,
 * Moré–Thuente line search) and the objective's analytic gradient. Not thread-safe: use one per thread.
 *
 * <p>ddogleg asks for the value and the gradient at the same point through two calls; both come from one pass over
 * the points, cached against the last input, so each point the line search visits costs one evaluation.
 */
final class BfgsLocalMinimizer {
    /** The Huber sum is never negative; BFGS uses this bound to cap its first line-search step. */
    private static final double OBJECTIVE_LOWER_BOUND = 0;

    private final HuberLogLossObjective objective;
    private final Approach3Settings settings;
    private final CachedObjective cached;
    private final UnconstrainedMinimization optimizer;

    BfgsLocalMinimizer(HuberLogLossObjective objective, Approach3Settings settings) {
        this.objective = objective;
        this.settings = settings;
        this.cached = new CachedObjective(objective);
        this.optimizer = FactoryOptimization.quasiNewtonBfgs(null);
        this.optimizer.setFunction(cached, cached, OBJECTIVE_LOWER_BOUND);
    }

    /**
     * Runs BFGS from {@code start} until it converges, its line search can make no more progress, or
     * {@link Approach3Settings#maxIterations()} steps; a start on which the optimiser throws or ends on a non-finite
     * objective is returned as {@link LocalMinimum#failed}.
     */
    LocalMinimum minimize(int startIndex, double[] start) {
        try {
            optimizer.initialize(start, settings.functionTolerance(), settings.gradientTolerance());
            int steps = 0;
            boolean done = false;
            while (!done && steps < settings.maxIterations()) {
                done = optimizer.iterate();
                steps++;
            }
            double[] x = optimizer.getParameters().clone();
            double value = objective.value(x);
            if (!Double.isFinite(value) || !allFinite(x)) {
                return LocalMinimum.failed(startIndex, "non-finite objective or parameters");
            }
            return new LocalMinimum(startIndex, x, value, steps, done, null);
        } catch (RuntimeException e) {
            return LocalMinimum.failed(startIndex, String.valueOf(e.getMessage()));
        }
    }

    private static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The objective as ddogleg's function and gradient, evaluated once per distinct input. */
    private static final class CachedObjective implements FunctionNtoS, FunctionNtoN {
        private final HuberLogLossObjective objective;
        private final double[] input = new double[HuberLogLossObjective.DIMENSION];
        private final double[] gradient = new double[HuberLogLossObjective.DIMENSION];
        private double value;
        private boolean valid;

        CachedObjective(HuberLogLossObjective objective) {
            this.objective = objective;
        }

        @Override
        public int getNumOfInputsN() {
            return HuberLogLossObjective.DIMENSION;
        }

        @Override
        public int getN() {
            return HuberLogLossObjective.DIMENSION;
        }

        @Override
        public double process(double[] x) {
            evaluateAt(x);
            return value;
        }

        @Override
        public void process(double[] x, double[] gradientOut) {
            evaluateAt(x);
            System.arraycopy(gradient, 0, gradientOut, 0, HuberLogLossObjective.DIMENSION);
        }

        private void evaluateAt(double[] x) {
            if (valid && Arrays.equals(x, input)) {
                return;
            }
            value = objective.evaluate(x, gradient);
            System.arraycopy(x, 0, input, 0, HuberLogLossObjective.DIMENSION);
            valid = true;
        }
    }
}
