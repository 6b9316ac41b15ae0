package io.isoflop.scheduler.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.prometheus.client.CollectorRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {
    private static final Path FIXTURE = Path.of("src", "test", "resources", "fixture-spec.yaml");

    @Test
    void runStatesFlopsAndAttemptsFollowTheSweepAndAreServedAtMetrics() throws Exception {
        List<RunSpec> runs = IsoFlopPlanner.plan(BudgetSpecLoader.load(FIXTURE), Path.of("sweeps", "m")).runs();
        CollectorRegistry registry = new CollectorRegistry();
        SweepObserver metrics = new SchedulerMetrics(registry).forSweep("m", runs);
        RunSpec done = runs.get(0);
        RunSpec flaky = runs.get(1);
        RunSpec broken = runs.get(2);

        metrics.alreadyDone(runs.get(3));
        metrics.started(done, 0.5);
        metrics.succeeded(done);
        metrics.started(flaky, 0.1);
        metrics.retrying(flaky, "log");
        metrics.started(flaky, 2.0);
        metrics.started(broken, 0.2);
        metrics.failed(broken, "log");

        assertEquals(2.0, sample(registry, "isoflop_runs", "succeeded"));
        assertEquals(1.0, sample(registry, "isoflop_runs", "running"));
        assertEquals(1.0, sample(registry, "isoflop_runs", "failed"));
        assertEquals(runs.size() - 4.0, sample(registry, "isoflop_runs", "pending"));
        assertEquals(4.0, registry.getSampleValue("isoflop_attempts_started_total", new String[] {"sweep"},
                new String[] {"m"}));
        assertEquals(2.0, registry.getSampleValue("isoflop_attempts_failed_total", new String[] {"sweep"},
                new String[] {"m"}));
        assertEquals(1.0, registry.getSampleValue("isoflop_runs_retried_total", new String[] {"sweep"},
                new String[] {"m"}));
        double planned = runs.stream().mapToDouble(RunSpec::plannedFlops).sum();
        double completed = done.plannedFlops() + runs.get(3).plannedFlops();
        assertEquals(completed, registry.getSampleValue("isoflop_flops_completed", new String[] {"sweep"},
                new String[] {"m"}), 1e-6 * planned);
        assertEquals(planned - completed, registry.getSampleValue("isoflop_flops_remaining", new String[] {"sweep"},
                new String[] {"m"}), 1e-6 * planned);
        assertEquals(4.0, registry.getSampleValue("isoflop_dispatch_latency_seconds_count", new String[] {"sweep"},
                new String[] {"m"}));

        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", port, registry)) {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + endpoint.address().orElseThrow() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("isoflop_runs{sweep=\"m\",state=\"succeeded\",} 2.0"), body);
            assertTrue(body.contains("# TYPE isoflop_dispatch_latency_seconds histogram"), body);
        }
    }

    private static double sample(CollectorRegistry registry, String name, String state) {
        return registry.getSampleValue(name, new String[] {"sweep", "state"}, new String[] {"m", state});
    }
}
