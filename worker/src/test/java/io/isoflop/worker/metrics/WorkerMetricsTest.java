package io.isoflop.worker.metrics;

import io.isoflop.contracts.WorkerProtocol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.worker.sink.MetricRow;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    @Test
    void stepsMoveTheSeriesServedAtMetrics() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (WorkerMetrics metrics = WorkerMetrics.start("quickstart", "c1e11-n3312-ab", Integer.toString(port))) {
            metrics.step(new MetricRow(1, 1024, 1e9, 5.5, Double.NaN, 1e-3, 0.1, 9000, 0.1, false));
            metrics.step(new MetricRow(2, 2048, 2e9, 4.25, Double.NaN, 1e-3, 0.2, 11000, 0.1, false));
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metrics.port().orElseThrow() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String labels = "{sweep=\"quickstart\",run=\"c1e11-n3312-ab\",}";
            assertTrue(body.contains("isoflop_worker_train_loss" + labels + " 4.25"), body);
            assertTrue(body.contains("isoflop_worker_tokens_per_second" + labels + " 11000.0"), body);
            assertTrue(body.contains("isoflop_worker_tokens_trained_total" + labels + " 2048.0"), body);
        }
    }

    @Test
    void noPortNoServerAndABadPortIsNamed() throws Exception {
        try (WorkerMetrics metrics = WorkerMetrics.start("s", "r", null)) {
            assertEquals(java.util.Optional.empty(), metrics.port());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerMetrics.start("s", "r", "ninety"));
        assertTrue(e.getMessage().contains(WorkerProtocol.METRICS_PORT_ENV), e.getMessage());
    }
}
