package io.isoflop.scheduler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Prints the headline of a fitter's {@code frontier.json}: the exponents and each budget's optimum. */
final class FrontierSummary {
    private FrontierSummary() {}

    static void print(Path frontierJson, PrintWriter out) throws IOException {
        JsonNode root = new ObjectMapper().readTree(frontierJson.toFile());
        JsonNode laws = root.path("powerLaws");
        if (laws.isMissingNode() || laws.isNull()) {
            out.println("no power law: too few usable budgets (see diagnostics in " + frontierJson + ")");
        } else {
            out.printf(Locale.ROOT, "N_opt ∝ C^%.3f ± %s   D_opt ∝ C^%.3f ± %s%n",
                    laws.path("nOpt").path("exponent").asDouble(), stderr(laws.path("nOpt")),
                    laws.path("dOpt").path("exponent").asDouble(), stderr(laws.path("dOpt")));
        }
        for (JsonNode budget : root.path("budgets")) {
            if (budget.path("nOpt").isNull() || budget.path("nOpt").isMissingNode()) {
                out.printf(Locale.ROOT, "  C=%.2e  no vertex: %s%n", budget.path("budgetFlops").asDouble(),
                        budget.path("reason").asText());
                continue;
            }
            out.printf(Locale.ROOT, "  C=%.2e  N_opt=%.3g  D_opt=%.3g  loss=%.4f  %s%n",
                    budget.path("budgetFlops").asDouble(), budget.path("nOpt").asDouble(),
                    budget.path("dOpt").asDouble(), budget.path("lossOpt").asDouble(),
                    budget.path("usedInPowerLaw").asBoolean() ? "" : "(not used: " + budget.path("reason").asText()
                            + ")");
        }
        for (JsonNode diagnostic : root.path("diagnostics")) {
            out.println("  note: " + diagnostic.asText());
        }
    }

    private static String stderr(JsonNode law) {
        JsonNode stderr = law.path("stderr");
        return stderr.isNumber() ? String.format(Locale.ROOT, "%.3f", stderr.asDouble()) : "n/a";
    }
}
