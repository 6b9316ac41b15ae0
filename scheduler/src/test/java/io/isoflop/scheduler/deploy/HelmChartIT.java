package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.k8s.ClusterConfigLoader;
import io.isoflop.scheduler.launch.k8s.JobManifests;
import io.isoflop.scheduler.launch.k8s.KubernetesLaunchConfig;
import io.isoflop.scheduler.launch.k8s.RunNames;
import io.isoflop.scheduler.launch.k8s.TestCluster;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart k8s/chart: it lints; the plain manifests under k8s/ are its current render (k8s/render.sh); every
 * option together passes a real Kubernetes 1.20 API server's server-side dry-run and installs for real with the
 * IsoFlopSweep CRD (k8s-test/start-cluster.sh), where the scheduler's account may do exactly what the Role says; the
 * Prometheus Operator objects, which the test server has no CRDs for, are checked against what they must find (the
 * Service, the worker pods the scheduler creates, the rule file and the dashboard); every value is documented.
 * helm: $ISOFLOP_HELM, PATH, or ~/.cache/isoflop/helm/helm/helm (.ci/run installs it there); skipped without it
 * unless ISOFLOP_HELM_REQUIRED=true. The cluster tests are skipped without the k8s-test binaries unless
 * ISOFLOP_K8S_REQUIRED=true; the promtool check without promtool unless ISOFLOP_PROMETHEUS_REQUIRED=true.
 */
class HelmChartIT {
    private static final String REQUIRED = "ISOFLOP_HELM_REQUIRED";
    private static final String CHART = "k8s/chart";
    private static final String ALL_VALUES = "k8s/chart/ci/all-values.yaml";
    private static final String RULES = "k8s/chart/files/isoflop-rules.yaml";
    private static final String DASHBOARD = "k8s/chart/files/grafana-dashboard.json";
    private static final String CRDS = "k8s/chart/crds";
    private static final String NAMESPACE = "isoflop";
    private static final String SCHEDULER = "system:serviceaccount:isoflop:isoflop-scheduler";
    private static final String MONITORING_API = "monitoring.coreos.com/";
    /** The plain manifests k8s/render.sh writes, relative to k8s/. */
    private static final List<String> RENDERED = List.of("rbac.yaml", "scheduler-config.yaml", "scheduler.yaml",
            "optional/shared-volume.yaml", "optional/spark-rbac.yaml");
    private static final String RENDERED_HEADER =
            "# Rendered from k8s/chart by k8s/render.sh: do not edit; change the chart and run k8s/render.sh.";

    private static Path helm;
    private static Path workDir;
    private static TestCluster cluster;
    private static boolean installed;

    @BeforeAll
    static void findHelm() throws IOException {
        helm = helmExecutable().orElse(null);
        workDir = Files.createTempDirectory("isoflop-helm-");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** $ISOFLOP_HELM, else helm on PATH, else where .ci/run unpacks it. */
    static Optional<Path> helmExecutable() {
        String configured = System.getenv("ISOFLOP_HELM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        return DeployFiles.findExecutable("helm").or(() -> Optional.of(
                Path.of(System.getProperty("user.home"), ".cache", "isoflop", "helm", "helm", "helm"))
                .filter(Files::isExecutable));
    }

    // ---- helm lint and the rendered manifests ----

    @Test
    void theChartLintsWithItsDefaultsAndWithEveryOptionOn() throws Exception {
        assumeHelm();
        for (List<String> values : List.of(List.<String>of(), List.of("-f", ALL_VALUES))) {
            List<String> command = new ArrayList<>(List.of(helm.toString(), "lint", "--strict", CHART));
            command.addAll(values);
            Output lint = run(command, Map.of());
            assertEquals(0, lint.exitCode(), command + "\n" + lint.all());
            assertTrue(lint.stdout().contains("1 chart(s) linted, 0 chart(s) failed"), lint.all());
        }
    }

