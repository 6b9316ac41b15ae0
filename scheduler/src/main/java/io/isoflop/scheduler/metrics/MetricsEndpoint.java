package io.isoflop.scheduler.metrics;

import io.prometheus.client.CollectorRegistry;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Serves a registry at {@code /metrics} for Prometheus to scrape (and maybe a page at {@code /}); port 0: none. */
public final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;
    private final String host;

    private MetricsEndpoint(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    public static MetricsEndpoint start(String address, int port, CollectorRegistry registry) throws IOException {
        return start(address, port, registry, null);
    }

    /**
     * Also serves {@code page} at {@code /} and every path below that is not {@code /metrics} or {@code /-/healthy}
     * (null: Prometheus's own page at {@code /}).
     */
    public static MetricsEndpoint start(String address, int port, CollectorRegistry registry, HttpHandler page)
            throws IOException {
        if (port == 0) {
            return new MetricsEndpoint(null, address);
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 3);
        HTTPServer server = new HTTPServer.Builder()
                .withHttpServer(http)
                .withRegistry(registry)
                .withDaemonThreads(true)
                .build();
        if (page != null) {
            http.removeContext("/");
            http.createContext("/", page);
        }
        return new MetricsEndpoint(server, address);
    }

    /** {@code host:port} it listens on, if it listens. */
    public Optional<String> address() {
        return server == null ? Optional.empty() : Optional.of(host + ":" + server.getPort());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
