package io.isoflop.scheduler.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.ParametricLaw;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A prior law from a previous sweep's {@code frontier.json}: its Approach 3 law, with the scatter its runs showed
 * about that law (the root mean square of {@code loss / L(N, D) − 1} over every run with a loss, as Approach 3 fits
 * them all) as the per-run noise.
 */
public final class PriorLaw {
    private PriorLaw() {}

    /** The law's E, A, α, B, β as the fitter's {@link ParametricLaw} (its noise and data constraint left aside). */
    public static ParametricLaw parametric(SimulatedLaw law) {
        return new ParametricLaw(law.e(), law.a(), law.b(), law.alpha(), law.beta());
    }

    /** @throws IllegalArgumentException naming the file and the field when it holds no fitted Approach 3 law */
    public static SimulatedLaw fromFrontier(Path frontierJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(frontierJson.toFile());
        JsonNode law = root.path("approach3");
        if (!law.path("fitted").asBoolean(false)) {
            throw new IllegalArgumentException(frontierJson + ": approach3: expected a fitted parametric law"
                    + " (approach3.fitted true), got " + (law.isMissingNode() ? "no approach3 section" : "none"));
        }
        double e = law.path("E").asDouble();
        double a = law.path("A").asDouble();
        double alpha = law.path("alpha").asDouble();
        double b = law.path("B").asDouble();
        double beta = law.path("beta").asDouble();
        double scatter = ReplicatePrecision.relativeScatter(new ParametricLaw(e, a, b, alpha, beta),
                FrontierResults.read(frontierJson));
        if (!Double.isFinite(scatter)) {
            throw new IllegalArgumentException(frontierJson + ": budgets[].points: expected the runs the law was"
                    + " fitted to (their scatter is the forecast's noise), found none with a loss");
        }
        return new SimulatedLaw(e, a, alpha, b, beta, scatter, 0);
    }
}
