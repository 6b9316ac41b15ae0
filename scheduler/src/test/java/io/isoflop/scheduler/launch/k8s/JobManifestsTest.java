package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.Resources;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobManifestsTest {
    private static final KubernetesLaunchConfig CONFIG = new KubernetesLaunchConfig("isoflop", "registry/isoflop:1",
            List.of("java", "-cp", "/opt/isoflop/worker/lib/*", "io.isoflop.worker.WorkerMain"), "isoflop-worker",
            "isoflop-shared", "/data", new KubernetesLaunchConfig.Placement(Map.of("pool", "training"),
                    List.of(new KubernetesLaunchConfig.Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule")),
                    "isoflop.io/gpu-type", "{\"nodeAffinity\": {\"preferredDuringSchedulingIgnoredDuringExecution\":"
                            + " [{\"weight\": 1, \"preference\": {\"matchExpressions\": [{\"key\": \"zone\","
                            + " \"operator\": \"In\", \"values\": [\"a\"]}]}}]}}"),
            "team-a", 0, 86400L, 3600, 1000,
            new KubernetesLaunchConfig.FitterPod("registry/isoflop:1", List.of("/opt/isoflop/isoflop-fitter"), 4,
                    "16Gi"));
    private static final V1OwnerReference OWNER = new V1OwnerReference().apiVersion("v1").kind("ConfigMap")
            .name("isoflop-sweep-demo").uid("1234");

    private static RunSpec gpuRun() throws Exception {
        RunSpec base = IsoFlopPlanner.plan(BudgetSpecLoader.load(Path.of("src", "test", "resources",
                "fixture-spec.yaml")), Path.of("/data/sweeps/quickstart")).runs().get(3);
        return new RunSpec(base.schemaVersion(), base.sweep(), base.runId(), base.budgetFlops(),
                base.flopConvention(), base.parameterCount(), base.shape(), base.parameters(), base.tokens(),
                base.flopsPerToken(), base.training(), base.data(), base.evalIntervalTokens(), base.seed(),
                new Resources("nvidia-h100", 2, 8, "64Gi"), base.metricsDir(), base.checkpoint());
    }

    @Test
    void workerJobRunsTheSameEntrypointWithTheRunSpecUnchanged() throws Exception {
        RunSpec run = gpuRun();
        V1Job job = JobManifests.workerJob(run, 1, CONFIG, OWNER);
        V1PodSpec pod = job.getSpec().getTemplate().getSpec();
        V1Container worker = pod.getContainers().get(0);

        assertEquals(RunNames.jobName(run.sweep(), run.runId()), job.getMetadata().getName());
        assertEquals(List.of("java", "-cp", "/opt/isoflop/worker/lib/*", "io.isoflop.worker.WorkerMain"),
                worker.getCommand());
        String document = worker.getEnv().stream().filter(e -> e.getName().equals(WorkerProtocol.RUN_SPEC_JSON_ENV))
                .findFirst().orElseThrow().getValue();
        assertEquals(run, RunSpecCodec.fromJson(document), "the worker gets the run spec unchanged");
        assertEquals(9401, worker.getPorts().get(0).getContainerPort(), "worker metrics, scraped by Prometheus");
        assertTrue(worker.getEnv().stream().anyMatch(e -> e.getName().equals("ISOFLOP_METRICS_PORT")
                && e.getValue().equals("9401")));
        V1EnvVar node = worker.getEnv().stream().filter(e -> e.getName().equals(WorkerProtocol.NODE_NAME_ENV))
                .findFirst().orElseThrow();
        assertNull(node.getValue(), "the node is known only once the pod is placed");
        assertEquals("spec.nodeName", node.getValueFrom().getFieldRef().getFieldPath(),
                "the downward API hands the worker its node");
        assertEquals(JobManifests.WORKER_CONTAINER, worker.getName(), "the container whose exit code is read");
        assertEquals("Never", pod.getRestartPolicy());
        assertEquals(List.of(OWNER), job.getMetadata().getOwnerReferences());
        assertEquals(0, job.getSpec().getBackoffLimit(), "retries are the scheduler's, with its own backoff");
        assertEquals(86400L, job.getSpec().getActiveDeadlineSeconds());
        assertEquals(3600, job.getSpec().getTtlSecondsAfterFinished());
    }

    @Test
    void resourcesLabelsAndSchedulingComeFromTheSpecAndConfig() throws Exception {
        RunSpec run = gpuRun();
        V1Job job = JobManifests.workerJob(run, 1, CONFIG, OWNER);
        V1PodSpec pod = job.getSpec().getTemplate().getSpec();
        Map<String, Quantity> limits = pod.getContainers().get(0).getResources().getLimits();

        assertEquals(new Quantity("2"), limits.get("nvidia.com/gpu"));
        assertEquals(new Quantity("64Gi"), limits.get("memory"));
        assertEquals(limits, pod.getContainers().get(0).getResources().getRequests());
        Map<String, String> labels = job.getMetadata().getLabels();
        assertEquals(run.runId(), labels.get(RunNames.LABEL_RUN));
        assertEquals(Long.toString(run.parameters()), labels.get(RunNames.LABEL_PARAMETERS));
        assertEquals("team-a", labels.get(RunNames.KUEUE_QUEUE_LABEL));
        assertEquals(labels, job.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(Map.of("pool", "training", "isoflop.io/gpu-type", "nvidia-h100"), pod.getNodeSelector(),
                "the config's selector plus the run's GPU type under the config's label");
        assertEquals("Exists", pod.getTolerations().get(0).getOperator());
        assertEquals("zone", pod.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
                .get(0).getPreference().getMatchExpressions().get(0).getKey());
    }

    @Test
    void podRunsNonRootWithoutPrivilegeEscalationOnAReadOnlyRoot() throws Exception {
        V1PodSpec pod = JobManifests.workerJob(gpuRun(), 1, CONFIG, OWNER).getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0).getSecurityContext();

        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(1000L, pod.getSecurityContext().getRunAsUser());
        assertFalse(container.getAllowPrivilegeEscalation());
        assertTrue(container.getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), container.getCapabilities().getDrop());
        assertFalse(pod.getAutomountServiceAccountToken(), "workers do not talk to the API server");
    }

    @Test
    void aCpuRunAsksForNoGpu() throws Exception {
        RunSpec base = gpuRun();
        RunSpec cpu = new RunSpec(base.schemaVersion(), base.sweep(), base.runId(), base.budgetFlops(),
                base.flopConvention(), base.parameterCount(), base.shape(), base.parameters(), base.tokens(),
                base.flopsPerToken(), base.training(), base.data(), base.evalIntervalTokens(), base.seed(),
                new Resources(null, 0, 1, "2Gi"), base.metricsDir(), base.checkpoint());
        assertNull(JobManifests.resources(cpu).getLimits().get("nvidia.com/gpu"));
        assertEquals(Map.of("pool", "training"), JobManifests.workerJob(cpu, 1, CONFIG, OWNER).getSpec().getTemplate()
                .getSpec().getNodeSelector(), "no GPU, no GPU type selector");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Quick_Start", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--weird..name--",
        "ÜBER sweep", "x"})
    void namesAreValidDnsLabelsWhateverTheUserTyped(String sweep) {
        String name = RunNames.jobName(sweep, "c3e11-n14496-cf3bd8");
        assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), name);
        assertTrue(name.length() <= 63, name);
        assertEquals(name, RunNames.jobName(sweep, "c3e11-n14496-cf3bd8"), "deterministic");
        String label = RunNames.labelValue(sweep);
        assertTrue(label.isEmpty() || label.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"), label);
        assertTrue(label.length() <= 63, label);
    }

    @Test
    void longNamesThatShareAPrefixStayDistinct() {
        String prefix = "s".repeat(70);
        assertFalse(RunNames.jobName(prefix + "a", "r").equals(RunNames.jobName(prefix + "b", "r")));
    }

    @Test
    void theFitterJobRunsSparkLocallyOnOrdinaryNodesWithTheSharedVolume() {
        V1Job job = JobManifests.fitterJob("demo", 2, List.of("--metrics", "/data/sweeps/demo/metrics", "--out",
                "/data/sweeps/demo/fit"), CONFIG, OWNER);
        assertEquals("isoflop-fit-demo-a2", job.getMetadata().getName());
        assertEquals("fitter", job.getMetadata().getLabels().get(RunNames.LABEL_ROLE));
        var pod = job.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals(List.of("/opt/isoflop/isoflop-fitter", "--metrics", "/data/sweeps/demo/metrics", "--out",
                "/data/sweeps/demo/fit", "--master", "local[4]"), container.getCommand());
        assertEquals("4", container.getResources().getLimits().get("cpu").toSuffixedString());
        assertEquals(null, container.getResources().getLimits().get(JobManifests.GPU_RESOURCE));
        assertTrue(pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty(),
                "the GPU node selector is for workers only");
        assertTrue(pod.getTolerations() == null || pod.getTolerations().isEmpty());
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/data")));
        assertTrue(container.getEnv().stream().noneMatch(e -> e.getName().equals(WorkerProtocol.RUN_SPEC_JSON_ENV)));
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals("isoflop-sweep-demo", job.getMetadata().getOwnerReferences().get(0).getName());
    }
}