    @Test
    void theCiValuesTurnEveryOptionOn() throws Exception {
        // every `enabled` switch of values.yaml is true in ci/all-values.yaml, so the tests below see every template
        List<String> switches = new ArrayList<>();
        collectSwitches(DeployFiles.yaml(CHART + "/values.yaml"), "", switches);
        assertTrue(switches.size() >= 6, "switches: " + switches);
        JsonNode all = DeployFiles.yaml(ALL_VALUES);
        for (String path : switches) {
            assertTrue(all.at("/" + path.replace('.', '/')).asBoolean(false), ALL_VALUES + " leaves " + path + " off");
        }
        assertFalse(all.at("/kueue/queueName").asText().isEmpty(), "the Kueue label is an option too");
        assertFalse(all.at("/serviceAccounts/annotations").isEmpty(), "IRSA annotations");
        assertFalse(all.at("/storage/objectStore/credentialsSecret").asText().isEmpty(), "object store keys");
    }

    @Test
    void thePlainManifestsUnderK8sAreTheChartsCurrentRender() throws Exception {
        assumeHelm();
        Path fresh = workDir.resolve("render");
        Output render = run(List.of("bash", "k8s/render.sh", fresh.toString()), Map.of("ISOFLOP_HELM", helm.toString()));
        assertEquals(0, render.exitCode(), render.all());

        for (String file : RENDERED) {
            String committed = Files.readString(DeployFiles.repo("k8s/" + file));
            assertTrue(committed.startsWith(RENDERED_HEADER + "\n"), "k8s/" + file + " lacks the rendered-file header");
            assertEquals(Files.readString(fresh.resolve(file)), committed,
                    "k8s/" + file + " differs from the chart's render: change k8s/chart and run k8s/render.sh");
        }
        // and the render holds what the chart makes by default
        List<JsonNode> rbac = DeployFiles.yamlDocuments(fresh.resolve("rbac.yaml"));
        assertEquals(List.of("ServiceAccount", "ServiceAccount", "Role", "RoleBinding"), kinds(rbac));
    }

    @Test
    void theDefaultInstallationMakesTheCoreObjectsOnly() throws Exception {
        assumeHelm();
        List<JsonNode> objects = documents(template(List.of()));

        assertEquals(new TreeSet<>(List.of("ServiceAccount/isoflop-scheduler", "ServiceAccount/isoflop-worker",
                "Role/isoflop-scheduler", "RoleBinding/isoflop-scheduler", "ConfigMap/isoflop-scheduler-config",
                "Deployment/isoflop-scheduler", "Service/isoflop-scheduler")), names(objects));
        for (JsonNode object : objects) {
            assertEquals(NAMESPACE, object.at("/metadata/namespace").asText(), name(object));
            assertEquals("isoflop", object.at("/metadata/labels/app.kubernetes.io~1name").asText(), name(object));
        }
    }

    // ---- a real API server ----

    @Test
    void everyOptionPassesServerSideDryRunWithTheCrdInstalled() throws Exception {
        assumeHelm();
        TestCluster cluster = cluster();
        installCrds(cluster);
        Path manifests = withoutMonitoringKinds(template(List.of("-f", ALL_VALUES)), "dry-run.yaml");

        TestCluster.KubectlResult dryRun = cluster.kubectl("apply", "--dry-run=server", "-f", manifests.toString());

        assertEquals(0, dryRun.exitCode(), dryRun.output());
        for (String object : List.of("serviceaccount/isoflop-spark", "persistentvolumeclaim/isoflop-shared",
                "configmap/isoflop-grafana-dashboard", "deployment.apps/isoflop-scheduler",
                "role.rbac.authorization.k8s.io/isoflop-scheduler")) {
            assertTrue(dryRun.output().contains(object), object + " missing: " + dryRun.output());
        }
    }

