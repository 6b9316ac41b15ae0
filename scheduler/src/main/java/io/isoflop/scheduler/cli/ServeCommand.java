package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.metrics.MetricsEndpoint;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.service.SchedulerService;
import io.isoflop.scheduler.launch.k8s.ClusterConfig;
import io.isoflop.scheduler.launch.k8s.ClusterConfigLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Drive every budget spec of the namespace as a sweep of Kubernetes Jobs: each ConfigMap labelled"
                    + " " + SchedulerService.SPEC_LABEL + "=true holds one (key " + SchedulerService.SPEC_KEY + ").",
            "Where a sweep stands is in its ConfigMap isoflop-sweep-<name> (key status); a spec that does not"
                    + " validate gets the annotation " + SchedulerService.PROBLEM_ANNOTATION + ". Prometheus"
                    + " metrics at /metrics, liveness at /-/healthy."
        })
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "the installation's Kubernetes settings (k8s/scheduler-config.yaml)")
    Path configFile;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the pod's service account)")
    Path kubeconfig;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9400",
            description = "Prometheus metrics and /-/healthy on this port (0: off; default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "address the metrics endpoint binds to (default: ${DEFAULT-VALUE})")
    String metricsAddress;

    @Option(names = "--resync", paramLabel = "SECONDS", defaultValue = "30",
            description = "reconcile at least this often, besides after every change (default: ${DEFAULT-VALUE})")
    long resyncSeconds;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "60",
            description = "print each sweep's progress at least this often (default: ${DEFAULT-VALUE})")
    long heartbeatSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ClusterConfig config;
        try {
            config = ClusterConfigLoader.load(configFile);
        } catch (SpecValidationException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        CollectorRegistry registry = new CollectorRegistry();
        DefaultExports.register(registry);
        SchedulerMetrics metrics = new SchedulerMetrics(registry);
        SchedulerService service = new SchedulerService(KubernetesBackend.client(kubeconfig), config, metrics, out,
                Path.of("").toAbsolutePath(), Duration.ofSeconds(Math.max(1, heartbeatSeconds)));
        Thread stop = new Thread(() -> {
            try {
                service.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "isoflop-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop); // SIGTERM: stop following, write the ledgers, leave Jobs running
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(metricsAddress, metricsPort, registry)) {
            endpoint.address().ifPresent(a -> out.println("metrics: http://" + a + "/metrics"));
            service.serve(Duration.ofSeconds(Math.max(1, resyncSeconds)));
        }
        return ExitCodes.OK;
    }
}
