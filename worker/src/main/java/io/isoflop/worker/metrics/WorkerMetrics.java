package io.isoflop.worker.metrics;

import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.worker.sink.MetricRow;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The worker's own Prometheus metrics, by sweep and run: tokens per second, training loss and tokens trained,
 * moved at every step. Served at {@code /metrics} on the port in {@value WorkerProtocol#METRICS_PORT_ENV} when that is
 * set (the Kubernetes Job sets 9401, which the scrape config in k8s/monitoring targets); a local worker serves
 * nothing unless asked.
 */
public final class WorkerMetrics implements AutoCloseable {

    private final Gauge.Child tokensPerSecond;
    private final Gauge.Child trainLoss;
    private final Counter.Child tokensTrained;
    private final HTTPServer server;
    private long tokensSoFar;

    public WorkerMetrics(CollectorRegistry registry, String sweep, String run, HTTPServer server) {
        tokensPerSecond = Gauge.build("isoflop_worker_tokens_per_second", "Training throughput of the run.")
                .labelNames("sweep", "run").register(registry).labels(sweep, run);
        trainLoss = Gauge.build("isoflop_worker_train_loss", "Training loss at the latest step.")
                .labelNames("sweep", "run").register(registry).labels(sweep, run);
        tokensTrained = Counter.build("isoflop_worker_tokens_trained_total", "Tokens trained so far.")
                .labelNames("sweep", "run").register(registry).labels(sweep, run);
        this.server = server;
    }

    /**
     * The metrics of one run, served on the port named by {@code portValue} (the value of
     * {@value WorkerProtocol#METRICS_PORT_ENV};
     * null or blank: not served).
     *
     * @throws IllegalArgumentException naming {@value WorkerProtocol#METRICS_PORT_ENV} when it is not a port number
     * @throws IOException if the port cannot be bound
     */
    public static WorkerMetrics start(String sweep, String run, String portValue) throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        HTTPServer server = null;
        if (portValue != null && !portValue.isBlank()) {
            int port;
            try {
                port = Integer.parseInt(portValue.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(WorkerProtocol.METRICS_PORT_ENV + ": expected a port number, got '"
                        + portValue + "'");
            }
            server = new HTTPServer.Builder().withInetSocketAddress(new InetSocketAddress(port))
                    .withRegistry(registry).withDaemonThreads(true).build();
        }
        return new WorkerMetrics(registry, sweep, run, server);
    }

    public void step(MetricRow row) {
        tokensPerSecond.set(row.tokensPerSecond());
        trainLoss.set(row.trainLoss());
        tokensTrained.inc(Math.max(0, row.tokens() - tokensSoFar));
        tokensSoFar = Math.max(tokensSoFar, row.tokens());
    }

    /** The port metrics are served on, if any. */
    public Optional<Integer> port() {
        return server == null ? Optional.empty() : Optional.of(server.getPort());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
