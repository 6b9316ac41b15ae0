package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.Resources;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kubernetes launcher against a real API server, job controller and scheduler (fake GPU nodes, no kubelet). */
class KubernetesJobLauncherIT {
    private static TestCluster cluster;
    private static BatchV1Api batch;
    private static CoreV1Api core;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        batch = new BatchV1Api(cluster.client);
        core = new CoreV1Api(cluster.client);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KubernetesLaunchConfig config() {
        return new KubernetesLaunchConfig(TestCluster.NAMESPACE, "isoflop-worker:test",
                List.of("java", "-cp", "/opt/isoflop/worker/lib/*", "io.isoflop.worker.WorkerMain"), "default", null,
                "/data", KubernetesLaunchConfig.Placement.anywhere(), null, 0, 3600L, 600, 1000,
                new KubernetesLaunchConfig.FitterPod("isoflop-fitter:test", List.of("fitter"), 1, "1Gi"));
    }

    /** A launcher as a scheduler process has it: the sweep's ConfigMap, the real informers. */
    private static KubernetesJobLauncher launcher(String sweep) throws Exception {
        SweepConfigMap sweepMap = new SweepConfigMap(core, new ApiCalls(code -> { }), TestCluster.NAMESPACE, sweep);
        return new KubernetesJobLauncher(cluster.client, config(), sweep, sweepMap, new ApiCalls(code -> { }));
    }

    private static RunSpec run(String sweep, int index, int gpus) throws Exception {
        RunSpec base = IsoFlopPlanner.plan(BudgetSpecLoader.load(Path.of("src", "test", "resources",
                "fixture-spec.yaml")), Path.of("/data/sweeps", sweep)).runs().get(index);
        return new RunSpec(base.schemaVersion(), sweep, base.runId(), base.budgetFlops(), base.flopConvention(),
                base.parameterCount(), base.shape(), base.parameters(), base.tokens(), base.flopsPerToken(),
                base.training(), base.data(), base.evalIntervalTokens(), base.seed(),
                new Resources("nvidia-test", gpus, 1, "1Gi"), base.metricsDir(), base.checkpoint());
    }

    @Test
    void anAttemptRecordedButNeverCreatedIsCreatedUnderItsOwnNameWhenAdopted() throws Exception {
        RunSpec spec = run("intent", 0, 1);
        try (KubernetesJobLauncher restarted = launcher("intent")) {
            // the scheduler recorded attempt 2, then died before creating its Job
            RunHandle adopted = restarted.adopt(spec, 2).orElseThrow();

            assertEquals(RunNames.attemptJobName("intent", spec.runId(), 2), adopted.name());
            List<V1Job> jobs = batch.listNamespacedJob(TestCluster.NAMESPACE)
                    .labelSelector(RunNames.sweepSelector("intent")).execute().getItems();
            assertEquals(List.of(adopted.name()), jobs.stream().map(j -> j.getMetadata().getName()).toList(),
                    "one Job, the recorded attempt's, and no attempt counted lost");
        }
    }

    @Test
    void aRunBecomesOneJobThatARestartedSchedulerFindsInsteadOfDuplicating() throws Exception {
        RunSpec spec = run("restart", 0, 1);
        RunHandle first;
        try (KubernetesJobLauncher launcher = launcher("restart")) {
            first = launcher.start(spec, 1);
        }
        try (KubernetesJobLauncher restarted = launcher("restart")) {
            assertTrue(restarted.adopt(spec, 1).isPresent(), "the Job is found again from the API server");
            RunHandle again = restarted.start(spec, 1);
            assertEquals(first.name(), again.name());
            List<V1Job> jobs = batch.listNamespacedJob(TestCluster.NAMESPACE)
                    .labelSelector(RunNames.sweepSelector("restart")).execute().getItems();
            assertEquals(1, jobs.size(), "starting the same run twice creates one Job");
            V1Job job = jobs.get(0);
            assertEquals(spec.runId(), job.getMetadata().getLabels().get(RunNames.LABEL_RUN));
            assertEquals(RunNames.sweepObjectName("restart"),
                    job.getMetadata().getOwnerReferences().get(0).getName());
        }
    }

