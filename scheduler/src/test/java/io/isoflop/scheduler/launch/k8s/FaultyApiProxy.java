package io.isoflop.scheduler.launch.k8s;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A plain-HTTP proxy on 127.0.0.1 between a scheduler and the test API server that misbehaves on purpose, as a
 * loaded or flaky control plane does: it answers some requests with 429 (Retry-After: 1) or 500 without passing
 * them on, passes some on and then answers 500 anyway (the change was made, the answer was lost), delays some by
 * up to 3 s, and cuts watches part-way, either silently or with the 410 Gone ("Expired") event an API server sends
 * when a watch's resource version is too old. It forwards over TLS with the test cluster's own client, and passes
 * the caller's credentials on untouched. {@link #injected} counts each kind of fault.
 */
final class FaultyApiProxy implements AutoCloseable {
    /** Probabilities per request (watches: per watch). */
    record Faults(double throttled, double failedBeforeForwarding, double failedAfterForwarding, double slow,
            double watchCut) {
        static Faults none() {
            return new Faults(0, 0, 0, 0, 0);
        }

        static Faults chaos() {
            return new Faults(0.05, 0.04, 0.03, 0.05, 0.5);
        }
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
            "accept-encoding", "content-encoding", "keep-alive", "upgrade");
    private static final String GONE_EVENT = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version (chaos proxy)\","
            + "\"reason\":\"Expired\",\"code\":410}}\n";

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> daemon(r, "chaos-proxy"));
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "chaos-proxy-cutter"));
    private final OkHttpClient upstream;
    private final String upstreamBase;
    private final Random random;
    private volatile Faults faults;
    final Map<String, AtomicInteger> injected = new TreeMap<>();
    final AtomicInteger forwarded = new AtomicInteger();
    private final Map<String, AtomicInteger> answersToLose = new java.util.concurrent.ConcurrentHashMap<>();

    private FaultyApiProxy(HttpServer server, OkHttpClient upstream, String upstreamBase, Random random, Faults faults) {
        this.server = server;
        this.upstream = upstream;
        this.upstreamBase = upstreamBase;
        this.random = random;
        this.faults = faults;
        for (String kind : new String[] {"429", "500 before", "500 after", "slow", "watch cut", "watch 410"}) {
            injected.put(kind, new AtomicInteger());
        }
    }

    static FaultyApiProxy start(TestCluster cluster, long seed, Faults faults) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        FaultyApiProxy proxy = new FaultyApiProxy(server, cluster.client.getHttpClient().newBuilder()
                .readTimeout(0, TimeUnit.SECONDS).build(), cluster.client.getBasePath(), new Random(seed), faults);
        server.createContext("/", proxy::handle);
        server.setExecutor(proxy.handlers);
        server.start();
        return proxy;
    }

    /** The next {@code count} requests with this method are passed on and then answered 500 ("the answer was lost"). */
    void loseTheAnswersOfNext(String method, int count) {
        answersToLose.computeIfAbsent(method, m -> new AtomicInteger()).addAndGet(count);
    }

    /** From now on, misbehave this way (e.g. {@link Faults#none()} for a calm end). */
    void faults(Faults faults) {
        this.faults = faults;
    }

    /** A copy of the cluster's kubeconfig that sends everything through this proxy (same user, same token). */
    Path kubeconfig(TestCluster cluster, Path file) throws IOException {
        String text = Files.readString(cluster.kubeconfig)
                .replaceAll("(?m)^(\\s*)server: .*$", "$1server: http://127.0.0.1:" + server.getAddress().getPort())
                .replaceAll("(?m)^\\s*certificate-authority-data: .*\\n", "");
        Files.writeString(file, text);
        return file;
    }

    private synchronized double roll() {
        return random.nextDouble();
    }

    private synchronized int millis(int min, int max) {
        return min + random.nextInt(max - min);
    }

    private void count(String kind) {
        injected.get(kind).incrementAndGet();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Faults now = faults;
            boolean watch = exchange.getRequestURI().getRawQuery() != null
                    && exchange.getRequestURI().getRawQuery().contains("watch=true");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (roll() < now.throttled()) {
                count("429");
                exchange.getResponseHeaders().add("Retry-After", "1");
                status(exchange, 429, "TooManyRequests", "chaos proxy: too many requests");
                return;
            }
            if (roll() < now.failedBeforeForwarding()) {
                count("500 before");
                status(exchange, 500, "InternalError", "chaos proxy: failed before forwarding");
                return;
            }
            if (roll() < now.slow()) {
                count("slow");
                sleep(millis(500, 3000));
            }
            boolean loseTheAnswer = !watch && (roll() < now.failedAfterForwarding() || answersToLose.getOrDefault(
                    exchange.getRequestMethod(), new AtomicInteger()).getAndUpdate(n -> Math.max(0, n - 1)) > 0);
            try (Response response = upstream.newCall(forwarded(exchange, body)).execute()) {
                forwarded.incrementAndGet();
                if (loseTheAnswer) {
                    response.body().bytes();
                    count("500 after");
                    status(exchange, 500, "InternalError", "chaos proxy: the answer was lost");
                    return;
                }
                response.headers().forEach(h -> {
                    if (!HOP_BY_HOP.contains(h.getFirst().toLowerCase(java.util.Locale.ROOT))) {
                        exchange.getResponseHeaders().add(h.getFirst(), h.getSecond());
                    }
                });
                exchange.sendResponseHeaders(response.code(), 0);
                if (watch && response.code() == 200 && roll() < now.watchCut()) {
                    cutWatch(exchange, response);
                } else {
                    copy(response.body().byteStream(), exchange.getResponseBody());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the caller or the API server went away: nothing to answer
        }
    }

    /** Passes the watch's events on for 0.5–6 s, then ends it: silently or with a 410 Gone event. */
    private void cutWatch(HttpExchange exchange, Response response) throws IOException {
        boolean gone = roll() < 0.5;
        AtomicBoolean cut = new AtomicBoolean();
        cutter.schedule(() -> {
            cut.set(true);
            response.close();
        }, millis(500, 6000), TimeUnit.MILLISECONDS);
        OutputStream out = exchange.getResponseBody();
        try {
            copy(response.body().byteStream(), out);
        } catch (IOException | IllegalStateException e) {
            if (!cut.get()) {
                throw e;
            }
        }
        if (cut.get()) {
            count(gone ? "watch 410" : "watch cut");
            if (gone) {
                out.write(GONE_EVENT.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private Request forwarded(HttpExchange exchange, byte[] body) {
        Request.Builder request = new Request.Builder().url(upstreamBase + exchange.getRequestURI().toString());
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.addHeader(name, v));
            }
        });
        String method = exchange.getRequestMethod();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean hasBody = body.length > 0 || Set.of("POST", "PUT", "PATCH").contains(method);
        return request.method(method, hasBody ? RequestBody.create(body, type == null ? null : MediaType.parse(type))
                : null).build();
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16384];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush(); // a watch's events go on as they come
        }
    }

    private static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
        byte[] json = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, json.length);
        exchange.getResponseBody().write(json);
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Faults injected so far, by kind. */
    Map<String, Integer> injectedSoFar() {
        Map<String, Integer> counts = new TreeMap<>();
        injected.forEach((kind, n) -> counts.put(kind, n.get()));
        return counts;
    }

    @Override
    public void close() {
        server.stop(0);
        cutter.shutdownNow();
        handlers.shutdownNow();
    }
}
