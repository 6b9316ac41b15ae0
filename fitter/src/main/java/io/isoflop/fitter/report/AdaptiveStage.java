package io.isoflop.fitter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One stage of an adaptive sweep as the scheduler recorded it ({@code stages.json}): the budgets it ran, how many
 * runs and their planned FLOPs, and why; the last stage of a finished sweep has no runs and says why it ended.
 */
public record AdaptiveStage(int index, List<Double> budgets, int runs, double flops, String reason) {

    public AdaptiveStage {
        budgets = List.copyOf(budgets);
    }

    /** The stages of a {@code stages.json} document ({@code {"sweep": …, "stages": [{index, budgets, runs, reason}]}}). */
    public static List<AdaptiveStage> parse(String json, String source) throws IOException {
        JsonNode stages = new ObjectMapper().readTree(json).path("stages");
        if (!stages.isArray()) {
            throw new IOException(source + ": stages: expected the adaptive sweep's stages");
        }
        List<AdaptiveStage> parsed = new ArrayList<>();
        for (JsonNode stage : stages) {
            List<Double> budgets = new ArrayList<>();
            stage.path("budgets").forEach(b -> budgets.add(b.asDouble()));
            double flops = 0;
            for (JsonNode run : stage.path("runs")) {
                flops += run.path("tokens").asDouble() * run.path("flopsPerToken").asDouble();
            }
            parsed.add(new AdaptiveStage(stage.path("index").asInt(), budgets, stage.path("runs").size(), flops,
                    stage.path("reason").asText()));
        }
        return parsed;
    }
}