    @Test
    void podSucceedingCompletesTheJobAndTheHandle() throws Exception {
        RunSpec spec = run("success", 1, 1);
        try (KubernetesJobLauncher launcher = launcher("success")) {
            RunHandle handle = launcher.start(spec, 1);
            V1Pod pod = awaitPod(handle.name(), p -> p.getSpec().getNodeName() != null);
            setPhase(pod, "Succeeded");
            assertEquals(0, handle.exit().get(90, TimeUnit.SECONDS), "the job controller marked the Job Complete");
        }
    }

    @Test
    void podFailingFailsTheJobWithoutARetryInsideKubernetes() throws Exception {
        RunSpec spec = run("failure", 2, 0);
        try (KubernetesJobLauncher launcher = launcher("failure")) {
            RunHandle handle = launcher.start(spec, 1);
            V1Pod pod = awaitPod(handle.name(), p -> p.getSpec().getNodeName() != null);
            setPhase(pod, "Failed");
            assertEquals(1, handle.exit().get(90, TimeUnit.SECONDS));
            assertEquals(1, core.listNamespacedPod(TestCluster.NAMESPACE).labelSelector("job-name=" + handle.name())
                    .execute().getItems().size(), "backoffLimit 0: the scheduler, not the Job, decides on retries");
        }
    }

    @Test
    void aRetryIsANewJobAndARestartedSchedulerFollowsItInsteadOfStartingAThird() throws Exception {
        RunSpec spec = run("retry", 4, 0);
        try (KubernetesJobLauncher launcher = launcher("retry")) {
            RunHandle first = launcher.start(spec, 1);
            setPhase(awaitPod(first.name(), p -> p.getSpec().getNodeName() != null), "Failed");
            assertEquals(1, first.exit().get(90, TimeUnit.SECONDS));

            RunHandle second = launcher.start(spec, 2);
            assertEquals(RunNames.attemptJobName("retry", spec.runId(), 2), second.name());
            assertTrue(!second.name().equals(first.name()));
        }
        try (KubernetesJobLauncher restarted = launcher("retry")) {
            RunHandle finished = restarted.adopt(spec, 1).orElseThrow();
            assertEquals(1, finished.exit().get(30, TimeUnit.SECONDS), "an ended attempt is found with its outcome");
            RunHandle followed = restarted.start(spec, 2);
            assertEquals(RunNames.attemptJobName("retry", spec.runId(), 2), followed.name(),
                    "the unfinished second attempt is followed, not replaced");
            List<V1Job> jobs = batch.listNamespacedJob(TestCluster.NAMESPACE)
                    .labelSelector(RunNames.sweepSelector("retry")).execute().getItems();
            assertEquals(2, jobs.size(), "two attempts, two Jobs, never a third");
            setPhase(awaitPod(followed.name(), p -> p.getSpec().getNodeName() != null), "Succeeded");
            assertEquals(0, followed.exit().get(90, TimeUnit.SECONDS));
        }
    }

    @Test
    void aJobAskingForMoreGpusThanAnyNodeHasStaysPendingAndIsReported() throws Exception {
        RunSpec spec = run("toobig", 3, 5);
        try (KubernetesJobLauncher launcher = launcher("toobig")) {
            RunHandle handle = launcher.start(spec, 1);
            awaitPod(handle.name(), p -> PodConditions.unschedulable(p).isPresent());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!launcher.unschedulable().containsKey(handle.name()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String reason = launcher.unschedulable().get(handle.name());
            assertTrue(reason != null && reason.contains("Insufficient nvidia.com/gpu"), String.valueOf(reason));
            assertTrue(!handle.exit().isDone(), "a pending Job is still in flight");
        }
    }

    private static V1Pod awaitPod(String jobName, Predicate<V1Pod> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            List<V1Pod> pods = core.listNamespacedPod(TestCluster.NAMESPACE).labelSelector("job-name=" + jobName)
                    .execute().getItems();
            for (V1Pod pod : pods) {
                if (condition.test(pod)) {
                    return pod;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no pod of Job " + jobName + " reached the expected state in 90 s");
    }

    /** Stands in for the kubelet and the worker: the pod ends with this phase. */
    private static void setPhase(V1Pod pod, String phase) throws ApiException {
        V1Pod fresh = core.readNamespacedPod(pod.getMetadata().getName(), TestCluster.NAMESPACE).execute();
        fresh.getStatus().setPhase(phase);
        core.replaceNamespacedPodStatus(fresh.getMetadata().getName(), TestCluster.NAMESPACE, fresh).execute();
    }
}
