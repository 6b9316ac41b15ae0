package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.metrics.MetricsEndpoint;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.service.IsoFlopSweeps;
import io.isoflop.scheduler.service.ReportsPage;
import io.isoflop.scheduler.service.SchedulerService;
import io.isoflop.scheduler.service.SweepResourceService;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
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
            "Drive every IsoFlopSweep resource of the namespace (isoflop submit SPEC) as a sweep of Kubernetes Jobs"
                    + " and its fitter; where each stands is in its status (kubectl get isoflopsweeps) and events.",
            "Deprecated, driven for one more release: ConfigMaps labelled " + SchedulerService.SPEC_LABEL
                    + "=true holding a spec (key " + SchedulerService.SPEC_KEY + ").",
            "On the metrics port: the sweeps and their reports at /, Prometheus metrics at /metrics, liveness at"
                    + " /-/healthy."
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
        ApiClient client = KubernetesBackend.client(kubeconfig);
        Path workingDir = Path.of("").toAbsolutePath();
        Duration heartbeat = Duration.ofSeconds(Math.max(1, heartbeatSeconds));
        Duration resync = Duration.ofSeconds(Math.max(1, resyncSeconds));
        SchedulerService configMaps = new SchedulerService(client, config, metrics, out, workingDir, heartbeat);
        SweepResourceService resources = new SweepResourceService(client, config, metrics, out, workingDir,
                heartbeat);
        boolean crd;
        try {
            crd = resources.available();
        } catch (ApiException e) {
            spec.commandLine().getErr().println("isoflop: cannot reach the API server: HTTP " + e.getCode() + " "
                    + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        if (!crd) {
            out.println("isoflop scheduler: the " + IsoFlopSweeps.KIND + " resource is not installed (helm install"
                    + " isoflop k8s/chart, or kubectl apply -f k8s/chart/crds/): only ConfigMap specs are driven");
        }
        Thread stop = new Thread(() -> {
            try {
                resources.close();
                configMaps.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "isoflop-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop); // SIGTERM: stop following, write the ledgers, leave Jobs running
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(metricsAddress, metricsPort, registry,
                crd ? new ReportsPage(resources) : null)) {
            endpoint.address().ifPresent(a -> out.println("metrics: http://" + a + "/metrics"
                    + (crd ? ", sweeps and their reports: http://" + a + "/" : "")));
            if (!crd) {
                configMaps.serve(resync);
                return ExitCodes.OK;
            }
            Thread specs = new Thread(() -> {
                try {
                    configMaps.serve(resync);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "isoflop-configmap-specs");
            specs.setDaemon(true);
            specs.start();
            resources.serve(resync);
        }
        return ExitCodes.OK;
    }
}
