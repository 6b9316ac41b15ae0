package io.isoflop.scheduler.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.service.IsoFlopSweeps;
import io.isoflop.scheduler.service.JsonText;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/** {@code isoflop status --cluster NAME}: an IsoFlopSweep's status as a person reads it, and an exit code from it. */
final class ClusterStatus {
    private ClusterStatus() {}

    static int show(ApiClient client, String namespace, String name, PrintWriter out, PrintWriter err) {
        Optional<JsonObject> resource;
        try {
            resource = new IsoFlopSweeps(client, new ApiCalls(code -> { }), namespace).get(name);
        } catch (ApiException e) {
            err.println("isoflop: cannot read " + IsoFlopSweeps.KIND + " " + namespace + "/" + name + ": HTTP "
                    + e.getCode() + " " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        if (resource.isEmpty()) {
            err.println("isoflop: no " + IsoFlopSweeps.KIND + " " + name + " in namespace " + namespace
                    + " (kubectl -n " + namespace + " get isoflopsweeps lists them)");
            return ExitCodes.BAD_INPUT;
        }
        JsonObject status = resource.get().has("status") ? resource.get().getAsJsonObject("status")
                : new JsonObject();
        String phase = JsonText.text(status, "phase", "Pending");
        out.printf(Locale.ROOT, "%s %s/%s: %s%n", IsoFlopSweeps.KIND, namespace, name, phase);
        out.printf(Locale.ROOT, "runs %s | FLOPs %s%n", JsonText.text(status, "runs", "-"),
                JsonText.text(status, "flops", "-"));
        if (status.has("frontier") && status.getAsJsonObject("frontier").has("a")) {
            JsonObject frontier = status.getAsJsonObject("frontier");
            out.printf(Locale.ROOT, "N_opt ∝ C^%.3f ± %s   D_opt ∝ C^%.3f ± %s%n", frontier.get("a").getAsDouble(),
                    stderr(frontier, "aStderr"), frontier.get("b").getAsDouble(), stderr(frontier, "bStderr"));
        }
        if (status.has("report")) {
            out.println("report: " + JsonText.text(status, "report", ""));
            out.println("frontier: " + JsonText.text(status, "frontierFile", ""));
        }
        if (!JsonText.text(status, "message", "").isEmpty()) {
            out.println("message: " + JsonText.text(status, "message", ""));
        }
        String failedReason = "";
        for (JsonElement element : status.has("conditions") ? status.getAsJsonArray("conditions")
                : new com.google.gson.JsonArray()) {
            JsonObject c = element.getAsJsonObject();
            out.printf(Locale.ROOT, "  %-8s %-5s %-18s since %s%n", JsonText.text(c, "type", ""), JsonText.text(c, "status", ""),
                    JsonText.text(c, "reason", ""), JsonText.text(c, "lastTransitionTime", ""));
            if ("Failed".equals(JsonText.text(c, "type", "")) && "True".equals(JsonText.text(c, "status", ""))) {
                failedReason = JsonText.text(c, "reason", "");
            }
        }
        return switch (failedReason) {
            case "" -> ExitCodes.OK;
            case "SpecInvalid" -> ExitCodes.BAD_INPUT;
            case "RunsFailed", "TooManyRunsFailed" -> ExitCodes.RUNS_FAILED;
            case "FitterFailed" -> ExitCodes.FIT_FAILED;
            default -> ExitCodes.INTERNAL;
        };
    }

    private static String stderr(JsonObject frontier, String key) {
        return frontier.has(key) ? String.format(Locale.ROOT, "%.3f", frontier.get(key).getAsDouble()) : "n/a";
    }
}
