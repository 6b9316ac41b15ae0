package io.isoflop.scheduler.service;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code status} of an {@link IsoFlopSweeps IsoFlopSweep}: its phase, progress (runs and FLOPs done of planned),
 * the fitted exponents and the usual Kubernetes conditions. Each phase sets all five conditions (Planned, Running,
 * Fitting, Done, Failed); a condition keeps its {@code lastTransitionTime} while its status stays the same, so
 * writing the same phase again (a restarted scheduler) changes nothing.
 */
final class SweepStatus {
    enum Phase { Pending, Running, Fitting, Done, Stopped, Failed }

    static final List<String> CONDITIONS = List.of("Planned", "Running", "Fitting", "Done", "Failed");
    /** The reason of a Planned=False condition: the spec did not validate. */
    static final String SPEC_INVALID = "SpecInvalid";

    record Condition(String type, String status, String reason, String message, String lastTransitionTime,
            long observedGeneration) {}

    private Phase phase = Phase.Pending;
    private String message = "";
    private long observedGeneration;
    private int runsDone;
    private int runsTotal;
    private double flopsDone;
    private double flopsTotal;
    private String report;
    private String frontierFile;
    private JsonObject frontier;
    private final Map<String, Condition> conditions = new LinkedHashMap<>();

    /** The status as the resource holds it (null or empty: a new resource), to carry its conditions on. */
    static SweepStatus from(JsonObject status) {
        SweepStatus result = new SweepStatus();
        if (status == null) {
            return result;
        }
        if (status.has("phase")) {
            try {
                result.phase = Phase.valueOf(status.get("phase").getAsString());
            } catch (IllegalArgumentException e) {
                result.phase = Phase.Pending;
            }
        }
        result.message = JsonText.text(status, "message", "");
        result.observedGeneration = status.has("observedGeneration") ? status.get("observedGeneration").getAsLong()
                : 0;
        result.runsDone = status.has("runsDone") ? status.get("runsDone").getAsInt() : 0;
        result.runsTotal = status.has("runsTotal") ? status.get("runsTotal").getAsInt() : 0;
        result.flopsDone = status.has("flopsDone") ? status.get("flopsDone").getAsDouble() : 0;
        result.flopsTotal = status.has("flopsTotal") ? status.get("flopsTotal").getAsDouble() : 0;
        result.report = JsonText.text(status, "report", null);
        result.frontierFile = JsonText.text(status, "frontierFile", null);
        result.frontier = status.has("frontier") ? status.getAsJsonObject("frontier").deepCopy() : null;
        if (status.has("conditions")) {
            for (JsonElement element : status.getAsJsonArray("conditions")) {
                JsonObject c = element.getAsJsonObject();
                String type = JsonText.text(c, "type", "");
                result.conditions.put(type, new Condition(type, JsonText.text(c, "status", "Unknown"), JsonText.text(c, "reason", ""),
                        JsonText.text(c, "message", ""), JsonText.text(c, "lastTransitionTime", ""),
                        c.has("observedGeneration") ? c.get("observedGeneration").getAsLong() : 0));
            }
        }
        return result;
    }

    Phase phase() {
        return phase;
    }

    long observedGeneration() {
        return observedGeneration;
    }

    Condition condition(String type) {
        return conditions.get(type);
    }

    /** A phase that no drive changes any more: only a new generation of the spec starts the sweep again. */
    boolean ended() {
        return phase == Phase.Done || phase == Phase.Stopped || phase == Phase.Failed;
    }

    /**
     * Moves to a phase, for this generation of the spec, with a reason (CamelCase, for the conditions) and a
     * message a person reads.
     */
    void phase(Phase next, String reason, String text, long generation, Instant now) {
        phase = next;
        message = text;
        observedGeneration = generation;
        boolean specInvalid = SPEC_INVALID.equals(reason);
        set("Planned", !specInvalid, specInvalid ? reason : "Planned", specInvalid ? text
                : runsTotal + " runs, " + flopsText(flopsTotal) + " FLOPs", generation, now);
        set("Running", next == Phase.Running, next == Phase.Running ? reason : reasonWhenNot(next, reason),
                next == Phase.Running ? text : "", generation, now);
        set("Fitting", next == Phase.Fitting, next == Phase.Fitting ? reason : reasonWhenNot(next, reason),
                next == Phase.Fitting ? text : "", generation, now);
        set("Done", next == Phase.Done, next == Phase.Done ? reason : reasonWhenNot(next, reason),
                next == Phase.Done ? text : "", generation, now);
        boolean failed = next == Phase.Failed || next == Phase.Stopped;
        set("Failed", failed, failed ? reason : "NoFailure", failed ? text : "", generation, now);
    }

    private static String reasonWhenNot(Phase phase, String reason) {
        return switch (phase) {
            case Pending -> "Pending";
            case Running -> "RunsInFlight";
            case Fitting -> "RunsDone";
            case Done -> "Done";
            case Stopped, Failed -> reason;
        };
    }

    private void set(String type, boolean on, String reason, String text, long generation, Instant now) {
        String status = on ? "True" : "False";
        Condition old = conditions.get(type);
        String since = old != null && old.status().equals(status) ? old.lastTransitionTime()
                : now.truncatedTo(ChronoUnit.SECONDS).toString();
        conditions.put(type, new Condition(type, status, reason, text, since, generation));
    }

    void progress(int done, int total, double doneFlops, double totalFlops) {
        runsDone = done;
        runsTotal = total;
        flopsDone = doneFlops;
        flopsTotal = totalFlops;
    }

    /** Where the fit's report and frontier are, and its headline: the exponents a and b with standard errors. */
    void fitted(String reportLocation, String frontierLocation, JsonObject exponents) {
        report = reportLocation;
        frontierFile = frontierLocation;
        frontier = exponents;
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("observedGeneration", observedGeneration);
        json.addProperty("phase", phase.name());
        json.addProperty("message", message);
        json.addProperty("runs", runsDone + "/" + runsTotal);
        json.addProperty("runsDone", runsDone);
        json.addProperty("runsTotal", runsTotal);
        json.addProperty("flops", flopsText(flopsDone) + "/" + flopsText(flopsTotal));
        json.addProperty("flopsDone", flopsDone);
        json.addProperty("flopsTotal", flopsTotal);
        if (report != null) {
            json.addProperty("report", report);
        }
        if (frontierFile != null) {
            json.addProperty("frontierFile", frontierFile);
        }
        if (frontier != null) {
            json.add("frontier", frontier);
        }
        JsonArray list = new JsonArray();
        for (String type : CONDITIONS) {
            Condition c = conditions.get(type);
            if (c == null) {
                continue;
            }
            JsonObject o = new JsonObject();
            o.addProperty("type", c.type());
            o.addProperty("status", c.status());
            o.addProperty("reason", c.reason());
            if (!c.message().isEmpty()) { // an empty string reaches a 1.20 API server as null, which it refuses
                o.addProperty("message", c.message());
            }
            o.addProperty("lastTransitionTime", c.lastTransitionTime());
            o.addProperty("observedGeneration", c.observedGeneration());
            list.add(o);
        }
        json.add("conditions", list);
        return json;
    }

    static String flopsText(double flops) {
        return flops == 0 ? "0" : String.format(Locale.ROOT, "%.2e", flops);
    }
}
