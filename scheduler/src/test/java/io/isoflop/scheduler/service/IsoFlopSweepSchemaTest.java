package io.isoflop.scheduler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The IsoFlopSweep CRD's schema (k8s/chart/crds/isoflopsweeps.yaml) held to the budget spec's own validation: it
 * declares exactly the loader's sections, each a mapping whose unknown keys are kept for the loader to name (never
 * pruned), checks sweep.name with the loader's pattern, and the printer columns read fields the status writes.
 * IsoFlopSweepIT applies it to the real API server.
 */
class IsoFlopSweepSchemaTest {
    private static final Path CRD = Path.of(System.getProperty("isoflop.home", "..")).toAbsolutePath().normalize()
            .resolve("k8s/chart/crds/isoflopsweeps.yaml");

    @Test
    void theSchemaDeclaresTheLoadersSectionsAndKeepsWhatItDoesNotCheck() throws Exception {
        JsonNode version = new YAMLMapper().readTree(CRD.toFile()).path("spec").path("versions").get(0);
        JsonNode spec = version.path("schema").path("openAPIV3Schema").path("properties").path("spec");
        assertTrue(spec.path("x-kubernetes-preserve-unknown-fields").asBoolean(), "unknown sections reach the loader");
        List<String> declared = new ArrayList<>();
        spec.path("properties").fieldNames().forEachRemaining(declared::add);
        assertEquals(BudgetSpecLoader.SECTIONS, declared);
        for (String section : declared) {
            JsonNode schema = spec.path("properties").path(section);
            assertEquals("object", schema.path("type").asText(), section);
            assertTrue(schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(), section
                    + ": keys are kept for the loader to judge, not pruned");
        }
        String pattern = spec.path("properties").path("sweep").path("properties").path("name").path("pattern")
                .asText();
        assertEquals("^" + BudgetSpecLoader.SWEEP_NAME.pattern() + "$", pattern);
        for (String name : List.of("a", "quickstart", "x-1", "a".repeat(40), "A", "1a", "a_b", "a".repeat(41), "")) {
            assertEquals(BudgetSpecLoader.SWEEP_NAME.matcher(name).matches(), Pattern.compile(pattern).matcher(name)
                    .find(), name);
        }
        assertTrue(spec.path("required").toString().contains("budgets"));
    }

    @Test
    void thePrinterColumnsReadWhatTheStatusWrites() throws Exception {
        JsonNode version = new YAMLMapper().readTree(CRD.toFile()).path("spec").path("versions").get(0);
        SweepStatus status = new SweepStatus();
        status.progress(3, 12, 1e18, 4e19);
        com.google.gson.JsonObject exponents = new com.google.gson.JsonObject();
        exponents.addProperty("a", 0.5);
        exponents.addProperty("b", 0.5);
        status.fitted("r", "f", exponents);
        status.phase(SweepStatus.Phase.Running, "RunsInFlight", "12 runs", 1, java.time.Instant.EPOCH);
        com.google.gson.JsonObject json = new com.google.gson.JsonObject();
        json.add("status", status.toJson());
        for (JsonNode column : version.path("additionalPrinterColumns")) {
            String path = column.path("jsonPath").asText();
            if (!path.startsWith(".status.")) {
                continue;
            }
            com.google.gson.JsonElement at = json;
            for (String key : path.substring(1).split("\\.")) {
                at = at.getAsJsonObject().get(key);
                assertTrue(at != null, path + " is written by SweepStatus");
            }
        }
        JsonNode statusSchema = version.path("schema").path("openAPIV3Schema").path("properties").path("status")
                .path("properties");
        status.toJson().keySet().forEach(key -> assertTrue(statusSchema.has(key), "status." + key
                + " is in the schema (else the API server prunes it)"));
    }
}
