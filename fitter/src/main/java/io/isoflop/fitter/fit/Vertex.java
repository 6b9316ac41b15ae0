package io.isoflop.fitter.fit;

/**
 * The minimum of one IsoFLOP parabola.
 *
 * @param parameters N_opt = 10^(-b/2a), in the runs' declared parameter count
 * @param tokens D_opt: log10 D regressed on log10 N over the budget's runs, evaluated at N_opt (exact for C = 6ND)
 * @param loss the parabola's value at its vertex, nats per token
 */
public record Vertex(double parameters, double tokens, double loss) {

    public double tokensPerParameter() {
        return tokens / parameters;
    }
}
