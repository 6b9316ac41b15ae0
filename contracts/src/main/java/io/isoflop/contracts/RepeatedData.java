package io.isoflop.contracts;

/**
 * What repeated data is worth (Muennighoff et al. 2023, "Scaling Data-Constrained Language Models"): D tokens drawn
 * from U_D unique ones count as the effective data {@code D' = U_D + U_D·R*_D·(1 − e^(−R_D/R*_D))}, with
 * {@code R_D = D/U_D − 1} the repetitions beyond the first epoch; R*_D is the repetitions after which repeated
 * tokens have lost 1 − 1/e of their value (Muennighoff fitted 15.4). Parameters beyond what the unique data can use
 * decay likewise: {@code U_N = min(N, U_D / k)}, k the compute-optimal tokens per parameter, and
 * {@code N' = U_N + U_N·R*_N·(1 − e^(−R_N/R*_N))}, {@code R_N = N/U_N − 1} (R*_N fitted 5.3). As R* grows without
 * bound D' → D and N' → N: the Chinchilla form is the limit with no decay.
 *
 * @param rStarD R*_D, positive; infinite for no decay
 * @param rStarN R*_N, positive; infinite for no decay of excess parameters
 * @param tokensPerParameter k in U_N = U_D / k
 */
public record RepeatedData(double rStarD, double rStarN, double tokensPerParameter) {
    /** Chinchilla's compute-optimal tokens per parameter, Muennighoff's choice of k. */
    public static final double CHINCHILLA_TOKENS_PER_PARAMETER = 20;

    /** Muennighoff et al.'s fitted R*_D 15.4 and R*_N 5.3, k = 20. */
    public static RepeatedData muennighoff() {
        return new RepeatedData(15.4, 5.3, CHINCHILLA_TOKENS_PER_PARAMETER);
    }

    public RepeatedData {
        if (!(rStarD > 0) || !(rStarN > 0) || !(tokensPerParameter > 0)) {
            throw new IllegalArgumentException("R*_D, R*_N and tokens per parameter must be positive, got " + rStarD
                    + ", " + rStarN + ", " + tokensPerParameter);
        }
    }

    /** D' for D tokens from U_D unique ones (D itself when D ≤ U_D). */
    public double effectiveTokens(double tokens, double uniqueTokens) {
        return decayed(uniqueTokens, tokens / uniqueTokens - 1, rStarD, tokens);
    }

    /** N' for N parameters trained on U_D unique tokens (N itself when N ≤ U_D / k). */
    public double effectiveParameters(double parameters, double uniqueTokens) {
        double usable = Math.min(parameters, uniqueTokens / tokensPerParameter);
        return decayed(usable, parameters / usable - 1, rStarN, parameters);
    }

    /** U + U·R*·(1 − e^(−R/R*)), or {@code whole} when nothing repeats or R* is infinite. */
    private static double decayed(double unique, double repetitions, double rStar, double whole) {
        if (!(repetitions > 0) || Double.isInfinite(rStar)) {
            return whole;
        }
        return unique + unique * rStar * -Math.expm1(-repetitions / rStar);
    }
}
