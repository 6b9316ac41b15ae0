package io.isoflop.scheduler.service;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.worker.store.StoreClients;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The scheduler's read-only page of sweeps, on its HTTP port next to {@code /metrics}: {@code /} lists every
 * {@code IsoFlopSweep} with its phase, progress and fitted exponents, and links to the files of its fit, which
 * {@code /sweeps/NAME/FILE} serves from where the fitter wrote them (the shared volume or the object store):
 * {@code report.html} with its plots, {@code frontier.json}, {@code frontier.csv}. Nothing else is served: no
 * file name with a path in it, none outside the sweep's fit.
 */
public final class ReportsPage implements HttpHandler {
    private static final Pattern FILE = Pattern.compile("/sweeps/([a-z0-9][a-z0-9.-]{0,252})/([A-Za-z0-9_-][A-Za-z0-9_.-]*)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "json",
            "application/json", "csv", "text/csv; charset=utf-8", "png", "image/png", "log", "text/plain; charset=utf-8");

    private final SweepResourceService sweeps;

    public ReportsPage(SweepResourceService sweeps) {
        this.sweeps = sweeps;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET only\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/sweeps") || path.equals("/sweeps/")) {
                send(exchange, 200, TYPES.get("html"), page().getBytes(StandardCharsets.UTF_8));
                return;
            }
            Matcher file = FILE.matcher(path);
            Optional<FitTarget> target = file.matches() ? sweeps.fitTarget(file.group(1)) : Optional.empty();
            String type = file.matches() ? TYPES.get(extension(file.group(2))) : null;
            if (target.isEmpty() || type == null) {
                send(exchange, 404, "text/plain; charset=utf-8", ("no such page: " + path + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            Optional<byte[]> body = read(target.get(), file.group(2));
            if (body.isEmpty()) {
                send(exchange, 404, "text/plain; charset=utf-8", ("not written yet: " + path + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, type, body.get());
        }
    }

    /** The list of sweeps, as HTML. */
    String page() {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>isoflop sweeps</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.3em .8em;text-align:left}"
                + "</style></head><body>\n<h1>isoflop sweeps</h1>\n");
        List<JsonObject> resources = sweeps.resources().stream()
                .sorted(Comparator.comparing(r -> r.getAsJsonObject("metadata").get("name").getAsString())).toList();
        if (resources.isEmpty()) {
            html.append("<p id=\"no-sweeps\">No IsoFlopSweep in this namespace yet (<code>isoflop submit SPEC</code>"
                    + " creates one).</p>\n");
        } else {
            html.append("<table id=\"sweeps\"><thead><tr><th>sweep</th><th>phase</th><th>runs</th><th>FLOPs</th>"
                    + "<th>a (N<sub>opt</sub> &prop; C<sup>a</sup>)</th><th>b (D<sub>opt</sub> &prop; C<sup>b</sup>)"
                    + "</th><th>fit</th><th>message</th></tr></thead><tbody>\n");
            for (JsonObject resource : resources) {
                row(html, resource);
            }
            html.append("</tbody></table>\n");
        }
        return html.append("<p><a href=\"/metrics\">Prometheus metrics</a></p>\n</body></html>\n").toString();
    }

    private void row(StringBuilder html, JsonObject resource) {
        String name = resource.getAsJsonObject("metadata").get("name").getAsString();
        JsonObject status = resource.has("status") ? resource.getAsJsonObject("status") : new JsonObject();
        JsonObject frontier = status.has("frontier") ? status.getAsJsonObject("frontier") : new JsonObject();
        boolean fitted = status.has("report") && sweeps.fitTarget(name).isPresent();
        html.append("<tr class=\"sweep\" data-sweep=\"").append(escape(name)).append("\"><td>").append(escape(name))
                .append("</td><td class=\"phase\">").append(escape(JsonText.text(status, "phase", "Pending")))
                .append("</td><td>").append(escape(JsonText.text(status, "runs", "")))
                .append("</td><td>").append(escape(JsonText.text(status, "flops", "")))
                .append("</td><td>").append(exponent(frontier, "a"))
                .append("</td><td>").append(exponent(frontier, "b"))
                .append("</td><td>");
        if (fitted) {
            html.append("<a class=\"report\" href=\"/sweeps/").append(name).append("/report.html\">report</a> ")
                    .append("<a class=\"frontier\" href=\"/sweeps/").append(name)
                    .append("/frontier.json\">frontier.json</a>");
        }
        html.append("</td><td>").append(escape(JsonText.text(status, "message", ""))).append("</td></tr>\n");
    }

    private static String exponent(JsonObject frontier, String key) {
        if (!frontier.has(key)) {
            return "";
        }
        String value = String.format(java.util.Locale.ROOT, "%.3f", frontier.get(key).getAsDouble());
        return frontier.has(key + "Stderr") ? value + String.format(java.util.Locale.ROOT, " &plusmn; %.3f",
                frontier.get(key + "Stderr").getAsDouble()) : value;
    }

    /** A file of the fit, from the shared volume or the object store; empty when it is not there (yet). */
    private static Optional<byte[]> read(FitTarget target, String file) throws IOException {
        if (!target.onObjectStore()) {
            try {
                return Optional.of(Files.readAllBytes(target.localDir().resolve(file)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
        ObjectStore.Location stored = ObjectStore.parse(target.output()).resolve(file);
        try (S3Client s3 = StoreClients.s3(ObjectStore.Settings.fromEnvironment())) {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(stored.bucket()).key(stored.key())).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("cannot read " + stored.uri() + ": " + e.getMessage(), e);
        }
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