    @Test
    void theInstalledRoleGrantsTheSchedulerExactlyItsCalls() throws Exception {
        assumeHelm();
        TestCluster cluster = installed();

        TestCluster.KubectlResult list = cluster.kubectl("auth", "can-i", "--list", "-n", NAMESPACE, "--as", SCHEDULER);

        assertEquals(0, list.exitCode(), list.output());
        assertEquals(Map.of(
                "jobs.batch", Set.of("create", "get", "list", "watch", "delete"),
                "pods", Set.of("list", "watch"),
                "configmaps", Set.of("create", "get", "list", "watch", "update"),
                "leases.coordination.k8s.io", Set.of("create", "get", "update"),
                "sparkapplications.sparkoperator.k8s.io", Set.of("create", "get", "list", "delete"),
                "isoflopsweeps.isoflop.io", Set.of("get", "list", "watch", "update", "patch"),
                "isoflopsweeps.isoflop.io/status", Set.of("get", "update", "patch"),
                "isoflopsweeps.isoflop.io/finalizers", Set.of("update"),
                "events", Set.of("create", "patch")), granted(list.output()), list.output());

        assertCan(cluster, "yes", SCHEDULER, "watch", "isoflopsweeps.isoflop.io", "-n", NAMESPACE);
        assertCan(cluster, "yes", SCHEDULER, "patch", "isoflopsweeps.isoflop.io", "--subresource=status", "-n",
                NAMESPACE);
        assertCan(cluster, "yes", SCHEDULER, "update", "isoflopsweeps.isoflop.io", "--subresource=finalizers", "-n",
                NAMESPACE);
        assertCan(cluster, "no", SCHEDULER, "create", "isoflopsweeps.isoflop.io", "-n", NAMESPACE);
        assertCan(cluster, "no", SCHEDULER, "delete", "isoflopsweeps.isoflop.io", "-n", NAMESPACE);
        assertCan(cluster, "no", SCHEDULER, "list", "isoflopsweeps.isoflop.io", "-n", "default");
        assertCan(cluster, "yes", SCHEDULER, "create", "events", "-n", NAMESPACE);
        assertCan(cluster, "no", SCHEDULER, "delete", "events", "-n", NAMESPACE);
        assertCan(cluster, "yes", SCHEDULER, "delete", "jobs.batch", "-n", NAMESPACE);
        assertCan(cluster, "no", SCHEDULER, "get", "secrets", "-n", NAMESPACE);
        assertCan(cluster, "no", SCHEDULER, "list", "nodes");
        // the workers talk to no API; the optional Spark driver manages its executors' pods only
        String worker = "system:serviceaccount:isoflop:isoflop-worker";
        assertCan(cluster, "no", worker, "get", "pods", "-n", NAMESPACE);
        assertCan(cluster, "no", worker, "get", "isoflopsweeps.isoflop.io", "-n", NAMESPACE);
        String spark = "system:serviceaccount:isoflop:isoflop-spark";
        assertCan(cluster, "yes", spark, "create", "pods", "-n", NAMESPACE);
        assertCan(cluster, "no", spark, "create", "jobs.batch", "-n", NAMESPACE);
    }

    /** Not only what can-i answers: the scheduler's account writes a real sweep's status and Events, no more. */
    @Test
    void theSchedulersAccountWritesASweepsStatusAndEventsButCannotDeleteTheSweep() throws Exception {
        assumeHelm();
        TestCluster cluster = installed();
        ObjectNode sweep = DeployFiles.JSON.createObjectNode();
        sweep.put("apiVersion", "isoflop.io/v1alpha1").put("kind", "IsoFlopSweep");
        sweep.putObject("metadata").put("name", "quickstart").put("namespace", NAMESPACE);
        sweep.set("spec", DeployFiles.yaml("examples/quickstart.yaml"));
        Path sweepFile = workDir.resolve("sweep.json");
        DeployFiles.JSON.writeValue(sweepFile.toFile(), sweep);
        assertOk(cluster.kubectl("apply", "-f", sweepFile.toString()));

        assertOk(cluster.kubectl("--as", SCHEDULER, "-n", NAMESPACE, "patch", "isoflopsweep", "quickstart",
                "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Running\"}}"));
        assertEquals("Running", assertOk(cluster.kubectl("-n", NAMESPACE, "get", "isoflopsweep", "quickstart", "-o",
                "jsonpath={.status.phase}")).trim());
        assertOk(cluster.kubectl("--as", SCHEDULER, "-n", NAMESPACE, "patch", "isoflopsweep", "quickstart",
                "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"isoflop.io/jobs\"]}}"));
        assertOk(cluster.kubectl("--as", SCHEDULER, "-n", NAMESPACE, "patch", "isoflopsweep", "quickstart",
                "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}"));

        Path event = workDir.resolve("event.json");
        DeployFiles.JSON.writeValue(event.toFile(), DeployFiles.JSON.readTree("""
                {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "quickstart.planned", "namespace": "isoflop"},
                 "involvedObject": {"apiVersion": "isoflop.io/v1alpha1", "kind": "IsoFlopSweep", "name": "quickstart",
                                    "namespace": "isoflop"},
                 "reason": "Planned", "message": "20 runs", "type": "Normal"}"""));
        assertOk(cluster.kubectl("--as", SCHEDULER, "create", "-f", event.toString()));

        TestCluster.KubectlResult delete = cluster.kubectl("--as", SCHEDULER, "-n", NAMESPACE, "delete",
                "isoflopsweep", "quickstart");
        assertTrue(delete.exitCode() != 0 && delete.output().contains("forbidden"), delete.output());
    }

