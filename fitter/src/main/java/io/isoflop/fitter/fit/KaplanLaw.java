package io.isoflop.fitter.fit;

import java.util.List;

/**
 * One of Kaplan et al. (2020)'s one-variable scaling laws, {@code L(X) = (X_c/X)^α_X}, fitted by ordinary least
 * squares on {@code log L = α_X·log X_c − α_X·log X} over {@link #points()}.
 *
 * <p>Kaplan's laws have no irreducible term: the loss falls as a pure power of X. Fitted to losses that approach an
 * entropy floor E (as Chinchilla's {@code E + A/N^α + B/D^β} says they do), the exponent is far smaller than
 * Chinchilla's α or β, and it shrinks as the losses near E; that is why Kaplan's α_N ≈ 0.076 and Chinchilla's
 * α ≈ 0.34 describe the same kind of data. Compare exponents fitted here with Kaplan's published values only as a
 * check of the regime, not of a law's quality.
 *
 * @param variable which law: L(N), L(D) or L(C_min)
 * @param source how the points were chosen, in words
 * @param points the points the law was fitted through, in increasing x (also when not fitted: those there were)
 * @param exponent α_X, the negated slope of log L against log X; NaN when not fitted
 * @param constant X_c = exp(intercept/α_X); NaN when not fitted, and not finite when α_X is near 0
 * @param exponentStdErr the regression's standard error of α_X; NaN with two points (no degrees of freedom left)
 * @param r2 the regression's coefficient of determination in log space; NaN when not fitted
 * @param exponentInterval α_X by a bootstrap over the points (drawn with replacement, as many as there are); null
 *     when not fitted or no resamples were asked for
 * @param reason why the law was not fitted; null when it was
 */
public record KaplanLaw(Variable variable, String source, List<KaplanPoint> points, double exponent, double constant,
        double exponentStdErr, double r2, Interval exponentInterval, String reason) {

    /** PF-day in FLOPs (10^15 FLOP/s for a day), Kaplan's unit of compute. */
    public static final double PF_DAY = 1e15 * 86_400;

    /** The three laws, each with Kaplan's published exponent and constant (Kaplan et al. 2020, eqs. 1.1 to 1.3). */
    public enum Variable {
        /** L(N) = (N_c/N)^α_N: models trained to convergence on plenty of data; N non-embedding parameters. */
        PARAMETERS("N", "L(N) = (N_c/N)^alpha_N", 0.076, 8.8e13),
        /** L(D) = (D_c/D)^α_D: large models trained on D tokens with early stopping. */
        DATA("D", "L(D) = (D_c/D)^alpha_D", 0.095, 5.4e13),
        /** L(C_min) = (C_c/C_min)^α_C: the least loss a compute budget reaches; C_c = 3.1e8 PF-days. */
        COMPUTE("C_min", "L(C_min) = (C_c/C_min)^alpha_C", 0.050, 3.1e8 * PF_DAY);

        private final String symbol;
        private final String law;
        private final double publishedExponent;
        private final double publishedConstant;

        Variable(String symbol, String law, double publishedExponent, double publishedConstant) {
            this.symbol = symbol;
            this.law = law;
            this.publishedExponent = publishedExponent;
            this.publishedConstant = publishedConstant;
        }

        /** N, D or C_min. */
        public String symbol() {
            return symbol;
        }

        /** The law in ASCII, e.g. {@code L(N) = (N_c/N)^alpha_N}. */
        public String law() {
            return law;
        }

        /** Kaplan et al.'s exponent: 0.076, 0.095, 0.050. */
        public double publishedExponent() {
            return publishedExponent;
        }

        /** Kaplan et al.'s constant: N_c in parameters, D_c in tokens, C_c in FLOPs. */
        public double publishedConstant() {
            return publishedConstant;
        }
    }

    public KaplanLaw {
        points = List.copyOf(points);
    }

    static KaplanLaw notFitted(Variable variable, String source, List<KaplanPoint> points, String reason) {
        return new KaplanLaw(variable, source, points, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, reason);
    }

    public boolean fitted() {
        return reason == null;
    }

    /** The law's loss at {@code x}; NaN when not fitted. */
    public double loss(double x) {
        return Math.pow(constant / x, exponent);
    }
}
