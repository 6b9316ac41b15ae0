package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/ without a cloud account or provider downloads: {@code terraform fmt -check}, and structural checks on
 * the configuration parsed by HashiCorp's HCL parser ({@code @cdktf/hcl2json}, run through
 * terraform/tests/hcl2json.js): the bucket is private, encrypted and versioned; the GPU nodes are tainted and
 * labelled; the IRSA role reaches the bucket only and trusts exactly the service accounts of k8s/rbac.yaml; every
 * variable is described and validated; every taggable resource is tagged; providers are pinned; the Helm releases
 * (addons.tf) put NVIDIA's device plugin on exactly the GPU nodes, keep the options off by default, pin their
 * charts, come after the node groups, and give the isoflop chart the role, the bucket, monitoring and the queue.
 * Skipped without terraform / node + hcl2json, unless ISOFLOP_TERRAFORM_REQUIRED=true.
 */
class TerraformIT {
    private static final String REQUIRED = "ISOFLOP_TERRAFORM_REQUIRED";
    /** AWS resource types that take no tags argument (sub-resources and attachments). */
    private static final Set<String> UNTAGGABLE = Set.of("aws_iam_role_policy", "aws_iam_role_policy_attachment",
            "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_versioning",
            "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_lifecycle_configuration",
            "aws_s3_bucket_policy", "aws_efs_mount_target");

    /** Kubernetes taint effects by the EKS node group API's names. */
    private static final Map<String, String> EFFECTS = Map.of("NO_SCHEDULE", "NoSchedule", "NO_EXECUTE",
            "NoExecute", "PREFER_NO_SCHEDULE", "PreferNoSchedule");
    private static final Pattern COUNT_ON_VARIABLE = Pattern.compile("\\$\\{var\\.(\\w+) \\? 1 : 0}");
    private static final String GPU_NODES = "aws_eks_node_group.gpu";

    /** The merged configuration: block kind (resource, data, variable, output...) -> type -> name -> body. */
    private static Map<String, Map<String, Map<String, JsonNode>>> config;
    private static JsonNode terraformBlock;
    private static JsonNode providers;