    @Test
    void theInstalledDeploymentRunsOnTheSharedClaimWithTheStoresSettings() throws Exception {
        assumeHelm();
        TestCluster cluster = installed();

        JsonNode deployment = DeployFiles.JSON.readTree(assertOk(cluster.kubectl("get", "-n", NAMESPACE,
                "deployment/isoflop-scheduler", "-o", "json")));
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertEquals("Recreate", deployment.at("/spec/strategy/type").asText());
        assertEquals("/shared", container.at("/workingDir").asText());
        Map<String, JsonNode> volumes = new TreeMap<>();
        pod.at("/volumes").forEach(v -> volumes.put(v.get("name").asText(), v));
        assertEquals("isoflop-shared", volumes.get("data").at("/persistentVolumeClaim/claimName").asText());
        Map<String, JsonNode> env = new TreeMap<>();
        container.at("/env").forEach(e -> env.put(e.get("name").asText(), e));
        assertEquals("http://minio.storage:9000", env.get("ISOFLOP_S3_ENDPOINT").at("/value").asText());
        assertEquals("true", env.get("ISOFLOP_S3_PATH_STYLE").at("/value").asText());
        assertEquals("eu-west-1", env.get("AWS_REGION").at("/value").asText());
        assertEquals("isoflop-s3-keys", env.get("AWS_SECRET_ACCESS_KEY").at("/valueFrom/secretKeyRef/name").asText());
        JsonNode account = DeployFiles.JSON.readTree(assertOk(cluster.kubectl("get", "-n", NAMESPACE,
                "serviceaccount/isoflop-worker", "-o", "json")));
        assertEquals("arn:aws:iam::123456789012:role/isoflop",
                account.at("/metadata/annotations/eks.amazonaws.com~1role-arn").asText());
        assertFalse(account.at("/automountServiceAccountToken").asBoolean(true));
        JsonNode claim = DeployFiles.JSON.readTree(assertOk(cluster.kubectl("get", "-n", NAMESPACE,
                "pvc/isoflop-shared", "-o", "json")));
        assertEquals("ReadWriteMany", claim.at("/spec/accessModes/0").asText());
        assertEquals("efs-sc", claim.at("/spec/storageClassName").asText());
    }

    // ---- the Prometheus Operator objects and the dashboard (no CRDs for them on the test server) ----

    @Test
    void theServiceMonitorScrapesTheSchedulerServicesMetricsPortAsTheJobTheAlertsName() throws Exception {
        assumeHelm();
        List<JsonNode> objects = documents(template(List.of("-f", ALL_VALUES)));
        JsonNode monitor = only(objects, "ServiceMonitor");
        JsonNode service = only(objects, "Service");
        JsonNode deployment = only(objects, "Deployment");

        assertEquals(MONITORING_API + "v1", monitor.get("apiVersion").asText());
        assertEquals("kube-prometheus-stack", monitor.at("/metadata/labels/release").asText(), "monitoring.labels");
        assertEquals(List.of(NAMESPACE), strings(monitor.at("/spec/namespaceSelector/matchNames")));
        assertTrue(contains(service.at("/metadata/labels"), monitor.at("/spec/selector/matchLabels")),
                "the ServiceMonitor's selector must match the Service's labels");
        assertEquals(1, monitor.at("/spec/endpoints").size());
        String port = monitor.at("/spec/endpoints/0/port").asText();
        JsonNode servicePort = named(service.at("/spec/ports"), port);
        assertNotNull(servicePort, "the Service has no port named " + port);
        // ... which reaches the scheduler container's port that serves /metrics
        JsonNode containerPort = named(deployment.at("/spec/template/spec/containers/0/ports"),
                servicePort.get("targetPort").asText());
        assertNotNull(containerPort, "the Service's targetPort is no container port");
        assertEquals(9400, containerPort.get("containerPort").asInt());
        assertEquals("/metrics", monitor.at("/spec/endpoints/0/path").asText("/metrics"));
        // the operator names the job after the Service: the alerts and the dashboard ask for that job
        String job = service.at("/metadata/name").asText();
        assertTrue(Files.readString(DeployFiles.repo(RULES)).contains("up{job=\"" + job + "\"}"), job);
        assertTrue(monitor.at("/spec/jobLabel").isMissingNode(), "job = the Service's name");
    }

