package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.scheduler.FinalMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.Resources;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.sweep.RetryPolicy;
import io.isoflop.scheduler.sweep.SweepObserver;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepResult;
import io.isoflop.scheduler.sweep.SweepRunner;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's exit codes on a real API server, job controller and kube-scheduler: a sweep of three runs driven by
 * the {@link SweepRunner} through the {@link KubernetesJobLauncher}, one attempt allowed per run, while the test
 * plays the kubelet. The run whose worker exits with the bad-input code is rejected after one Job; the run whose
 * pod the kubelet evicts and the run whose worker was stopped by SIGTERM are each tried again, without using up
 * their one attempt, and succeed on their second Job.
 */
class WorkerExitsIT {
    private static final String SWEEP = "exits";
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
                List.of("/opt/isoflop/isoflop-worker"), "default", null, "/data",
                KubernetesLaunchConfig.Placement.anywhere(), null, 0, 3600L, 600, 1000,
                new KubernetesLaunchConfig.FitterPod("isoflop-fitter:test", List.of("fitter"), 1, "1Gi"));
    }

    /** The first three runs of the fixture grid, in sweep {@value #SWEEP}, with its directory in {@code sweepDir}. */
    private static IsoFlopPlan plan(Path sweepDir) throws Exception {
        IsoFlopPlan base = IsoFlopPlanner.plan(BudgetSpecLoader.load(Path.of("src", "test", "resources",
                "fixture-spec.yaml")), sweepDir);
        List<RunSpec> runs = base.runs().subList(0, 3).stream().map(b -> new RunSpec(b.schemaVersion(), SWEEP,
                b.runId(), b.budgetFlops(), b.flopConvention(), b.parameterCount(), b.shape(), b.parameters(),
                b.tokens(), b.flopsPerToken(), b.training(), b.data(), b.evalIntervalTokens(), b.seed(),
                new Resources(null, 0, 1, "1Gi"), base.metricsLocation(), b.checkpoint())).toList();
        return new IsoFlopPlan(SWEEP, base.specHash(), sweepDir, runs.size(), runs);
    }

    @Test
    void aBadInputRunIsNotRetriedAndAnEvictedOrSigtermedOneIsRetriedWithoutUsingAnAttempt(@TempDir Path sweepDir)
            throws Exception {
        IsoFlopPlan plan = plan(sweepDir);
        String rejected = plan.runs().get(0).runId();
        String evicted = plan.runs().get(1).runId();
        String stopped = plan.runs().get(2).runId();
        Kubelet kubelet = new Kubelet(Path.of(plan.metricsLocation()), Map.of(rejected, Fate.BAD_INPUT, evicted, Fate.EVICTED,
                stopped, Fate.SIGTERM));
        kubelet.start();
        ExecutorService runnerThread = Executors.newSingleThreadExecutor();
        SweepResult result;
        Map<String, RunRecord> records;
        try (KubernetesSweep sweep = KubernetesSweep.open(cluster.client, config(), plan, new ApiCalls(code -> { }),
                SweepPolicy.kubernetes(TestCluster.NAMESPACE, 3, RetryPolicy.immediate(1)))) {
            Future<SweepResult> running = runnerThread.submit(() -> new SweepRunner(plan, sweep.store(),
                    sweep.launcher(), 3, RetryPolicy.immediate(1), new SweepObserver() { },
                    Duration.ofMillis(200)).run());
            result = running.get(180, TimeUnit.SECONDS);
            records = plan.runs().stream().collect(Collectors.toMap(RunSpec::runId,
                    r -> sweep.store().load(r.runId())));
        } finally {
            runnerThread.shutdownNow();
            kubelet.interrupt();
        }

        RunRecord badInput = records.get(rejected);
        assertEquals(List.of(AttemptRecord.Outcome.REJECTED), outcomes(badInput), "bad input: one attempt, not retried");
        assertEquals(Exit.BAD_INPUT.code(), badInput.attempts().get(0).exitCode(), "the worker's own exit code");
        assertEquals(List.of(AttemptRecord.Outcome.PREEMPTED, AttemptRecord.Outcome.SUCCEEDED),
                outcomes(records.get(evicted)), "evicted, then retried although the run has one attempt");
        assertEquals(Exit.PREEMPTED.code(), records.get(evicted).attempts().get(0).exitCode());
        assertEquals(List.of(AttemptRecord.Outcome.PREEMPTED, AttemptRecord.Outcome.SUCCEEDED),
                outcomes(records.get(stopped)), "stopped by SIGTERM, then retried");
        assertEquals(Exit.PREEMPTED.code(), records.get(stopped).attempts().get(0).exitCode());
        assertEquals(2, result.succeeded());
        assertEquals(List.of(rejected), result.failed());

        Map<String, List<String>> jobsByRun = batch.listNamespacedJob(TestCluster.NAMESPACE)
                .labelSelector(RunNames.sweepSelector(SWEEP)).execute().getItems().stream()
                .collect(Collectors.groupingBy(j -> j.getMetadata().getLabels().get(RunNames.LABEL_RUN),
                        Collectors.mapping(j -> j.getMetadata().getName(), Collectors.toList())));
        assertEquals(List.of(RunNames.attemptJobName(SWEEP, rejected, 1)), jobsByRun.get(rejected),
                "never a second Job for bad input");
        assertEquals(Set.of(RunNames.attemptJobName(SWEEP, evicted, 1), RunNames.attemptJobName(SWEEP, evicted, 2)),
                Set.copyOf(jobsByRun.get(evicted)));
        assertEquals(Set.of(RunNames.attemptJobName(SWEEP, stopped, 1), RunNames.attemptJobName(SWEEP, stopped, 2)),
                Set.copyOf(jobsByRun.get(stopped)));
        assertEquals(5, kubelet.handled.size(), "five pods ran: " + kubelet.handled);

        Map<String, RunRecord> ledger = KubernetesSweep.ledger(cluster.client, TestCluster.NAMESPACE, SWEEP);
        assertEquals(outcomes(records.get(evicted)), outcomes(ledger.get(evicted)), "the ledger keeps the outcomes");
        assertEquals(outcomes(badInput), outcomes(ledger.get(rejected)));
    }

    private static List<AttemptRecord.Outcome> outcomes(RunRecord record) {
        return record.attempts().stream().map(AttemptRecord::outcome).toList();
    }

    /** How a run's first attempt ends; every later attempt writes the final metrics file and succeeds. */
    private enum Fate { BAD_INPUT, EVICTED, SIGTERM }

    /**
     * Stands in for the kubelet and the worker: each pod bound to a node ends once, as its run's {@link Fate} says
     * on attempt 1, and with the final metrics file written and exit 0 on later attempts.
     */
    private static final class Kubelet extends Thread {
        private final Path metricsDir;
        private final Map<String, Fate> fates;
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        Kubelet(Path metricsDir, Map<String, Fate> fates) {
            super("test-kubelet");
            setDaemon(true);
            this.metricsDir = metricsDir;
            this.fates = fates;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                try {
                    for (V1Pod pod : core.listNamespacedPod(TestCluster.NAMESPACE)
                            .labelSelector(RunNames.sweepSelector(SWEEP)).execute().getItems()) {
                        if (pod.getSpec().getNodeName() != null && !handled.contains(pod.getMetadata().getName())) {
                            end(pod);
                            handled.add(pod.getMetadata().getName());
                        }
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("test kubelet: " + e);
                }
            }
        }

        private void end(V1Pod pod) throws Exception {
            String run = pod.getMetadata().getLabels().get(RunNames.LABEL_RUN);
            int attempt = Integer.parseInt(pod.getMetadata().getLabels().get(RunNames.LABEL_ATTEMPT));
            V1Pod fresh = core.readNamespacedPod(pod.getMetadata().getName(), TestCluster.NAMESPACE).execute();
            V1PodStatus status = fresh.getStatus();
            if (attempt > 1) {
                FinalMetrics.write(metricsDir, run, System.currentTimeMillis()); // the run is done
                status.phase("Succeeded").containerStatuses(List.of(FakeKubelet.workerContainer(Exit.DONE.code(), "Completed")));
            } else {
                switch (fates.get(run)) {
                    case BAD_INPUT -> status.phase("Failed").containerStatuses(List.of(FakeKubelet.workerContainer(Exit.BAD_INPUT.code(),
                            "Error")));
                    // what the container ended with does not matter: the kubelet took the pod away
                    case EVICTED -> status.phase("Failed").reason(PodOutcomes.EVICTED)
                            .message("The node was low on resource: memory.")
                            .containerStatuses(List.of(FakeKubelet.workerContainer(Exit.FAILED.code(), "Error")));
                    case SIGTERM -> status.phase("Failed").containerStatuses(List.of(FakeKubelet.workerContainer(Exit.PREEMPTED.code(),
                            "Error")));
                }
            }
            core.replaceNamespacedPodStatus(fresh.getMetadata().getName(), TestCluster.NAMESPACE, fresh).execute();
        }
    }
}