    @BeforeAll
    static void parse() throws Exception {
        Path node = DeployFiles.findExecutable("node").orElse(null);
        boolean parser = node != null && DeployFiles.run(List.of(node.toString(), "terraform/tests/hcl2json.js",
                "--check"), 60).exitCode() == 0;
        if (!parser) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), "terraform/tests/hcl2json.js"));
        try (Stream<Path> files = Files.list(DeployFiles.repo("terraform"))) {
            files.filter(f -> f.toString().endsWith(".tf")).sorted()
                    .forEach(f -> command.add(DeployFiles.HOME.relativize(f).toString()));
        }
        DeployFiles.Result converted = DeployFiles.run(command, 120);
        assertEquals(0, converted.exitCode(), converted.output());
        config = new LinkedHashMap<>();
        JsonNode files = DeployFiles.JSON.readTree(converted.output());
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> file = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> kinds = file.getValue().fields(); kinds.hasNext(); ) {
                Map.Entry<String, JsonNode> kind = kinds.next();
                switch (kind.getKey()) {
                    case "terraform" -> terraformBlock = kind.getValue().get(0);
                    case "provider" -> providers = kind.getValue();
                    // locals blocks are a list of unnamed blocks: one namespace of names
                    case "locals" -> kind.getValue().forEach(block -> block.fields().forEachRemaining(local ->
                            put("locals", "", local.getKey(), local.getValue(), file.getKey())));
                    case "resource", "data" -> kind.getValue().fields().forEachRemaining(type ->
                            type.getValue().fields().forEachRemaining(named -> put(kind.getKey(), type.getKey(),
                                    named.getKey(), named.getValue().get(0), file.getKey())));
                    default -> kind.getValue().fields().forEachRemaining(named ->
                            put(kind.getKey(), "", named.getKey(), named.getValue().get(0), file.getKey()));
                }
            }
        }
    }

    private static void put(String kind, String type, String name, JsonNode body, String file) {
        JsonNode previous = config.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                .computeIfAbsent(type, t -> new LinkedHashMap<>()).put(name, body);
        assertTrue(previous == null, "duplicate " + kind + " " + type + "." + name + " in " + file);
    }

    @Test
    void terraformFilesAreFormatted() throws Exception {
        Path terraform = DeployFiles.findExecutable("terraform", "/usr/local/bin").orElse(null);
        DeployFiles.assumeTool(terraform != null, REQUIRED, "terraform not found");
        DeployFiles.Result fmt = DeployFiles.run(List.of(terraform.toString(), "fmt", "-check", "-recursive",
                "-diff", "terraform/"), 60);
        assertEquals(0, fmt.exitCode(), "terraform fmt -check found unformatted files:\n" + fmt.output());
    }

    @Test
    void theBucketIsPrivateEncryptedVersionedAndTlsOnly() throws Exception {
        assumeParsed();
        String bucket = only("aws_s3_bucket");
        String id = "${aws_s3_bucket." + bucket + ".id}";

        JsonNode block = forBucket("aws_s3_bucket_public_access_block", id);
        for (String flag : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                "restrict_public_buckets")) {
            assertTrue(block.path(flag).asBoolean(false), flag + " must be true");
        }
        JsonNode sse = forBucket("aws_s3_bucket_server_side_encryption_configuration", id)
                .at("/rule/0/apply_server_side_encryption_by_default/0");
        assertTrue(Set.of("aws:kms", "aws:kms:dsse", "AES256").contains(sse.path("sse_algorithm").asText()),
                "encryption: " + sse);
        assertEquals("Enabled", forBucket("aws_s3_bucket_versioning", id)
                .at("/versioning_configuration/0/status").asText());
        assertEquals("BucketOwnerEnforced", forBucket("aws_s3_bucket_ownership_controls", id)
                .at("/rule/0/object_ownership").asText(), "ACLs must be disabled");

        // the bucket policy denies every request that is not TLS
        String policyDocument = reference(forBucket("aws_s3_bucket_policy", id).get("policy").asText(),
                "data.aws_iam_policy_document.");
        JsonNode deny = null;
        for (JsonNode statement : data("aws_iam_policy_document", policyDocument).get("statement")) {
            if (statement.path("effect").asText().equals("Deny")
                    && statement.at("/condition/0/variable").asText().equals("aws:SecureTransport")) {
                deny = statement;
            }
        }
        assertNotNull(deny, "no Deny on aws:SecureTransport=false");
        assertEquals("false", deny.at("/condition/0/values/0").asText());
    }

    @Test
    void gpuNodesAreTaintedAndLabelledAndSystemNodesAreNot() throws Exception {
        assumeParsed();
        Map<String, JsonNode> groups = config.get("resource").get("aws_eks_node_group");
        JsonNode gpu = groups.get("gpu");
        JsonNode system = groups.get("system");
        assertNotNull(gpu, "no aws_eks_node_group.gpu");
        assertNotNull(system, "no aws_eks_node_group.system");

        assertTrue(gpu.path("taint").size() == 1, "the GPU node group needs exactly one taint: " + gpu.get("taint"));
        JsonNode taint = gpu.get("taint").get(0);
        assertEquals("nvidia.com/gpu", taint.get("key").asText());
        assertEquals("present", taint.get("value").asText());
        assertEquals("NO_SCHEDULE", taint.get("effect").asText());
        assertEquals("${var.gpu_type}", gpu.get("labels").get("isoflop.io/gpu-type").asText());
        assertTrue(gpu.get("ami_type").asText().matches(".*(GPU|NVIDIA).*"), "GPU AMI: " + gpu.get("ami_type"));
        assertEquals("${var.gpu_instance_types}", gpu.get("instance_types").asText());

        assertFalse(system.has("taint"), "system nodes must take ordinary pods (the scheduler)");
        assertFalse(system.get("ami_type").asText().matches(".*(GPU|NVIDIA).*"));
        // a run spec's resources.gpu_type selects on this label: the default must be a valid label value
        assertTrue(variable("gpu_type").get("default").asText().matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?"));
    }

    @Test
    void theServiceAccountRoleReachesTheBucketOnly() throws Exception {
        assumeParsed();
        String bucket = only("aws_s3_bucket");
        String bucketArn = "${aws_s3_bucket." + bucket + ".arn}";
        String bucketKey = reference(forBucket("aws_s3_bucket_server_side_encryption_configuration",
                "${aws_s3_bucket." + bucket + ".id}").at("/rule/0/apply_server_side_encryption_by_default/0")
                .get("kms_master_key_id").asText(), "aws_kms_key.");
        JsonNode policy = irsaPolicy();

        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.get("statement")) {
            assertEquals("Allow", statement.path("effect").asText("Allow"));
            for (JsonNode resource : statement.get("resources")) {
                String arn = resource.asText();
                assertTrue(arn.equals(bucketArn) || arn.equals(bucketArn + "/*")
                        || arn.equals("${aws_kms_key." + bucketKey + ".arn}"),
                        "the IRSA policy reaches beyond the bucket: " + arn);
            }
            for (JsonNode action : statement.get("actions")) {
                String name = action.asText();
                assertFalse(name.contains("*"), "wildcard action " + name);
                actions.add(name);
                if (name.startsWith("kms:")) {
                    assertEquals("${aws_kms_key." + bucketKey + ".arn}", statement.get("resources").get(0).asText());
                }
            }
            assertFalse(statement.has("not_actions") || statement.has("not_resources"));
        }
        assertTrue(actions.containsAll(Set.of("s3:GetObject", "s3:PutObject", "s3:ListBucket")), actions.toString());
        assertTrue(actions.stream().allMatch(a -> a.startsWith("s3:") || a.startsWith("kms:")), actions.toString());
    }

    @Test
    void theRoleTrustsExactlyTheServiceAccountsOfRbacYaml() throws Exception {
        assumeParsed();
        JsonNode role = resource("aws_iam_role", "isoflop");
        String trust = reference(role.get("assume_role_policy").asText(), "data.aws_iam_policy_document.");
        JsonNode statement = data("aws_iam_policy_document", trust).get("statement").get(0);
        assertEquals("sts:AssumeRoleWithWebIdentity", statement.get("actions").get(0).asText());
        assertEquals("Federated", statement.at("/principals/0/type").asText());

        Map<String, String> conditions = new LinkedHashMap<>();
        statement.get("condition").forEach(c -> {
            assertEquals("StringEquals", c.get("test").asText(), "exact matches only, no StringLike wildcards");
            conditions.put(c.get("variable").asText().replaceAll(".*:", ""), c.get("values").toString());
        });
        assertEquals(Set.of("aud", "sub"), conditions.keySet());
        assertEquals("${local.isoflop_service_account_subjects}", DeployFiles.JSON.readTree(conditions.get("sub"))
                .asText());
        String subjects = config.get("locals").get("").get("isoflop_service_account_subjects").asText();
        assertTrue(subjects.contains("system:serviceaccount:${var.namespace}:${sa}")
                && subjects.contains("var.service_accounts"), subjects);

        // the defaults name the namespace and accounts the manifests create
        Set<String> rbacAccounts = new TreeSet<>();
        for (JsonNode object : DeployFiles.yamlDocuments(DeployFiles.repo("k8s/rbac.yaml"))) {
            if (object.get("kind").asText().equals("ServiceAccount")) {
                rbacAccounts.add(object.at("/metadata/name").asText());
            }
        }
        Set<String> defaults = new TreeSet<>();
        variable("service_accounts").get("default").forEach(sa -> defaults.add(sa.asText()));
        assertEquals(rbacAccounts, defaults);
        assertEquals(DeployFiles.yaml("k8s/namespace.yaml").at("/metadata/name").asText(),
                variable("namespace").get("default").asText());
    }

    @Test
    void everyVariableIsTypedDescribedAndValidated() throws Exception {
        assumeParsed();
        Map<String, JsonNode> variables = config.get("variable").get("");
        assertTrue(variables.size() >= 10, variables.keySet().toString());
        for (Map.Entry<String, JsonNode> variable : variables.entrySet()) {
            JsonNode body = variable.getValue();
            assertTrue(body.path("description").asText().length() >= 10, variable.getKey() + ": description");
            assertTrue(body.has("type"), variable.getKey() + ": type");
            // a bool has nothing left to validate
            if (!body.get("type").asText().equals("${bool}")) {
                assertTrue(body.has("validation") && body.get("validation").size() > 0,
                        variable.getKey() + ": validation");
                for (JsonNode validation : body.get("validation")) {
                    assertFalse(validation.path("error_message").asText().isBlank(), variable.getKey());
                }
            }
        }
    }

    @Test
    void everyTaggableResourceIsTaggedWithTheCommonTags() throws Exception {
        assumeParsed();
        int tagged = 0;
        for (Map.Entry<String, Map<String, JsonNode>> type : config.get("resource").entrySet()) {
            // helm_release and other non-AWS resources take no tags
            if (UNTAGGABLE.contains(type.getKey()) || !type.getKey().startsWith("aws_")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> resource : type.getValue().entrySet()) {
                String tags = resource.getValue().path("tags").asText();
                assertTrue(tags.contains("local.tags"), type.getKey() + "." + resource.getKey() + " is not tagged");
                tagged++;
            }
        }
        assertTrue(tagged >= 10, "only " + tagged + " tagged resources");
        assertTrue(config.get("locals").get("").get("tags").asText().contains("var.tags"));
        // and the provider tags whatever a resource forgets
        assertEquals("${local.tags}", providers.get("aws").get(0).at("/default_tags/0/tags").asText());
    }

    @Test
    void providersAndTerraformArePinned() throws Exception {
        assumeParsed();
        assertNotNull(terraformBlock, "no terraform block");
        assertFalse(terraformBlock.path("required_version").asText().isBlank());
        JsonNode required = terraformBlock.get("required_providers").get(0);
        assertTrue(required.has("aws"));
        for (Iterator<Map.Entry<String, JsonNode>> it = required.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> provider = it.next();
            assertTrue(provider.getValue().get("source").asText().startsWith("hashicorp/"), provider.getKey());
            assertTrue(provider.getValue().get("version").asText().matches("(~>|=)\\s*[0-9].*"),
                    provider.getKey() + " not pinned: " + provider.getValue().get("version"));
        }
    }

    @Test
    void outputsGiveWhatTheReadmeNeeds() throws Exception {
        assumeParsed();
        Map<String, JsonNode> outputs = config.get("output").get("");
        for (String name : List.of("cluster_name", "cluster_endpoint", "bucket_name", "isoflop_role_arn",
                "cluster_role_arn", "node_role_arn", "efs_file_system_id", "helm_releases")) {
            assertTrue(outputs.containsKey(name), "no output " + name);
        }
        outputs.forEach((name, body) -> assertFalse(body.path("description").asText().isBlank(), name));
        String readme = Files.readString(DeployFiles.repo("terraform/README.md"));
        for (String name : List.of("isoflop_role_arn", "efs_file_system_id", "cluster_name")) {
            assertTrue(readme.contains(name), "README does not use output " + name);
        }
        assertTrue(readme.contains("kubectl apply -f k8s/"));
        // Terraform installs the device plugin: no manifest URL to apply by hand
        assertFalse(readme.contains("k8s-device-plugin/v"), "README still applies the device plugin by hand");
    }

    @Test
    void theHelmProviderIsPinnedAndReachesThisCluster() throws Exception {
        assumeParsed();
        JsonNode helm = terraformBlock.get("required_providers").get(0).get("helm");
        assertNotNull(helm, "hashicorp/helm is not a required provider");
        assertEquals("hashicorp/helm", helm.get("source").asText());
        // 2.x: set blocks and a kubernetes block, as addons.tf and the provider block below are written
        assertTrue(helm.path("version").asText().matches("~>\\s*2\\.[0-9]+(\\.[0-9]+)?"),
                "helm provider constraint: " + helm.get("version"));

        assertNotNull(providers.get("helm"), "no provider \"helm\" block");
        JsonNode kubernetes = providers.get("helm").get(0).at("/kubernetes/0");
        assertEquals("${aws_eks_cluster.this.endpoint}", kubernetes.path("host").asText());
        assertTrue(kubernetes.path("cluster_ca_certificate").asText()
                .contains("aws_eks_cluster.this.certificate_authority"), kubernetes.toString());
        JsonNode exec = kubernetes.at("/exec/0");
        assertEquals("aws", exec.path("command").asText());
        String args = exec.path("args").toString();
        assertTrue(args.contains("\"eks\"") && args.contains("\"get-token\"")
                && args.contains("${aws_eks_cluster.this.name}"), "exec args: " + args);
    }

    @Test
    void theDevicePluginRunsOnExactlyTheGpuNodesAndToleratesTheirTaint() throws Exception {
        assumeParsed();
        JsonNode gpu = resource("aws_eks_node_group", "gpu");
        JsonNode system = resource("aws_eks_node_group", "system");
        String name = releaseOfChart("nvidia-device-plugin");
        JsonNode plugin = resource("helm_release", name);
        assertEquals("https://nvidia.github.io/k8s-device-plugin", plugin.path("repository").asText());

        // installed unless someone turns it off: no count, or a count on a variable that defaults to true
        if (plugin.has("count")) {
            String variable = countVariable(plugin);
            assertNotNull(variable, "count of the device plugin: " + plugin.get("count"));
            assertTrue(variable(variable).path("default").asBoolean(false), variable + " must default to true");
        }

        Map<String, String> sets = sets(plugin);
        JsonNode taint = gpu.get("taint").get(0);
        List<Map<String, String>> tolerations = setList(sets, "tolerations");
        assertTrue(tolerations.stream().anyMatch(t -> tolerates(t, taint)),
                "no toleration of the GPU nodes' taint " + taint + " in " + tolerations);

        Map<String, String> selector = setMap(sets, "nodeSelector");
        assertFalse(selector.isEmpty(), "the device plugin selects no nodes: " + sets.keySet());
        selector.forEach((label, value) -> assertEquals(gpu.get("labels").path(label).asText(null), value,
                "nodeSelector " + label + " is not a label of the GPU nodes: " + gpu.get("labels")));
        assertTrue(selector.entrySet().stream().anyMatch(e ->
                        !e.getValue().equals(system.path("labels").path(e.getKey()).asText(null))),
                "the node selector " + selector + " also matches the system nodes");
    }

    @Test
    void optionalReleasesAreOffByDefaultAndEveryReleaseIsPinnedAndWaitsForTheGpuNodes() throws Exception {
        assumeParsed();
        Map<String, JsonNode> releases = config.get("resource").get("helm_release");
        assertNotNull(releases, "no helm_release");
        String plugin = releaseOfChart("nvidia-device-plugin");
        // the options the README documents, each behind its own variable
        assertEquals("install_kueue", countVariable(resource("helm_release", releaseOfChart("kueue"))));
        assertEquals("install_kube_prometheus_stack",
                countVariable(resource("helm_release", releaseOfChart("kube-prometheus-stack"))));
        assertEquals("install_isoflop_chart",
                countVariable(resource("helm_release", releaseOfChart("${path.module}/../k8s/chart"))));

        for (Map.Entry<String, JsonNode> release : releases.entrySet()) {
            String name = release.getKey();
            JsonNode body = release.getValue();
            if (!name.equals(plugin)) {
                String variable = countVariable(body);
                assertNotNull(variable, name + " is optional: count = var.<flag> ? 1 : 0, not " + body.get("count"));
                assertEquals("${bool}", variable(variable).path("type").asText(), variable);
                assertFalse(variable(variable).path("default").asBoolean(true), variable + " must default to false");
            }
            String chart = body.path("chart").asText();
            if (chart.startsWith("${path.module}/")) {
                // a chart of this repository: pinned by the checkout
                assertFalse(body.has("repository"), name);
                Path dir = DeployFiles.repo("terraform").resolve(chart.substring("${path.module}/".length()));
                assertTrue(Files.isRegularFile(dir.resolve("Chart.yaml")), name + ": no Chart.yaml in " + dir);
            } else {
                assertFalse(body.path("repository").asText().isBlank(), name + ": repository");
                assertTrue(body.path("version").asText().matches("[0-9]+\\.[0-9]+\\.[0-9]+"),
                        name + " must pin an exact chart version: " + body.get("version"));
            }
            assertFalse(body.path("namespace").asText().isBlank(), name + ": namespace");
            assertTrue(dependsOn(body, GPU_NODES), name + " does not wait for " + GPU_NODES);
        }
    }

    @Test
    void kubePrometheusStackPicksUpOtherReleasesMonitorsAndDashboards() throws Exception {
        assumeParsed();
        JsonNode stack = resource("helm_release", releaseOfChart("kube-prometheus-stack"));
        assertEquals("https://prometheus-community.github.io/helm-charts", stack.path("repository").asText());
        assertEquals("monitoring", stack.path("namespace").asText());
        Map<String, String> sets = sets(stack);
        for (String selector : List.of("serviceMonitor", "podMonitor", "rule")) {
            assertEquals("false", sets.get("prometheus.prometheusSpec." + selector + "SelectorNilUsesHelmValues"),
                    selector + " selector limited to this release");
        }
        assertEquals("true", sets.get("grafana.sidecar.dashboards.enabled"));
        assertEquals("grafana_dashboard", sets.get("grafana.sidecar.dashboards.label"));
        assertEquals("1", sets.get("grafana.sidecar.dashboards.labelValue"));
        assertEquals("ALL", sets.get("grafana.sidecar.dashboards.searchNamespace"));
        // the label the isoflop chart puts on its dashboard ConfigMap
        JsonNode dashboard = DeployFiles.yaml("k8s/chart/values.yaml").at("/monitoring/dashboard");
        assertEquals(dashboard.path("label").asText(), sets.get("grafana.sidecar.dashboards.label"));
        assertEquals(dashboard.path("labelValue").asText(), sets.get("grafana.sidecar.dashboards.labelValue"));
    }

    @Test
    void kueueGivesTheGpuFlavorOnlyToPodsThatTolerateTheGpuTaint() throws Exception {
        assumeParsed();
        JsonNode kueue = resource("helm_release", releaseOfChart("kueue"));
        assertEquals("oci://registry.k8s.io/kueue/charts", kueue.path("repository").asText());
        assertEquals("kueue-system", kueue.path("namespace").asText());

        String queuesName = releaseOfChart("${path.module}/charts/kueue-queues");
        JsonNode queues = resource("helm_release", queuesName);
        assertEquals(kueue.path("count").asText(), queues.path("count").asText(),
                "queues without Kueue, or vice versa");
        assertTrue(dependsOn(queues, "helm_release." + releaseOfChart("kueue")), "queues before Kueue's CRDs");
        JsonNode gpu = resource("aws_eks_node_group", "gpu");
        Map<String, String> sets = sets(queues);
        List<Map<String, String>> taints = setList(sets, "gpuFlavor.nodeTaints");
        assertEquals(1, taints.size(), taints.toString());
        JsonNode taint = gpu.get("taint").get(0);
        assertEquals(Map.of("key", taint.get("key").asText(), "value", taint.get("value").asText(), "effect",
                EFFECTS.get(taint.get("effect").asText())), taints.get(0));
        Map<String, String> labels = setMap(sets, "gpuFlavor.nodeLabels");
        assertFalse(labels.isEmpty());
        labels.forEach((label, value) -> assertEquals(gpu.get("labels").path(label).asText(null), value, label));
        assertEquals("${var.kueue_queue_name}", sets.get("queueName"));
    }

    @Test
    void theIsoflopChartGetsTheRoleTheBucketMonitoringAndTheQueue() throws Exception {
        assumeParsed();
        String name = releaseOfChart("${path.module}/../k8s/chart");
        JsonNode isoflop = resource("helm_release", name);
        // the IRSA role trusts service accounts in var.namespace (theRoleTrustsExactlyTheServiceAccountsOfRbacYaml)
        assertEquals("${var.namespace}", isoflop.path("namespace").asText());
        assertTrue(isoflop.path("create_namespace").asBoolean(false));

        Map<String, String> sets = sets(isoflop);
        assertEquals(Map.of("eks.amazonaws.com/role-arn", "${aws_iam_role.isoflop.arn}"),
                setMap(sets, "serviceAccounts.annotations"));
        assertEquals("${aws_s3_bucket." + only("aws_s3_bucket") + ".bucket}", sets.get("storage.objectStore.bucket"));
        assertEquals("${var.region}", sets.get("storage.objectStore.region"));

        String stack = releaseOfChart("kube-prometheus-stack");
        String withStack = "${var." + countVariable(resource("helm_release", stack)) + "}";
        for (String key : List.of("serviceMonitor.enabled", "podMonitor.enabled", "prometheusRule.enabled",
                "dashboard.enabled")) {
            assertEquals(withStack, sets.get("monitoring." + key), "monitoring." + key);
        }
        String kueue = releaseOfChart("kueue");
        assertEquals("${var." + countVariable(resource("helm_release", kueue)) + " ? var.kueue_queue_name : \"\"}",
                sets.get("kueue.queueName"));
        // the LocalQueue the Jobs name lives in the namespace of isoflop's release
        assertEquals(isoflop.path("namespace").asText(),
                resource("helm_release", releaseOfChart("${path.module}/charts/kueue-queues")).path("namespace")
                        .asText());

        // after everything it uses, and after the role can reach the bucket
        for (String release : config.get("resource").get("helm_release").keySet()) {
            if (!release.equals(name)) {
                assertTrue(dependsOn(isoflop, "helm_release." + release), name + " before helm_release." + release);
            }
        }
        assertTrue(dependsOn(isoflop, "aws_iam_role_policy.isoflop_bucket"), "pods start before the role's policy");
    }

    /** The one helm_release of that chart. */
    private static String releaseOfChart(String chart) {
        List<String> names = new ArrayList<>();
        config.get("resource").getOrDefault("helm_release", Map.of()).forEach((name, body) -> {
            if (body.path("chart").asText().equals(chart)) {
                names.add(name);
            }
        });
        assertEquals(1, names.size(), "helm_release of chart " + chart + ": " + names);
        return names.get(0);
    }

    /** The flag of "count = var.flag ? 1 : 0", or null. */
    private static String countVariable(JsonNode resource) {
        Matcher matcher = COUNT_ON_VARIABLE.matcher(resource.path("count").asText());
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** Whether the resource's depends_on reaches address ("type.name"), directly or through other releases. */
    private static boolean dependsOn(JsonNode resource, String address) {
        for (JsonNode dependency : resource.path("depends_on")) {
            String reference = dependency.asText().replaceAll("^\\$\\{|}$", "");
            if (reference.equals(address)) {
                return true;
            }
            if (reference.startsWith("helm_release.")
                    && dependsOn(resource("helm_release", reference.substring("helm_release.".length())), address)) {
                return true;
            }
        }
        return false;
    }

    /** A helm_release's set blocks, name -> value. */
    private static Map<String, String> sets(JsonNode release) {
        Map<String, String> sets = new LinkedHashMap<>();
        for (JsonNode set : release.path("set")) {
            assertNull(sets.put(set.get("name").asText(), set.get("value").asText()), "set twice: " + set);
        }
        return sets;
    }

    /** The list that Helm's "prefix[i].field" settings make: per index, field -> value. */
    private static List<Map<String, String>> setList(Map<String, String> sets, String prefix) {
        Pattern item = Pattern.compile(Pattern.quote(prefix) + "\\[([0-9]+)]\\.(\\w+)");
        Map<Integer, Map<String, String>> items = new TreeMap<>();
        sets.forEach((name, value) -> {
            Matcher matcher = item.matcher(name);
            if (matcher.matches()) {
                items.computeIfAbsent(Integer.parseInt(matcher.group(1)), i -> new TreeMap<>())
                        .put(matcher.group(2), value);
            }
        });
        return new ArrayList<>(items.values());
    }

    /** The map that Helm's "prefix.key" settings make, keys unescaped ("a\\.b/c" is the key "a.b/c"). */
    private static Map<String, String> setMap(Map<String, String> sets, String prefix) {
        Map<String, String> map = new TreeMap<>();
        sets.forEach((name, value) -> {
            if (name.startsWith(prefix + ".")) {
                String key = name.substring(prefix.length() + 1);
                // an unescaped dot would nest maps (a label "nvidia.com/gpu" as nvidia: {com/gpu: ...})
                assertFalse(key.replace("\\.", "").contains("."), "unescaped dot in the key of " + name);
                map.put(key.replace("\\.", "."), value);
            }
        });
        return map;
    }

    /** Whether a toleration (Helm settings: key, operator, value, effect) tolerates a node group's taint. */
    private static boolean tolerates(Map<String, String> toleration, JsonNode taint) {
        String effect = EFFECTS.get(taint.get("effect").asText());
        assertNotNull(effect, "taint effect " + taint.get("effect"));
        String operator = toleration.getOrDefault("operator", "Equal");
        boolean key = toleration.containsKey("key") ? toleration.get("key").equals(taint.get("key").asText())
                : operator.equals("Exists");
        boolean effects = !toleration.containsKey("effect") || toleration.get("effect").equals(effect);
        boolean value = operator.equals("Exists")
                || operator.equals("Equal") && taint.get("value").asText().equals(toleration.get("value"));
        return key && effects && value;
    }

    /** The IRSA role's inline policy document. */
    private static JsonNode irsaPolicy() {
        for (JsonNode attached : config.get("resource").get("aws_iam_role_policy").values()) {
            if (attached.get("role").asText().equals("${aws_iam_role.isoflop.id}")) {
                return data("aws_iam_policy_document",
                        reference(attached.get("policy").asText(), "data.aws_iam_policy_document."));
            }
        }
        throw new AssertionError("no aws_iam_role_policy on aws_iam_role.isoflop");
    }

    /** "${data.aws_iam_policy_document.x.json}" with prefix "data.aws_iam_policy_document." gives "x". */
    private static String reference(String expression, String prefix) {
        int start = expression.indexOf(prefix);
        assertTrue(start >= 0, expression + " does not refer to " + prefix);
        String rest = expression.substring(start + prefix.length());
        return rest.substring(0, rest.indexOf('.'));
    }

    private static String only(String type) {
        Map<String, JsonNode> resources = config.get("resource").get(type);
        assertNotNull(resources, "no " + type);
        assertEquals(1, resources.size(), type + ": " + resources.keySet());
        return resources.keySet().iterator().next();
    }

    private static JsonNode forBucket(String type, String bucketId) {
        Map<String, JsonNode> resources = config.get("resource").get(type);
        assertNotNull(resources, "no " + type);
        return resources.values().stream().filter(r -> r.path("bucket").asText().equals(bucketId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " for " + bucketId));
    }

    private static JsonNode resource(String type, String name) {
        JsonNode body = config.get("resource").getOrDefault(type, Map.of()).get(name);
        assertNotNull(body, "no " + type + "." + name);
        return body;
    }

    private static JsonNode data(String type, String name) {
        JsonNode body = config.get("data").getOrDefault(type, Map.of()).get(name);
        assertNotNull(body, "no data." + type + "." + name);
        return body;
    }

    private static JsonNode variable(String name) {
        JsonNode body = config.get("variable").get("").get(name);
        assertNotNull(body, "no variable " + name);
        return body;
    }

    private static void assumeParsed() throws IOException {
        DeployFiles.assumeTool(config != null, REQUIRED, "node or @cdktf/hcl2json not available (terraform/tests/"
                + "hcl2json.js --check failed; .ci/run installs it with npm into ~/.cache/isoflop/npm)");
    }
}