    @Test
    void thePodMonitorScrapesTheWorkerPodsTheSchedulerCreatesAndNotTheFitter() throws Exception {
        assumeHelm();
        List<JsonNode> objects = documents(template(List.of("-f", ALL_VALUES)));
        JsonNode monitor = only(objects, "PodMonitor");
        KubernetesLaunchConfig config = schedulerConfig(objects);
        RunSpec run = IsoFlopPlanner.plan(BudgetSpecLoader.load(DeployFiles.repo("examples/quickstart.yaml")),
                Path.of("/shared/sweeps/quickstart")).runs().get(0);
        V1PodTemplateSpec worker = JobManifests.workerJob(run, 1, config, null).getSpec().getTemplate();
        V1PodTemplateSpec fitter = JobManifests.fitterJob("quickstart", 1, List.of(), config, null).getSpec()
                .getTemplate();

        assertEquals(MONITORING_API + "v1", monitor.get("apiVersion").asText());
        assertEquals("kube-prometheus-stack", monitor.at("/metadata/labels/release").asText(), "monitoring.labels");
        assertEquals(List.of(config.namespace()), strings(monitor.at("/spec/namespaceSelector/matchNames")),
                "the namespace the scheduler creates its Jobs in");
        JsonNode selector = monitor.at("/spec/selector/matchLabels");
        assertTrue(contains(DeployFiles.JSON.valueToTree(worker.getMetadata().getLabels()), selector),
                "the PodMonitor must select worker pods: " + selector + " vs " + worker.getMetadata().getLabels());
        assertFalse(contains(DeployFiles.JSON.valueToTree(fitter.getMetadata().getLabels()), selector),
                "the fitter serves no metrics");
        assertEquals(1, monitor.at("/spec/podMetricsEndpoints").size());
        String port = monitor.at("/spec/podMetricsEndpoints/0/port").asText();
        V1Container container = worker.getSpec().getContainers().get(0);
        V1ContainerPort containerPort = container.getPorts() == null ? null : container.getPorts().stream()
                .filter(p -> port.equals(p.getName())).findFirst().orElse(null);
        assertNotNull(containerPort, "the worker container has no port named " + port);
        assertEquals(JobManifests.WORKER_METRICS_PORT, containerPort.getContainerPort());
        assertEquals(9401, containerPort.getContainerPort());
        // the job label of k8s/monitoring/prometheus-scrape.yaml
        JsonNode relabel = monitor.at("/spec/podMetricsEndpoints/0/relabelings/0");
        assertEquals("job", relabel.get("targetLabel").asText());
        assertEquals("isoflop-worker", relabel.get("replacement").asText());

        // kueue.queueName reaches the worker Jobs as Kueue's label, naming the example LocalQueue (k8s/kueue)
        assertEquals("isoflop", worker.getMetadata().getLabels().get(RunNames.KUEUE_QUEUE_LABEL));
        JsonNode localQueue = DeployFiles.yamlDocuments(DeployFiles.repo("k8s/kueue/queues.yaml")).stream()
                .filter(o -> o.path("kind").asText().equals("LocalQueue")).findFirst().orElseThrow();
        assertEquals(localQueue.at("/metadata/name").asText(), config.kueueQueue());
        assertEquals(localQueue.at("/metadata/namespace").asText(), config.namespace());
    }

