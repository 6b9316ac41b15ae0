package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files (the rules, their unit tests and the dashboard in k8s/chart/files, which the chart ships as a
 * PrometheusRule and a dashboard ConfigMap; the scrape snippet in k8s/monitoring) against the real Prometheus tools
 * (Debian's prometheus package):
 * the rule file loads, its unit tests pass and exercise every alert, the scrape snippet is a valid configuration,
 * and every Grafana panel's query returns data from a real Prometheus scraping the real {@link SchedulerMetrics}
 * (plus the metric families the scheduler and workers are to expose, registered here until they exist).
 * Skipped without promtool/prometheus, unless ISOFLOP_PROMETHEUS_REQUIRED=true.
 */
class PrometheusMonitoringIT {
    private static final String REQUIRED = "ISOFLOP_PROMETHEUS_REQUIRED";
    private static final String RULES = "k8s/chart/files/isoflop-rules.yaml";
    private static final String RULE_TESTS = "k8s/chart/files/isoflop-rules.test.yaml";
    private static final String SCRAPE = "k8s/monitoring/prometheus-scrape.yaml";
    private static final String DASHBOARD = "k8s/chart/files/grafana-dashboard.json";
    private static final Set<String> REQUIRED_ALERTS = Set.of("IsoflopSweepStalled", "IsoflopAttemptFailureRateHigh",
            "IsoflopSweepStopped", "IsoflopRunsUnschedulable", "IsoflopKubernetesApiErrors", "IsoflopSchedulerDown");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path promtool;
    private static Path prometheusBinary;
    private static Path workDir;

    @BeforeAll
    static void findTools() throws IOException {
        promtool = DeployFiles.findExecutable("promtool", "/usr/bin").orElse(null);
        prometheusBinary = DeployFiles.findExecutable("prometheus", "/usr/bin").orElse(null);
        workDir = Files.createTempDirectory("isoflop-prometheus-");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void theRuleFileLoadsAndCarriesEveryAlertWithSeverityAndSummary() throws Exception {
        assumePromtool();
        DeployFiles.Result check = DeployFiles.run(List.of(promtool.toString(), "check", "rules", RULES), 60);
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS"), check.output());

        Map<String, JsonNode> alerts = alerts();
        assertTrue(alerts.keySet().containsAll(REQUIRED_ALERTS), "missing alerts: " + alerts.keySet());
        for (Map.Entry<String, JsonNode> alert : alerts.entrySet()) {
            String severity = alert.getValue().path("labels").path("severity").asText();
            assertTrue(Set.of("warning", "critical").contains(severity), alert.getKey() + ": severity " + severity);
            assertFalse(alert.getValue().path("annotations").path("summary").asText().isBlank(), alert.getKey());
        }
        // the brief's definition of "scheduler down"
        assertTrue(alerts.get("IsoflopSchedulerDown").get("expr").asText()
                .contains("up{job=\"isoflop-scheduler\"} == 0"));
    }

    @Test
    void theRuleUnitTestsPassAndMakeEveryAlertFire() throws Exception {
        assumePromtool();
        DeployFiles.Result test = DeployFiles.run(List.of(promtool.toString(), "test", "rules", RULE_TESTS), 120);
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());

        // a passing test file proves nothing about an alert it never expects to fire
        Set<String> fired = new TreeSet<>();
        for (JsonNode group : DeployFiles.yaml(RULE_TESTS).get("tests")) {
            for (JsonNode alertTest : group.path("alert_rule_test")) {
                if (alertTest.path("exp_alerts").size() > 0) {
                    fired.add(alertTest.get("alertname").asText());
                }
            }
        }
        assertEquals(alerts().keySet(), fired, "alerts without a firing test case");
    }

    /**
     * Debian's Prometheus is built without Kubernetes service discovery, so the snippet's kubernetes_sd_configs
     * are checked here structurally, then replaced by file_sd_configs that present the labels Kubernetes discovery
     * would set (the scheduler's endpoint, decoys, worker pods in several phases) to a real Prometheus: its
     * targets page shows what the relabelling keeps and where it scrapes.
     */
    @Test
    void theScrapeJobsKeepTheSchedulerEndpointAndRunningWorkerPodsOnly() throws Exception {
        assumePrometheus();
        JsonNode snippet = DeployFiles.yaml(SCRAPE);
        Map<String, String> roles = new LinkedHashMap<>();
        for (JsonNode job : snippet.get("scrape_configs")) {
            JsonNode discovery = job.get("kubernetes_sd_configs");
            assertEquals(1, discovery.size(), job.get("job_name") + ": one discovery block");
            assertEquals("isoflop", discovery.get(0).at("/namespaces/names/0").asText(), "namespace-scoped");
            roles.put(job.get("job_name").asText(), discovery.get(0).get("role").asText());
        }
        assertEquals(Map.of("isoflop-scheduler", "endpoints", "isoflop-worker", "pod"), roles);

        Path discovered = workDir.resolve("relabel");
        Files.createDirectories(discovered);
        Files.writeString(discovered.resolve("isoflop-scheduler.json"), DeployFiles.JSON.writeValueAsString(List.of(
                endpoint("10.0.0.5:9400", "scheduler", "metrics", "isoflop-scheduler-7d9f"),
                endpoint("10.0.0.5:8080", "scheduler", "http", "isoflop-scheduler-7d9f"),
                endpoint("10.0.0.9:9400", "fitter", "metrics", "isoflop-fit-q"))));
        Files.writeString(discovered.resolve("isoflop-worker.json"), DeployFiles.JSON.writeValueAsString(List.of(
                pod("10.0.1.1", "worker", "Running", "isoflop-q-r1-abcde"),
                pod("10.0.1.2", "worker", "Pending", "isoflop-q-r2-abcde"),
                pod("10.0.1.3", "worker", "Succeeded", "isoflop-q-r3-abcde"),
                pod("10.0.1.4", "fitter", "Running", "isoflop-fit-q-xyz"))));
        // the snippet as shipped, with file discovery in place of Kubernetes discovery
        for (JsonNode job : snippet.get("scrape_configs")) {
            var object = (com.fasterxml.jackson.databind.node.ObjectNode) job;
            object.remove("kubernetes_sd_configs");
            object.putArray("file_sd_configs").addObject().putArray("files")
                    .add(discovered.resolve(job.get("job_name").asText() + ".json").toString());
        }
        Path config = workDir.resolve("relabel.yml");
        DeployFiles.YAML.writeValue(config.toFile(), snippet);

        try (RunningPrometheus prometheus = RunningPrometheus.start(config, workDir.resolve("relabel-data"))) {
            Map<String, List<String>> active = new LinkedHashMap<>();
            waitUntil(() -> {
                active.clear();
                JsonNode targets = json(get(prometheus.api + "/api/v1/targets?state=active")).at("/data/activeTargets");
                for (JsonNode target : targets) {
                    active.computeIfAbsent(target.at("/labels/job").asText(), j -> new ArrayList<>())
                            .add(target.at("/labels/instance").asText() + " " + target.at("/labels/pod").asText());
                }
                return active.size() == 2;
            }, 30, () -> "targets: " + active);
            assertEquals(List.of("10.0.0.5:9400 isoflop-scheduler-7d9f"), active.get("isoflop-scheduler"));
            assertEquals(List.of("10.0.1.1:9401 isoflop-q-r1-abcde"), active.get("isoflop-worker"));
        }
    }

    private static Map<String, Object> endpoint(String address, String component, String portName, String pod) {
        return Map.of("targets", List.of(address), "labels", Map.of(
                "__meta_kubernetes_service_label_app_kubernetes_io_component", component,
                "__meta_kubernetes_endpoint_port_name", portName,
                "__meta_kubernetes_pod_name", pod));
    }

    /** A pod as role=pod discovery presents one without container ports: the address is the bare pod IP. */
    private static Map<String, Object> pod(String ip, String role, String phase, String name) {
        return Map.of("targets", List.of(ip), "labels", Map.of(
                "__meta_kubernetes_pod_label_isoflop_io_role", role,
                "__meta_kubernetes_pod_phase", phase,
                "__meta_kubernetes_pod_ip", ip,
                "__meta_kubernetes_pod_name", name));
    }

    @Test
    void theDashboardCoversTheSchedulerAndWorkerMetrics() throws Exception {
        JsonNode dashboard = DeployFiles.JSON.readTree(DeployFiles.repo(DASHBOARD).toFile());

        assertTrue(dashboard.get("schemaVersion").asInt() >= 36, "schemaVersion " + dashboard.get("schemaVersion"));
        String all = String.join("\n", panelQueries(dashboard).values().stream().flatMap(List::stream).toList());
        for (String needle : List.of("isoflop_runs{", "isoflop_flops_completed", "isoflop_flops_remaining",
                "isoflop_attempts_failed_total", "isoflop_runs_retried_total",
                "histogram_quantile(0.5, sum by (sweep, le) (rate(isoflop_dispatch_latency_seconds_bucket",
                "histogram_quantile(0.99, sum by (sweep, le) (rate(isoflop_dispatch_latency_seconds_bucket",
                "sum by (code) (rate(isoflop_kubernetes_api_errors_total",
                "histogram_quantile(0.99, sum by (le) (rate(isoflop_reconcile_duration_seconds_bucket",
                "isoflop_runs_unschedulable", "isoflop_worker_tokens_per_second", "isoflop_worker_train_loss")) {
            assertTrue(all.contains(needle), "no panel queries " + needle);
        }
        // unique ids, and panels do not overlap on the 24-column grid
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panels::add);
        assertEquals(panels.size(), panels.stream().map(p -> p.get("id").asInt()).distinct().count());
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                assertFalse(overlap(panels.get(i).get("gridPos"), panels.get(j).get("gridPos")),
                        panels.get(i).get("title") + " overlaps " + panels.get(j).get("title"));
            }
        }
    }

    @Test
    void everyDashboardQueryReturnsDataFromARealPrometheus() throws Exception {
        assumePrometheus();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        HTTPServer schedulerEndpoint = null;
        HTTPServer workerEndpoint = null;
        RunningPrometheus prometheus = null;
        try {
            CollectorRegistry schedulerRegistry = new CollectorRegistry();
            CollectorRegistry workerRegistry = new CollectorRegistry();
            ticker.scheduleAtFixedRate(sampleTraffic(schedulerRegistry, workerRegistry), 0, 100, TimeUnit.MILLISECONDS);
            schedulerEndpoint = serve(schedulerRegistry);
            workerEndpoint = serve(workerRegistry);

            // the probes of k8s/scheduler.yaml ask simpleclient_httpserver's health endpoint
            HttpResponse<String> healthy = get("http://127.0.0.1:" + schedulerEndpoint.getPort() + "/-/healthy");
            assertEquals(200, healthy.statusCode(), healthy.body());
            // both expositions pass Prometheus' own lint (names, units, _total counters, help texts)
            for (HTTPServer endpoint : List.of(schedulerEndpoint, workerEndpoint)) {
                Path exposition = workDir.resolve("metrics-" + endpoint.getPort() + ".txt");
                Files.writeString(exposition, get("http://127.0.0.1:" + endpoint.getPort() + "/metrics").body());
                DeployFiles.Result lint = DeployFiles.run(List.of("bash", "-c", "\"$0\" check metrics < \"$1\"",
                        promtool.toString(), exposition.toString()), 60);
                assertEquals(0, lint.exitCode(), lint.output());
            }

            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  evaluation_interval: 1s",
                    "rule_files:",
                    "  - " + DeployFiles.repo(RULES),
                    "scrape_configs:",
                    "  - job_name: isoflop-scheduler",
                    "    static_configs: [{targets: ['127.0.0.1:" + schedulerEndpoint.getPort() + "']}]",
                    "  - job_name: isoflop-worker",
                    "    static_configs: [{targets: ['127.0.0.1:" + workerEndpoint.getPort() + "']}]",
                    ""));
            prometheus = RunningPrometheus.start(config, workDir.resolve("data"));
            String api = prometheus.api;

            // both rule groups loaded
            JsonNode groups = json(get(api + "/api/v1/rules")).path("data").path("groups");
            Set<String> loaded = new TreeSet<>();
            groups.forEach(g -> loaded.add(g.get("name").asText()));
            assertEquals(Set.of("isoflop.recording", "isoflop.alerts"), loaded);

            // the sweep variable resolves to the sweep the scheduler reports
            JsonNode dashboard = DeployFiles.JSON.readTree(DeployFiles.repo(DASHBOARD).toFile());
            waitUntil(() -> !sweepValues(api).isEmpty(), 30, () -> "no sweep label values");
            List<String> sweeps = sweepValues(api);
            assertEquals(List.of("quickstart"), sweeps);

            // every panel query, with Grafana's variables as a user would see them, returns finite data
            Map<String, String> failing = new LinkedHashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            Map<String, List<String>> queries = panelQueries(dashboard);
            do {
                failing.clear();
                for (Map.Entry<String, List<String>> panel : queries.entrySet()) {
                    for (String expr : panel.getValue()) {
                        String query = expr.replace("$sweep", sweeps.get(0)).replace("$__rate_interval", "5s");
                        String problem = problem(api, query);
                        if (problem != null) {
                            failing.put(panel.getKey() + ": " + query, problem);
                        }
                    }
                }
                if (failing.isEmpty()) {
                    break;
                }
                Thread.sleep(1000);
            } while (System.nanoTime() < deadline);
            assertTrue(failing.isEmpty(), "panel queries without data: " + failing);
        } finally {
            ticker.shutdownNow();
            if (prometheus != null) {
                prometheus.close();
            }
            if (schedulerEndpoint != null) {
                schedulerEndpoint.close();
            }
            if (workerEndpoint != null) {
                workerEndpoint.close();
            }
        }
    }

    /**
     * Drives the real scheduler metrics through the quickstart plan (some runs done, two running, a retry loop for
     * attempt counters and dispatch latency, API errors, reconcile passes, an unschedulable run), and the workers'
     * families. Returns the tick that keeps counters and histograms moving so rates are non-zero.
     */
    private static Runnable sampleTraffic(CollectorRegistry scheduler, CollectorRegistry worker) throws Exception {
        List<RunSpec> runs = IsoFlopPlanner.plan(BudgetSpecLoader.load(DeployFiles.repo("examples/quickstart.yaml")),
                Path.of("sweeps", "quickstart")).runs();
        SchedulerMetrics families = new SchedulerMetrics(scheduler);
        SweepObserver metrics = families.forSweep("quickstart", runs);
        metrics.alreadyDone(runs.get(0));
        metrics.started(runs.get(1), 0.2);
        metrics.succeeded(runs.get(1));
        metrics.started(runs.get(2), 1.5);
        metrics.started(runs.get(3), 3.0);
        families.unschedulable("quickstart", 1);

        Gauge tokensPerSecond = Gauge.build("isoflop_worker_tokens_per_second", "Training throughput.")
                .labelNames("sweep", "run").register(worker);
        Gauge trainLoss = Gauge.build("isoflop_worker_train_loss", "Training loss.")
                .labelNames("sweep", "run").register(worker);
        Counter tokens = Counter.build("isoflop_worker_tokens_trained_total", "Tokens trained.")
                .labelNames("sweep", "run").register(worker);

        Random random = new Random(7);
        RunSpec flaky = runs.get(4);
        return () -> {
            // pending -> running -> pending: ticks attempts started/failed/retried and the dispatch latency
            metrics.started(flaky, random.nextDouble() * 20);
            metrics.retrying(flaky, "simulated failure");
            families.apiError(random.nextBoolean() ? 500 : 0);
            families.reconcileTimer().observeDuration();
            for (String run : List.of(runs.get(2).runId(), runs.get(3).runId())) {
                tokensPerSecond.labels("quickstart", run).set(9000 + random.nextInt(2000));
                trainLoss.labels("quickstart", run).set(2 + random.nextDouble());
                tokens.labels("quickstart", run).inc(1000);
            }
        };
    }

    /** Why a query is not usable (error, no series, only NaN/Inf), or null when it returns data. */
    private static String problem(String api, String query) throws IOException, InterruptedException {
        JsonNode answer = json(get(api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        if (!"success".equals(answer.path("status").asText())) {
            return "error: " + answer.path("error").asText();
        }
        JsonNode result = answer.path("data").path("result");
        if (result.isEmpty()) {
            return "no series";
        }
        for (JsonNode series : result) {
            double value = Double.parseDouble(series.path("value").get(1).asText());
            if (Double.isFinite(value)) {
                return null;
            }
        }
        return "only non-finite values: " + result;
    }

    private static List<String> sweepValues(String api) throws IOException, InterruptedException {
        JsonNode answer = json(get(api + "/api/v1/label/sweep/values?match[]="
                + URLEncoder.encode("isoflop_runs", StandardCharsets.UTF_8)));
        List<String> values = new ArrayList<>();
        answer.path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    /** Each panel's title and its queries, as the dashboard JSON holds them. */
    private static Map<String, List<String>> panelQueries(JsonNode dashboard) {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.get("expr").asText()));
            assertFalse(exprs.isEmpty(), panel.get("title") + " has no query");
            queries.put(panel.get("title").asText(), exprs);
        }
        return queries;
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.get("x").asInt() < b.get("x").asInt() + b.get("w").asInt()
                && b.get("x").asInt() < a.get("x").asInt() + a.get("w").asInt()
                && a.get("y").asInt() < b.get("y").asInt() + b.get("h").asInt()
                && b.get("y").asInt() < a.get("y").asInt() + a.get("h").asInt();
    }

    private static Map<String, JsonNode> alerts() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : DeployFiles.yaml(RULES).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("alert")) {
                    alerts.put(rule.get("alert").asText(), rule);
                }
            }
        }
        return alerts;
    }

    private static HTTPServer serve(CollectorRegistry registry) throws IOException {
        return new HTTPServer.Builder().withInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .withRegistry(registry).withDaemonThreads(true).build();
    }

    private static boolean isReady(String api) {
        try {
            return get(api + "/-/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return DeployFiles.JSON.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A real Prometheus on 127.0.0.1 (free port, its own storage folder), stopped on close. */
    private static final class RunningPrometheus implements AutoCloseable {
        final Process process;
        final String api;

        private RunningPrometheus(Process process, String api) {
            this.process = process;
            this.api = api;
        }

        static RunningPrometheus start(Path config, Path storage) throws Exception {
            int port = freePort();
            Path log = Path.of(storage + ".log");
            Process process = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RunningPrometheus running = new RunningPrometheus(process, "http://127.0.0.1:" + port);
            try {
                waitUntil(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("Prometheus exited: " + Files.readString(log));
                    }
                    return isReady(running.api);
                }, 30, () -> "Prometheus not ready: " + Files.readString(log));
            } catch (Exception | AssertionError e) {
                running.close();
                throw e;
            }
            return running;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    interface Message {
        String get() throws Exception;
    }

    private static void waitUntil(Check check, int seconds, Message message) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            Thread.sleep(250);
        }
    }

    private static void assumePromtool() {
        DeployFiles.assumeTool(promtool != null, REQUIRED,
                "promtool not found (apt-get install --no-install-recommends prometheus)");
    }

    private static void assumePrometheus() {
        DeployFiles.assumeTool(promtool != null && prometheusBinary != null, REQUIRED,
                "prometheus not found (apt-get install --no-install-recommends prometheus)");
    }
}
