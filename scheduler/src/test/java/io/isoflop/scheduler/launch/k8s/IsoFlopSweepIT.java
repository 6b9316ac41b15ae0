package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.isoflop.scheduler.cli.SchedulerProcess;
import io.isoflop.scheduler.service.IsoFlopSweeps;
import io.isoflop.scheduler.spec.SpecText;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IsoFlopSweep resource on the real test API server, driven by {@code isoflop scheduler serve} in a process of its
 * own: {@code isoflop submit} creates it, its runs and its fitter run as Jobs (real worker and fitter processes, by
 * {@link ProcessKubelet}), {@code kubectl get isoflopsweeps} shows the progress columns, the status carries the fitted
 * exponents and the conditions, events say what happened, every Job and the sweep's ConfigMap name it as owner, the
 * scheduler's page lists it with links to its report (in headless Chromium too, where installed), a SIGKILLed and
 * restarted scheduler changes nothing, and deleting it deletes its Jobs. Bad specs are refused at admission (a
 * section of the wrong type) or marked Failed with the field named (a value the budget spec's validation refuses).
 */
class IsoFlopSweepIT {
    private static final String SWEEP = "served";
    private static TestCluster cluster;
    private static IsoFlopSweeps sweeps;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        cluster.createSharedClaim("isoflop-data");
        assertOk(cluster.kubectl("apply", "-f", "k8s/chart/crds/isoflopsweeps.yaml"));
        assertOk(cluster.kubectl("wait", "--for", "condition=established", "--timeout=60s",
                "crd/isoflopsweeps.isoflop.io"));
        sweeps = new IsoFlopSweeps(cluster.client, new ApiCalls(code -> { }), TestCluster.NAMESPACE);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSubmittedSweepRunsToItsFrontierSurvivesARestartAndGoesWithItsJobs(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path shared) throws Exception {
        Path spec = shared.resolve("served.yaml");
        Files.writeString(spec, Files.readString(TestCluster.HOME.resolve("examples/simulated.yaml"))
                .replace("name: simulated", "name: " + SWEEP)
                .replace("output: sweeps", "output: '" + shared.resolve("sweeps") + "'")
                .replace("range: {min: 1e15, max: 1e19, count: 9}", "range: {min: 1e15, max: 1e17, count: 4}")
                .replace("per_budget: 9", "per_budget: 5"));
        Path config = TestCluster.writeSchedulerConfig(shared, 3, 0);
        CoreV1Api core = new CoreV1Api(cluster.client);
        Files.createDirectories(shared.resolve("pods"));
        Files.createDirectories(shared.resolve("fitter-pods"));
        ProcessKubelet workers = new ProcessKubelet(core, RunNames.sweepSelector(SWEEP), shared.resolve("pods"),
                new Random(3), 0.0);
        ProcessKubelet fitters = new ProcessKubelet(core, RunNames.fitterSelector(SWEEP),
                shared.resolve("fitter-pods"), new Random(3), 0.0);
        workers.start();
        fitters.start();
        int port = freePort();
        List<Process> schedulers = new ArrayList<>();
        try {
            schedulers.add(serve(shared.resolve("serve-1.log"), config, port));

            // a spec the budget spec's validation refuses is not submitted at all; one the schema refuses is not
            // admitted; one only the scheduler can judge is marked Failed with its field named
            Path negative = shared.resolve("negative.yaml");
            Files.writeString(negative, SpecText.minimal().with("sweep", "{name: negative, output: sweeps}")
                    .with("budgets", "{flops: [-1e11]}").yaml());
            Process refused = submit(shared.resolve("submit-negative.log"), negative);
            assertEquals(2, refused.exitValue(), Files.readString(shared.resolve("submit-negative.log")));
            assertTrue(Files.readString(shared.resolve("submit-negative.log")).contains("budgets.flops"));
            TestCluster.KubectlResult notAdmitted = apply(shared, "wrong-type", SpecText.minimal()
                    .without("sweep").with("models", "five").yaml());
            assertNotEquals(0, notAdmitted.exitCode(), notAdmitted.output());
            assertTrue(notAdmitted.output().contains("spec.models"), notAdmitted.output());
            assertOk(apply(shared, "negative", SpecText.minimal().without("sweep")
                    .with("budgets", "{flops: [-1e11]}").yaml()));

            Process submitted = submit(shared.resolve("submit.log"), spec);
            assertEquals(0, submitted.exitValue(), Files.readString(shared.resolve("submit.log")));

            JsonObject rejected = awaitStatus("negative", s -> "Failed".equals(text(s, "phase")), Duration.ofSeconds(60),
                    shared.resolve("serve-1.log"));
            assertTrue(text(rejected, "message").contains("budgets.flops"), rejected.toString());
            assertEquals("False", condition(rejected, "Planned").get("status").getAsString());
            assertEquals("SpecInvalid", condition(rejected, "Planned").get("reason").getAsString());
            assertTrue(eventReasons("negative").contains("SpecInvalid"), eventReasons("negative").toString());

            JsonObject done = awaitStatus(SWEEP, s -> "Done".equals(text(s, "phase")), Duration.ofMinutes(10),
                    shared.resolve("serve-1.log"));
            assertEquals("20/20", text(done, "runs"));
            double a = done.getAsJsonObject("frontier").get("a").getAsDouble();
            double b = done.getAsJsonObject("frontier").get("b").getAsDouble();
            assertEquals(0.28 / 0.62, a, 0.1, "Chinchilla's law drawn: a = beta / (alpha + beta)");
            assertEquals(1.0, a + b, 1e-4, "C = 6ND: b = 1 - a (up to the fit's tolerance)");
            assertEquals("True", condition(done, "Done").get("status").getAsString());
            assertEquals("False", condition(done, "Failed").get("status").getAsString());
            assertTrue(text(done, "report").endsWith("fit/report.html"), done.toString());
            List<String> reasons = eventReasons(SWEEP);
            assertTrue(reasons.contains("Running") && reasons.contains("FitDone"), reasons.toString());
            assertTrue(workers.sigterms.isEmpty() && workers.sigkills.isEmpty() || reasons.contains("RunRetrying"),
                    "an interrupted attempt is retried, and said so: " + reasons);

            TestCluster.KubectlResult table = cluster.kubectl("-n", TestCluster.NAMESPACE, "get", "isoflopsweeps");
            assertOk(table);
            String header = table.output().lines().findFirst().orElse("");
            for (String column : List.of("NAME", "PHASE", "RUNS", "FLOPS", "A", "B", "AGE")) {
                assertTrue(header.contains(column), table.output());
            }
            String row = table.output().lines().filter(l -> l.startsWith(SWEEP + " ")).findFirst().orElse("");
            assertTrue(row.matches(SWEEP + "\\s+Done\\s+20/20\\s+\\S+/\\S+\\s+0\\.\\d+\\s+0\\.\\d+\\s+.*"), table.output());

            String uid = sweeps.get(SWEEP).orElseThrow().getAsJsonObject("metadata").get("uid").getAsString();
            List<V1Job> jobs = jobs();
            assertEquals(21, jobs.stream().map(j -> j.getMetadata().getLabels().get(RunNames.LABEL_RUN)).distinct()
                    .count(), "20 runs and the fitter");
            for (V1Job job : jobs) {
                assertTrue(ownedBy(job.getMetadata().getOwnerReferences(), uid), job.getMetadata().getName());
            }
            assertTrue(ownedBy(core.readNamespacedConfigMap(RunNames.sweepObjectName(SWEEP), TestCluster.NAMESPACE)
                    .execute().getMetadata().getOwnerReferences(), uid));

            Process status = SchedulerProcess.start(shared.resolve("status.log"), "status", "--cluster", SWEEP, "-n",
                    TestCluster.NAMESPACE, "--kubeconfig", cluster.kubeconfig.toString());
            assertTrue(status.waitFor(60, TimeUnit.SECONDS));
            String statusText = Files.readString(shared.resolve("status.log"));
            assertEquals(0, status.exitValue(), statusText);
            assertTrue(statusText.contains("IsoFlopSweep " + TestCluster.NAMESPACE + "/" + SWEEP + ": Done")
                    && statusText.contains("N_opt ∝ C^"), statusText);

            checkPage(port, shared);

            schedulers.get(0).destroyForcibly().waitFor(); // SIGKILL
            int jobsBefore = jobs().size();
            JsonObject before = sweeps.get(SWEEP).orElseThrow().getAsJsonObject("status");
            schedulers.add(serve(shared.resolve("serve-2.log"), config, port));
            awaitLog(shared.resolve("serve-2.log"), "watching isoflopsweeps", Duration.ofSeconds(60));
            Thread.sleep(8000); // several reconcile passes (--resync 2)
            assertEquals(before, sweeps.get(SWEEP).orElseThrow().getAsJsonObject("status"),
                    "a restarted scheduler changes nothing");
            assertEquals(jobsBefore, jobs().size(), "nor starts a Job");

            assertOk(cluster.kubectl("-n", TestCluster.NAMESPACE, "delete", "isoflopsweep", SWEEP, "--timeout=90s"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!jobs().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertEquals(List.of(), jobs().stream().map(j -> j.getMetadata().getName()).toList(),
                    "deleting the sweep deletes its Jobs");
            assertTrue(sweeps.get(SWEEP).isEmpty());
        } finally {
            schedulers.forEach(Process::destroyForcibly);
            workers.interrupt();
            fitters.interrupt();
            workers.join(10_000);
            fitters.join(10_000);
        }
    }

    @Test
    void everyExampleSpecIsAdmittedAsAResource(@TempDir Path dir) throws Exception {
        Path example = dir.resolve("quickstart.yaml");
        Files.writeString(example, Files.readString(TestCluster.HOME.resolve("k8s/sweeps/quickstart.yaml"))
                .replace("namespace: isoflop\n", "namespace: " + TestCluster.NAMESPACE + "\n"));
        assertOk(cluster.kubectl("apply", "--dry-run=server", "-f", example.toString()));
        try (var specs = Files.list(TestCluster.HOME.resolve("examples"))) {
            for (Path spec : specs.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String name = spec.getFileName().toString().replace(".yaml", "");
                TestCluster.KubectlResult result = cluster.kubectl("apply", "--dry-run=server", "-f",
                        manifest(dir, name, Files.readString(spec)).toString());
                assertOk(result);
            }
        }
    }

    /** The page of sweeps over HTTP (and in Chromium, where installed) lists the sweep and serves its fit. */
    private static void checkPage(int port, Path work) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("data-sweep=\"" + SWEEP + "\"")
                && page.body().contains("href=\"/sweeps/" + SWEEP + "/report.html\""), page.body());
        HttpResponse<String> report = http.send(HttpRequest.newBuilder(URI.create(base + "/sweeps/" + SWEEP
                + "/report.html")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, report.statusCode());
        assertTrue(report.body().contains("<html"), report.body());
        HttpResponse<String> frontier = http.send(HttpRequest.newBuilder(URI.create(base + "/sweeps/" + SWEEP
                + "/frontier.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(frontier.statusCode() == 200 && frontier.body().contains("\"powerLaws\""), frontier.body());
        for (String refused : List.of("/sweeps/" + SWEEP + "/..%2Fplan.json", "/sweeps/" + SWEEP + "/plan.yaml",
                "/sweeps/negative/report.html")) {
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + refused)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), refused);
        }
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        Optional<Path> chromium = Optional.of(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                .filter(Files::isExecutable);
        if (chromium.isEmpty() && "true".equals(System.getenv("ISOFLOP_BROWSER_REQUIRED"))) {
            throw new AssertionError("no chromium, and ISOFLOP_BROWSER_REQUIRED=true");
        }
        if (chromium.isEmpty()) {
            return;
        }
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path dom = work.resolve("page-dom.html");
        Process browser = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--dump-dom", "--virtual-time-budget=5000", base + "/")
                .redirectOutput(dom.toFile()).redirectError(work.resolve("chromium.err").toFile()).start();
        assertTrue(browser.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        String text = Files.readString(dom);
        assertTrue(text.contains("data-sweep=\"" + SWEEP + "\"") && text.contains(">Done<")
                && text.contains("/sweeps/" + SWEEP + "/report.html"), text + Files.readString(work.resolve("chromium.err")));
    }

    private static Process serve(Path log, Path config, int port) throws Exception {
        return SchedulerProcess.start(log, "scheduler", "serve", "--config", config.toString(), "--kubeconfig",
                cluster.kubeconfig.toString(), "--metrics-address", "127.0.0.1", "--metrics-port",
                Integer.toString(port), "--resync", "2", "--heartbeat", "5");
    }

    private static Process submit(Path log, Path spec) throws Exception {
        Process process = SchedulerProcess.start(log, "submit", spec.toString(), "-n", TestCluster.NAMESPACE,
                "--kubeconfig", cluster.kubeconfig.toString());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "isoflop submit ended");
        return process;
    }

    /** kubectl apply of an IsoFlopSweep whose spec is this budget spec's YAML. */
    private static TestCluster.KubectlResult apply(Path dir, String name, String specYaml) throws Exception {
        return cluster.kubectl("apply", "-f", manifest(dir, name, specYaml).toString());
    }

    private static Path manifest(Path dir, String name, String specYaml) throws Exception {
        Path manifest = dir.resolve(name + "-resource.yaml");
        StringBuilder text = new StringBuilder("apiVersion: isoflop.io/v1alpha1\nkind: IsoFlopSweep\nmetadata:\n"
                + "  name: " + name + "\n  namespace: " + TestCluster.NAMESPACE + "\nspec:\n");
        specYaml.lines().forEach(line -> text.append("  ").append(line).append('\n'));
        Files.writeString(manifest, text);
        return manifest;
    }

    private static JsonObject awaitStatus(String name, Predicate<JsonObject> reached, Duration timeout, Path log)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject status = null;
        while (System.nanoTime() < deadline) {
            Optional<JsonObject> resource = sweeps.get(name);
            status = resource.filter(r -> r.has("status")).map(r -> r.getAsJsonObject("status")).orElse(null);
            if (status != null && reached.test(status)) {
                return status;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(name + "'s status after " + timeout + ": " + status + "\n" + Files.readString(log));
    }

    private static void awaitLog(Path log, String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(line))) {
            assertTrue(System.nanoTime() < deadline, "no '" + line + "' in " + log);
            Thread.sleep(200);
        }
    }

    private static List<V1Job> jobs() throws Exception {
        return new BatchV1Api(cluster.client).listNamespacedJob(TestCluster.NAMESPACE)
                .labelSelector(RunNames.jobsSelector(SWEEP)).execute().getItems();
    }

    private static List<String> eventReasons(String name) throws Exception {
        return new CoreV1Api(cluster.client).listNamespacedEvent(TestCluster.NAMESPACE)
                .fieldSelector("involvedObject.name=" + name + ",involvedObject.kind=IsoFlopSweep").execute()
                .getItems().stream().map(CoreV1Event::getReason).toList();
    }

    private static boolean ownedBy(List<V1OwnerReference> owners, String uid) {
        return owners != null && owners.stream().anyMatch(o -> IsoFlopSweeps.KIND.equals(o.getKind())
                && uid.equals(o.getUid()));
    }

    private static JsonObject condition(JsonObject status, String type) {
        for (JsonElement element : status.getAsJsonArray("conditions")) {
            if (type.equals(element.getAsJsonObject().get("type").getAsString())) {
                return element.getAsJsonObject();
            }
        }
        throw new AssertionError("no condition " + type + " in " + status);
    }

    private static String text(JsonObject object, String key) {
        return object.has(key) ? object.get(key).getAsString() : "";
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertOk(TestCluster.KubectlResult result) {
        assertEquals(0, result.exitCode(), result.output());
    }
}
