package io.isoflop.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.SplittableRandom;

/**
 * A run that is drawn rather than trained: its losses follow a declared ground truth L(N, D) = E + A/N^α + B/D^β
 * (D the tokens seen so far), every loss of the run scaled by one seeded offset (1 + δ), δ ~ N(0, runNoise²), and
 * each evaluation by its own (1 + ε), ε ~ N(0, evalNoise²). Sweeps are planned and the scheduler and fitter
 * tested at scale with it, without paying for training.
 *
 * <p>With {@code rStarD} (and {@code rStarN}) the law is data-constrained (Muennighoff et al. 2023): a run capped
 * at U_D unique tokens sees effective data D' and parameters N' ({@link RepeatedData}, k = 20).
 *
 * @param runNoise  relative standard deviation of the per-run offset
 * @param evalNoise relative standard deviation of each evaluation's noise
 * @param rStarD R*_D of repeated data; null (left out of the JSON) for repeated tokens as good as fresh
 * @param rStarN R*_N of excess parameters; null for no decay
 */
public record SimulatedLaw(double e, double a, double alpha, double b, double beta, double runNoise,
        double evalNoise, @JsonInclude(JsonInclude.Include.NON_NULL) Double rStarD,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double rStarN) {

    /** A law whose repeated data is as good as fresh. */
    public SimulatedLaw(double e, double a, double alpha, double b, double beta, double runNoise, double evalNoise) {
        this(e, a, alpha, b, beta, runNoise, evalNoise, null, null);
    }

    /**
     * The noise-free loss of N parameters after D tokens drawn from U_D unique ones (infinite: unlimited data): the
     * law at the effective N' and D' when it is data-constrained, else {@link #loss(double, double)}.
     */
    public double loss(double parameters, double tokens, double uniqueTokens) {
        if (rStarD == null) {
            return loss(parameters, tokens);
        }
        RepeatedData repeated = new RepeatedData(rStarD, rStarN == null ? Double.POSITIVE_INFINITY : rStarN,
                RepeatedData.CHINCHILLA_TOKENS_PER_PARAMETER);
        return loss(repeated.effectiveParameters(parameters, uniqueTokens),
                repeated.effectiveTokens(tokens, uniqueTokens));
    }

    /** Chinchilla's fitted law (Hoffmann et al. 2022, Approach 3): E 1.69, A 406.4, α 0.34, B 410.7, β 0.28. */
    public static SimulatedLaw chinchilla(double runNoise, double evalNoise) {
        return new SimulatedLaw(1.69, 406.4, 0.34, 410.7, 0.28, runNoise, evalNoise);
    }

    /** The noise-free loss of N parameters after D tokens. */
    public double loss(double parameters, double tokens) {
        return e + a / Math.pow(parameters, alpha) + b / Math.pow(tokens, beta);
    }

    /** The final loss a run of N parameters trained on D tokens draws: L(N, D)·(1 + runNoise·δ)·(1 + evalNoise·ε). */
    public double drawFinalLoss(double parameters, double tokens, SplittableRandom random) {
        return drawFinalLoss(parameters, tokens, tokens, random);
    }

    /** Like {@link #drawFinalLoss(double, double, SplittableRandom)}, the D tokens drawn from U_D unique ones. */
    public double drawFinalLoss(double parameters, double tokens, double uniqueTokens, SplittableRandom random) {
        double offset = 1 + runNoise * standardNormal(random);
        return loss(parameters, tokens, uniqueTokens) * offset * (1 + evalNoise * standardNormal(random));
    }

    /** A standard normal draw (Box–Muller). */
    public static double standardNormal(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
