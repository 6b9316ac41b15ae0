package io.isoflop.scheduler.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.fitter.fit.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs a fit saw, read back from its {@code frontier.json} ({@code budgets[].points[]}: run id, N, D, FLOPs and
 * final loss, excluded ones included): what an adaptive sweep's next stage is decided from.
 */
public final class FrontierResults {
    private FrontierResults() {}

    /** @throws IOException naming the file when it cannot be read or holds no budgets */
    public static List<RunResult> read(Path frontierJson) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(frontierJson.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read the fit " + frontierJson + ": " + e.getMessage(), e);
        }
        if (!root.path("budgets").isArray()) {
            throw new IOException(frontierJson + ": budgets: expected the fit's budgets with their points");
        }
        List<RunResult> results = new ArrayList<>();
        for (JsonNode budget : root.path("budgets")) {
            double budgetFlops = budget.path("budgetFlops").asDouble();
            for (JsonNode point : budget.path("points")) {
                JsonNode loss = point.path("loss");
                results.add(new RunResult(point.path("runId").asText(), budgetFlops, point.path("n").asLong(),
                        point.path("d").asLong(), point.path("flops").asDouble(),
                        loss.isNumber() ? loss.asDouble() : Double.NaN));
            }
        }
        return results;
    }
}
