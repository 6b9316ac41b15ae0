package io.isoflop.fitter.fit;

/**
 * The compute-optimal model at a target budget, with bootstrap intervals (NaN bounds without a bootstrap).
 *
 * @param budgetFlops the target budget C
 * @param parameters Approach 3's N_opt(C)
 * @param tokens Approach 3's D_opt(C)
 * @param tokensPerParameter D_opt / N_opt
 * @param loss Approach 3's predicted loss of that model
 * @param approach2Parameters N_opt(C) from Approach 2's power law
 * @param approach2Tokens D_opt(C) from Approach 2's power law
 */
public record Projection(double budgetFlops, Interval parameters, Interval tokens, Interval tokensPerParameter,
        Interval loss, Interval approach2Parameters, Interval approach2Tokens) {}
