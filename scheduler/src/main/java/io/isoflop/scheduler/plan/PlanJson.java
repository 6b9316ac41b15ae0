package io.isoflop.scheduler.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.isoflop.contracts.RunSpec;
import java.util.List;

/**
 * The plan as JSON: sweep, specHash, sweepDir, maxParallel, runCount, totalFlops, and every run spec in the
 * same form the worker reads ({@link io.isoflop.contracts.RunSpecCodec}).
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private PlanJson() {}

    /** The JSON document's shape. */
    public record Document(
            String sweep,
            String specHash,
            String sweepDir,
            int maxParallel,
            int runCount,
            double totalFlops,
            List<RunSpec> runs) {}

    public static String render(IsoFlopPlan plan) {
        Document document = new Document(plan.sweep(), plan.specHash(), plan.sweepDir().toString(),
                plan.maxParallel(), plan.runs().size(), plan.totalFlops(), plan.runs());
        try {
            return MAPPER.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the plan of " + plan.sweep(), e);
        }
    }

    /** Reads a plan written by {@link #render} (e.g. a sweep directory's {@code plan.json}). */
    public static IsoFlopPlan read(java.nio.file.Path file) throws java.io.IOException {
        Document document;
        try {
            document = MAPPER.readValue(file.toFile(), Document.class);
        } catch (java.io.IOException e) {
            throw new java.io.IOException("cannot read the plan " + file + ": " + e.getMessage(), e);
        }
        return new IsoFlopPlan(document.sweep(), document.specHash(), java.nio.file.Path.of(document.sweepDir()),
                document.maxParallel(), document.runs());
    }
}
