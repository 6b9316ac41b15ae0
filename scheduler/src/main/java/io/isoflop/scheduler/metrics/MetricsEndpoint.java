package io.isoflop.scheduler.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Serves a registry at {@code /metrics} for Prometheus to scrape; port 0 means no endpoint. */
public final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;
    private final String host;

    private MetricsEndpoint(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    public static MetricsEndpoint start(String address, int port, CollectorRegistry registry) throws IOException {
        if (port == 0) {
            return new MetricsEndpoint(null, address);
        }
        HTTPServer server = new HTTPServer.Builder()
                .withInetSocketAddress(new InetSocketAddress(address, port))
                .withRegistry(registry)
                .withDaemonThreads(true)
                .build();
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
