package io.isoflop.scheduler.service;

import com.google.gson.JsonObject;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecError;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.util.List;

/**
 * The budget spec an {@code IsoFlopSweep} holds in {@code spec}: the same sections and keys as a spec file, read by
 * the same loader (JSON is YAML), so every error names its field as it would for a file. The sweep is named by the
 * resource: {@code sweep.name} defaults to the resource's name and, when given, must equal it.
 */
final class ResourceSpec {
    private ResourceSpec() {}

    /** The spec's text with {@code sweep.name} filled in from the resource's name. */
    static String text(JsonObject resource) throws SpecValidationException {
        String name = resource.getAsJsonObject("metadata").get("name").getAsString();
        String source = source(resource);
        if (!resource.has("spec") || !resource.get("spec").isJsonObject()) {
            throw new SpecValidationException(source, List.of(new SpecError("", "expected a mapping with the budget"
                    + " spec's sections")));
        }
        JsonObject spec = resource.getAsJsonObject("spec").deepCopy();
        JsonObject sweep = spec.has("sweep") && spec.get("sweep").isJsonObject() ? spec.getAsJsonObject("sweep")
                : null;
        if (sweep == null && !spec.has("sweep")) {
            sweep = new JsonObject();
            spec.add("sweep", sweep);
        }
        if (sweep != null) {
            if (!sweep.has("name")) {
                sweep.addProperty("name", name);
            } else if (!sweep.get("name").isJsonPrimitive() || !name.equals(sweep.get("name").getAsString())) {
                throw new SpecValidationException(source, List.of(new SpecError("sweep.name", "must be the"
                        + " resource's name '" + name + "' (or be left out), got " + sweep.get("name"))));
            }
        }
        return spec.toString();
    }

    /** The validated spec. */
    static BudgetSpec parse(JsonObject resource) throws SpecValidationException {
        return BudgetSpecLoader.parse(text(resource), source(resource));
    }

    static String source(JsonObject resource) {
        JsonObject metadata = resource.getAsJsonObject("metadata");
        return IsoFlopSweeps.KIND + " " + metadata.get("namespace").getAsString() + "/"
                + metadata.get("name").getAsString() + " spec";
    }
}
