package io.isoflop.fitter.fit;

/**
 * The objective of Approach 3 (Besiroglu et al. 2024's recipe for Hoffmann et al. 2022's parametric fit): the
 * <em>sum</em> over points of {@code Huber_δ(log L_obs − log L̂)}, where
 * {@code log L̂ = LSE(logA − α·log N, logB − β·log D, logE)}, i.e. {@code L̂ = E + A/N^α + B/D^β}.
 *
 * <p>The parameter vector is {@code (logA, logB, logE, α, β)} (indices {@link #LOG_A} … {@link #BETA}); logs
 * are natural. The Huber loss is {@code r²/2} for {@code |r| ≤ δ} and {@code δ·(|r| − δ/2)} beyond. A point whose
 * largest term lies outside ±{@value #UNSHIFTED_LIMIT} has its log-sum-exp shifted by that term, so nothing
 * overflows or underflows; inside, the terms are exponentiated as they are, which saves one exponential per point
 * ({@code E} is exponentiated once per evaluation).
 *
 * <p>Immutable and thread-safe; {@link #evaluate} allocates nothing, so one instance can serve every start of a
 * multi-start fit in parallel.
 */
public final class HuberLogLossObjective {
    public static final int LOG_A = 0;
    public static final int LOG_B = 1;
    public static final int LOG_E = 2;
    public static final int ALPHA = 3;
    public static final int BETA = 4;
    /** Number of parameters. */
    public static final int DIMENSION = 5;
    /** Largest |term| summed without a shift: e^±600 is far from overflow and from subnormals. */
    static final double UNSHIFTED_LIMIT = 600;

    private final double[] logN;
    private final double[] logD;
    private final double[] logLoss;
    private final double delta;

    /**
     * @param parameters N of each point, positive
     * @param tokens D of each point, positive
     * @param losses observed loss of each point, positive
     * @param delta the Huber threshold δ, positive
     */
    public HuberLogLossObjective(double[] parameters, double[] tokens, double[] losses, double delta) {
        if (parameters.length != tokens.length || parameters.length != losses.length) {
            throw new IllegalArgumentException("N, D and loss differ in length: " + parameters.length + ", "
                    + tokens.length + ", " + losses.length);
        }
        if (!(delta > 0)) {
            throw new IllegalArgumentException("the Huber delta must be positive, got " + delta);
        }
        int n = parameters.length;
        this.logN = new double[n];
        this.logD = new double[n];
        this.logLoss = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(parameters[i] > 0) || !(tokens[i] > 0) || !(losses[i] > 0) || !Double.isFinite(losses[i])) {
                throw new IllegalArgumentException("point " + i + " needs positive N, D and a positive finite loss,"
                        + " got N=" + parameters[i] + ", D=" + tokens[i] + ", loss=" + losses[i]);
            }
            logN[i] = Math.log(parameters[i]);
            logD[i] = Math.log(tokens[i]);
            logLoss[i] = Math.log(losses[i]);
        }
        this.delta = delta;
    }

    /** From points already in logs: {@code logs} holds log N, log D and log loss. */
    private HuberLogLossObjective(double[][] logs, double delta) {
        this.logN = logs[0];
        this.logD = logs[1];
        this.logLoss = logs[2];
        this.delta = delta;
    }

    /**
     * The same objective over {@code count} of its points spread evenly through them in (N, D) order: every
     * {@code size/count}-th point of the points sorted by log N, then log D, so that every model size and data
     * amount the points span is represented. Returns this objective when it has no more than {@code count} points.
     */
    public HuberLogLossObjective spreadSample(int count) {
        int n = size();
        if (n <= count) {
            return this;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.<Integer>comparingDouble(i -> logN[i])
                .thenComparingDouble(i -> logD[i]));
        double[] sampleN = new double[count];
        double[] sampleD = new double[count];
        double[] sampleLoss = new double[count];
        for (int k = 0; k < count; k++) {
            int i = order[(int) ((long) k * n / count)];
            sampleN[k] = logN[i];
            sampleD[k] = logD[i];
            sampleLoss[k] = logLoss[i];
        }
        return new HuberLogLossObjective(new double[][] {sampleN, sampleD, sampleLoss}, delta);
    }

    /** Number of points. */
    public int size() {
        return logN.length;
    }

    public double delta() {
        return delta;
    }

    /** The objective at {@code x}. */
    public double value(double[] x) {
        return evaluate(x, null);
    }

    /**
     * The objective at {@code x} and, when {@code gradient} is not null, its gradient written into {@code gradient}
     * (length {@link #DIMENSION}). Allocates nothing.
     */
    public double evaluate(double[] x, double[] gradient) {
        double logA = x[LOG_A];
        double logB = x[LOG_B];
        double logE = x[LOG_E];
        double alpha = x[ALPHA];
        double beta = x[BETA];
        double sum = 0;
        double gLogA = 0;
        double gLogB = 0;
        double gLogE = 0;
        double gAlpha = 0;
        double gBeta = 0;
        double floor = Math.exp(logE);
        for (int i = 0; i < logN.length; i++) {
            double modelTerm = logA - alpha * logN[i];
            double dataTerm = logB - beta * logD[i];
            double largest = Math.max(logE, Math.max(modelTerm, dataTerm));
            double shift;
            double pModel;
            double pData;
            double pFloor;
            if (Math.abs(largest) < UNSHIFTED_LIMIT) {
                shift = 0;
                pModel = Math.exp(modelTerm);
                pData = Math.exp(dataTerm);
                pFloor = floor;
            } else {
                shift = largest;
                pModel = Math.exp(modelTerm - shift);
                pData = Math.exp(dataTerm - shift);
                pFloor = Math.exp(logE - shift);
            }
            double total = pModel + pData + pFloor;
            double residual = logLoss[i] - (shift + Math.log(total));
            double psi; // dHuber/dresidual
            if (Math.abs(residual) <= delta) {
                sum += 0.5 * residual * residual;
                psi = residual;
            } else {
                sum += delta * (Math.abs(residual) - 0.5 * delta);
                psi = Math.copySign(delta, residual);
            }
            // d(sum)/d(param) = -psi · d(log L̂)/d(param); d(log L̂)/d(term k) is term k's softmax weight p_k/total.
            double scale = -psi / total;
            double wModel = scale * pModel;
            double wData = scale * pData;
            gLogA += wModel;
            gAlpha -= wModel * logN[i];
            gLogB += wData;
            gBeta -= wData * logD[i];
            gLogE += scale * pFloor;
        }
        if (gradient != null) {
            gradient[LOG_A] = gLogA;
            gradient[LOG_B] = gLogB;
            gradient[LOG_E] = gLogE;
            gradient[ALPHA] = gAlpha;
            gradient[BETA] = gBeta;
        }
        return sum;
    }
}