    @Test
    void thePrometheusRuleHoldsExactlyTheRuleFilesGroups() throws Exception {
        assumeHelm();
        JsonNode rule = only(documents(template(List.of("-f", ALL_VALUES))), "PrometheusRule");

        assertEquals(MONITORING_API + "v1", rule.get("apiVersion").asText());
        assertEquals("kube-prometheus-stack", rule.at("/metadata/labels/release").asText(), "monitoring.labels");
        assertEquals(DeployFiles.yaml(RULES).get("groups"), rule.at("/spec/groups"));
        assertEquals(Set.of("groups"), fieldNames(rule.get("spec")));
    }

    @Test
    void thePrometheusRulesGroupsPassPromtool() throws Exception {
        assumeHelm();
        Path promtool = DeployFiles.findExecutable("promtool", "/usr/bin").orElse(null);
        DeployFiles.assumeTool(promtool != null, "ISOFLOP_PROMETHEUS_REQUIRED",
                "promtool not found (apt-get install --no-install-recommends prometheus)");
        JsonNode rule = only(documents(template(List.of("--set", "monitoring.prometheusRule.enabled=true"))),
                "PrometheusRule");
        Path extracted = workDir.resolve("prometheusrule-groups.yaml");
        DeployFiles.YAML.writeValue(extracted.toFile(), rule.get("spec"));

        DeployFiles.Result check = DeployFiles.run(List.of(promtool.toString(), "check", "rules",
                extracted.toString()), 60);

        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS: 16 rules found"), check.output());
    }

    @Test
    void theDashboardConfigMapCarriesTheSidecarsLabelAndTheDashboard() throws Exception {
        assumeHelm();
        JsonNode expected = DeployFiles.JSON.readTree(DeployFiles.repo(DASHBOARD).toFile());
        JsonNode all = dashboardConfigMap(template(List.of("-f", ALL_VALUES)));
        JsonNode plain = dashboardConfigMap(template(List.of("--set", "monitoring.dashboard.enabled=true")));
        JsonNode custom = dashboardConfigMap(template(List.of("--set", "monitoring.dashboard.enabled=true",
                "--set", "monitoring.dashboard.label=team_dashboards", "--set",
                "monitoring.dashboard.labelValue=ml", "--set", "monitoring.dashboard.folder=Sweeps", "--set",
                "monitoring.dashboard.folderAnnotation=k8s-sidecar-target-directory")));

        for (JsonNode configMap : List.of(all, plain, custom)) {
            assertEquals(1, configMap.get("data").size(), "one dashboard");
            String key = configMap.get("data").fieldNames().next();
            assertTrue(key.endsWith(".json"), key);
            assertEquals(expected, DeployFiles.JSON.readTree(configMap.at("/data/" + key).asText()),
                    "the ConfigMap's dashboard is files/grafana-dashboard.json");
        }
        // kube-prometheus-stack's sidecar defaults: label grafana_dashboard=1, folder from annotation grafana_folder
        assertEquals("1", all.at("/metadata/labels/grafana_dashboard").asText());
        assertEquals("isoflop", all.at("/metadata/annotations/grafana_folder").asText());
        assertEquals("1", plain.at("/metadata/labels/grafana_dashboard").asText());
        assertTrue(plain.at("/metadata/annotations").isMissingNode(), "no folder unless asked for");
        assertEquals("ml", custom.at("/metadata/labels/team_dashboards").asText());
        assertTrue(custom.at("/metadata/labels/grafana_dashboard").isMissingNode());
        assertEquals("Sweeps", custom.at("/metadata/annotations/k8s-sidecar-target-directory").asText());
        // kube-prometheus-stack's default Prometheus selects the monitors by the release label only: not the dashboard
        assertTrue(all.at("/metadata/labels/release").isMissingNode());
    }

    // ---- documentation ----

