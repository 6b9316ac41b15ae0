package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the kubelet and the container on the test cluster's fake nodes: a pod bound to a node "runs"
 * for a moment (0.5–2 s unless told otherwise), leaves behind what its container would ({@link Work}, e.g. a worker's
 * final metrics file on the shared volume), and ends with the exit code the work returns: Succeeded on 0, Failed
 * otherwise. Every pod is ended once; {@link #completed} names them.
 */
final class FakeKubelet extends Thread {
    /** What the pod's container leaves behind, and the exit code it ends with. */
    @FunctionalInterface
    interface Work {
        int finish(V1Pod pod) throws IOException;
    }

    private final CoreV1Api core;
    private final String selector;
    private final Random random;
    private final Work work;
    private final int minMillis;
    private final int maxMillis;
    private final Map<String, Long> finishAt = new HashMap<>();
    final Set<String> completed = ConcurrentHashMap.newKeySet();

    FakeKubelet(CoreV1Api core, String selector, Random random, Work work) {
        this(core, selector, random, work, 500, 2000);
    }

    /** Pods "run" between {@code minMillis} and {@code maxMillis}. */
    FakeKubelet(CoreV1Api core, String selector, Random random, Work work, int minMillis, int maxMillis) {
        super("fake-kubelet");
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        setDaemon(true);
        this.core = core;
        this.selector = selector;
        this.random = random;
        this.work = work;
    }

    @Override
    public void run() {
        while (!isInterrupted()) {
            try {
                for (V1Pod pod : core.listNamespacedPod(TestCluster.NAMESPACE).labelSelector(selector).execute()
                        .getItems()) {
                    step(pod);
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.out.println("fake kubelet: " + e);
            }
        }
    }

    private void step(V1Pod pod) throws Exception {
        String name = pod.getMetadata().getName();
        boolean pending = pod.getStatus() == null || pod.getStatus().getPhase() == null
                || "Pending".equals(pod.getStatus().getPhase());
        if (pod.getSpec().getNodeName() == null || !pending || completed.contains(name)) {
            return;
        }
        long now = System.nanoTime();
        long due = finishAt.computeIfAbsent(name, n -> now + (minMillis + random.nextInt(maxMillis - minMillis)) * 1_000_000L);
        if (now < due) {
            return;
        }
        int exitCode = work.finish(pod);
        V1Pod fresh = core.readNamespacedPod(name, TestCluster.NAMESPACE).execute();
        fresh.getStatus().phase(exitCode == 0 ? "Succeeded" : "Failed").containerStatuses(List.of(
                workerContainer(exitCode, exitCode == 0 ? "Completed" : "Error")));
        core.replaceNamespacedPodStatus(name, TestCluster.NAMESPACE, fresh).execute();
        completed.add(name);
    }

    /** The worker container's status, terminated with this code. */
    static V1ContainerStatus workerContainer(int exitCode, String reason) {
        return new V1ContainerStatus().name(JobManifests.WORKER_CONTAINER).image("isoflop-worker:test")
                .imageID("").ready(false).restartCount(0).started(false)
                .state(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(exitCode)
                        .reason(reason)));
    }
}