    /**
     * Every row of the README's values table is a value of values.yaml with a comment right above it, and every
     * value of values.yaml is a row or lies under one (a row for a map documents the whole map).
     */
    @Test
    void everyValueIsCommentedInValuesYamlAndListedInTheReadme() throws Exception {
        List<String> lines = Files.readAllLines(DeployFiles.repo(CHART + "/values.yaml"));
        JsonNode values = DeployFiles.yaml(CHART + "/values.yaml");
        List<String> leaves = new ArrayList<>();
        collectLeaves(values, "", leaves);
        Set<String> rows = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z0-9_.]+)` \\|").matcher(
                Files.readString(DeployFiles.repo(CHART + "/README.md")));
        while (row.find()) {
            rows.add(row.group(1));
        }
        assertTrue(rows.size() >= 30, "values table rows: " + rows);

        for (String path : rows) {
            assertFalse(values.at("/" + path.replace('.', '/')).isMissingNode(), "README lists " + path
                    + ", which values.yaml does not have");
            int line = keyLine(lines, path);
            assertTrue(lines.get(line).contains(" # ") || lines.get(line - 1).strip().startsWith("#"),
                    "values.yaml: no comment on " + path + " (line " + (line + 1) + ")");
        }
        for (String leaf : leaves) {
            assertTrue(rows.stream().anyMatch(r -> leaf.equals(r) || leaf.startsWith(r + ".")),
                    "the README's values table lacks " + leaf);
        }
    }

    // ---- helpers ----

    private static void assumeHelm() {
        DeployFiles.assumeTool(helm != null, REQUIRED,
                "helm not found (ISOFLOP_HELM, PATH or ~/.cache/isoflop/helm/helm/helm; .ci/run installs it)");
    }

    private record Output(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    /** Runs a command in the repository root, its standard output kept apart from its errors. */
    private static Output run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out-", ".txt");
        Path err = Files.createTempFile(workDir, "err-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(DeployFiles.HOME.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("timed out: " + command);
        }
        return new Output(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** `helm template isoflop k8s/chart --namespace isoflop` with these options: the manifests' text. */
    private static String template(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "isoflop", CHART, "--namespace",
                NAMESPACE));
        command.addAll(options);
        Output output = run(command, Map.of());
        assertEquals(0, output.exitCode(), command + "\n" + output.all());
        return output.stdout();
    }

    private static List<JsonNode> documents(String manifests) throws IOException {
        Path file = Files.createTempFile(workDir, "manifests-", ".yaml");
        Files.writeString(file, manifests);
        return DeployFiles.yamlDocuments(file);
    }

    /** The manifests without the Prometheus Operator's kinds (the test server has no CRDs for them), as a file. */
    private static Path withoutMonitoringKinds(String manifests, String name) throws IOException {
        List<String> kept = new ArrayList<>();
        Set<String> dropped = new TreeSet<>();
        for (String document : manifests.split("(?m)^---$")) {
            JsonNode object = DeployFiles.YAML.readTree(document);
            if (object == null || object.isMissingNode() || object.isNull()) {
                continue;
            }
            if (object.path("apiVersion").asText().startsWith(MONITORING_API)) {
                dropped.add(object.get("kind").asText());
            } else {
                kept.add(document.strip());
            }
        }
        assertEquals(Set.of("PodMonitor", "PrometheusRule", "ServiceMonitor"), dropped);
        Path file = workDir.resolve(name);
        Files.writeString(file, String.join("\n---\n", kept) + "\n");
        return file;
    }

    private static synchronized TestCluster cluster() throws Exception {
        if (cluster == null) {
            cluster = TestCluster.start();
        }
        return cluster;
    }

    /** The namespace, the chart's CRDs (applied for real, then established) and every option of the chart. */
    private static synchronized TestCluster installed() throws Exception {
        TestCluster cluster = cluster();
        if (!installed) {
            installCrds(cluster);
            Path manifests = withoutMonitoringKinds(template(List.of("-f", ALL_VALUES)), "install.yaml");
            assertOk(cluster.kubectl("apply", "-f", manifests.toString()));
            installed = true;
        }
        return cluster;
    }

    private static void installCrds(TestCluster cluster) throws Exception {
        Path crds = DeployFiles.repo(CRDS);
        List<Path> files;
        try (Stream<Path> list = Files.isDirectory(crds) ? Files.list(crds) : Stream.empty()) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no CRD under " + CRDS);
        assertOk(cluster.kubectl("apply", "-f", "k8s/namespace.yaml"));
        assertOk(cluster.kubectl("apply", "-f", CRDS));
        assertOk(cluster.kubectl("wait", "--for", "condition=established", "--timeout=60s",
                "crd/isoflopsweeps.isoflop.io"));
    }

    /** The scheduler config the chart's ConfigMap holds, read by the scheduler's own loader. */
    private static KubernetesLaunchConfig schedulerConfig(List<JsonNode> objects) throws Exception {
        JsonNode configMap = objects.stream().filter(o -> name(o).equals("ConfigMap/isoflop-scheduler-config"))
                .findFirst().orElseThrow();
        Path file = workDir.resolve("scheduler.yaml");
        Files.writeString(file, configMap.at("/data/scheduler.yaml").asText());
        return ClusterConfigLoader.load(file).launch();
    }

    private static JsonNode dashboardConfigMap(String manifests) throws IOException {
        return documents(manifests).stream().filter(o -> name(o).equals("ConfigMap/isoflop-grafana-dashboard"))
                .findFirst().orElseThrow(() -> new AssertionError("no dashboard ConfigMap"));
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), "expected one " + kind + " in " + names(objects));
        return found.get(0);
    }

    private static String name(JsonNode object) {
        return object.path("kind").asText() + "/" + object.at("/metadata/name").asText();
    }

    private static Set<String> names(List<JsonNode> objects) {
        Set<String> names = new TreeSet<>();
        objects.forEach(o -> names.add(name(o)));
        return names;
    }

    private static List<String> kinds(List<JsonNode> objects) {
        return objects.stream().map(o -> o.path("kind").asText()).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Whether every label of {@code selector} is in {@code labels} with the same value (and there is one). */
    private static boolean contains(JsonNode labels, JsonNode selector) {
        if (selector == null || !selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode named(JsonNode ports, String name) {
        for (JsonNode port : ports) {
            if (name.equals(port.path("name").asText())) {
                return port;
            }
        }
        return null;
    }

    /** `kubectl auth can-i --list` as resource -> verbs, without non-resource URLs and self-reviews. */
    static Map<String, Set<String>> granted(String listing) {
        Map<String, Set<String>> granted = new TreeMap<>();
        for (String line : listing.lines().toList()) {
            String[] cells = line.trim().split("\\s{2,}");
            if (cells.length < 4 || !cells[1].equals("[]") || cells[0].startsWith("selfsubject")) {
                continue;
            }
            granted.merge(cells[0], new TreeSet<>(List.of(cells[3].replaceAll("[\\[\\]]", "").split(" "))),
                    (a, b) -> { a.addAll(b); return a; });
        }
        return granted;
    }

    private static void assertCan(TestCluster cluster, String expected, String user, String... question)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("auth", "can-i"));
        args.addAll(List.of(question));
        args.addAll(List.of("--as", user));
        TestCluster.KubectlResult answer = cluster.kubectl(args.toArray(String[]::new));
        String[] lines = answer.output().trim().split("\n");
        assertEquals(expected, lines[lines.length - 1].trim(), user + " " + String.join(" ", question) + ": "
                + answer.output());
    }

    private static String assertOk(TestCluster.KubectlResult result) {
        assertEquals(0, result.exitCode(), result.output());
        return result.output();
    }

    private static void collectSwitches(JsonNode node, String prefix, List<String> switches) {
        node.fields().forEachRemaining(field -> {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getKey().equals("enabled") && field.getValue().isBoolean()) {
                switches.add(path);
            } else if (field.getValue().isObject()) {
                collectSwitches(field.getValue(), path, switches);
            }
        });
    }

    private static void collectLeaves(JsonNode node, String prefix, List<String> leaves) {
        node.fields().forEachRemaining(field -> {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getValue().isObject() && !field.getValue().isEmpty()) {
                collectLeaves(field.getValue(), path, leaves);
            } else {
                leaves.add(path);
            }
        });
    }

    /** The line of values.yaml that holds the key at {@code path} (dotted), found by indentation. */
    private static int keyLine(List<String> lines, String path) {
        int from = 0;
        int indent = -1;
        int found = -1;
        for (String key : path.split("\\.")) {
            found = -1;
            for (int i = from; i < lines.size(); i++) {
                String line = lines.get(i);
                int lineIndent = line.length() - line.stripLeading().length();
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                if (lineIndent <= indent) {
                    break;
                }
                if (line.stripLeading().startsWith(key + ":")) {
                    found = i;
                    indent = lineIndent;
                    break;
                }
            }
            assertTrue(found >= 0, "values.yaml: no key " + path);
            from = found + 1;
        }
        return found;
    }
}
