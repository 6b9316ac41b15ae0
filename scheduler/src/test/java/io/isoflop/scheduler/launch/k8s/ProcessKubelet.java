package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.scheduler.launch.local.ProcessCommand;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the kubelet on the test cluster's fake nodes by running each bound pod's worker container as a real
 * worker process on this machine (and a fitter Job's pod, when the selector picks fitters, as a real fitter process,
 * never interrupted): the installation's worker command in place of the image's, the container's
 * environment (the run spec included) as the pod declares it, the node's name filled in. Some pods are interrupted
 * at a random instant, as a node drain (SIGTERM) or a node lost or out of memory (SIGKILL) would; when the process
 * ends, the pod ends with its exit code. The first pod is stopped with SIGTERM and the second killed while
 * they start, the third stopped with SIGTERM once it has a checkpoint, then {@code interruptShare} of the others
 * are interrupted either way; at most one SIGKILL per run, so that no run
 * runs out of attempts. {@link #sigterms} and {@link #sigkills} count the interruptions that took, by run (a
 * worker that finished before the signal ended 0 and is not counted).
 */
final class ProcessKubelet extends Thread {
    /** A worker process started for a pod, and how it is to be interrupted (if at all). */
    private record Started(Process process, long interruptAtNanos, boolean kill, boolean interrupted,
            Path afterCheckpointIn) {}

    private final CoreV1Api core;
    private final String selector;
    private final Path logs;
    private final Random random;
    private final double interruptShare;
    private final Map<String, Started> running = new ConcurrentHashMap<>();
    private final Set<String> killedRuns = ConcurrentHashMap.newKeySet();
    private int podsStarted;
    final Set<String> ended = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> sigterms = new ConcurrentHashMap<>();
    final Map<String, Integer> sigkills = new ConcurrentHashMap<>();

    ProcessKubelet(CoreV1Api core, String selector, Path logs, Random random, double interruptShare) {
        super("process-kubelet");
        setDaemon(true);
        this.core = core;
        this.selector = selector;
        this.logs = logs;
        this.random = random;
        this.interruptShare = interruptShare;
    }

    @Override
    public void run() {
        try {
            while (!isInterrupted()) {
                try {
                    for (V1Pod pod : core.listNamespacedPod(TestCluster.NAMESPACE).labelSelector(selector).execute()
                            .getItems()) {
                        step(pod);
                    }
                } catch (IOException | RuntimeException | io.kubernetes.client.openapi.ApiException e) {
                    System.out.println("process kubelet: " + e);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            // stopped
        } finally {
            running.values().forEach(s -> s.process().destroyForcibly());
        }
    }

    private void step(V1Pod pod) throws IOException, io.kubernetes.client.openapi.ApiException {
        String name = pod.getMetadata().getName();
        if (pod.getSpec().getNodeName() == null || ended.contains(name)) {
            return;
        }
        Started started = running.get(name);
        if (started == null) {
            running.put(name, start(pod));
            return;
        }
        if (started.process().isAlive()) {
            boolean due = started.interruptAtNanos() > 0 && System.nanoTime() >= started.interruptAtNanos()
                    || started.afterCheckpointIn() != null && hasCheckpoint(started.afterCheckpointIn());
            if (due) {
                if (started.kill()) {
                    started.process().destroyForcibly();
                } else {
                    started.process().destroy();
                }
                running.put(name, new Started(started.process(), 0, started.kill(), true, null));
            }
            return;
        }
        int exitCode = started.process().exitValue();
        if (started.interrupted() && exitCode != 0) {
            String run = pod.getMetadata().getLabels().get(RunNames.LABEL_RUN);
            (started.kill() ? sigkills : sigterms).merge(run, 1, Integer::sum);
        }
        V1Pod fresh = core.readNamespacedPod(name, TestCluster.NAMESPACE).execute();
        fresh.getStatus().phase(exitCode == 0 ? "Succeeded" : "Failed").containerStatuses(List.of(
                FakeKubelet.workerContainer(exitCode, exitCode == 0 ? "Completed" : "Error")));
        core.replaceNamespacedPodStatus(name, TestCluster.NAMESPACE, fresh).execute();
        ended.add(name);
        running.remove(name);
    }

    private static boolean hasCheckpoint(Path directory) {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("step-"));
        } catch (IOException e) {
            return false; // not there yet
        }
    }

    private Started start(V1Pod pod) throws IOException, io.kubernetes.client.openapi.ApiException {
        String name = pod.getMetadata().getName();
        String run = pod.getMetadata().getLabels().get(RunNames.LABEL_RUN);
        V1Container container = pod.getSpec().getContainers().get(0);
        boolean fitter = "fitter".equals(pod.getMetadata().getLabels().get(RunNames.LABEL_ROLE));
        // a fitter pod runs the installation's fitter with the Job's arguments (its command after the image's
        // entrypoint), never interrupted
        List<String> command = fitter
                ? ProcessCommand.fitter(TestCluster.HOME).command(container.getCommand().subList(1,
                        container.getCommand().size()))
                : ProcessCommand.worker(TestCluster.HOME).command(List.of());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        Map<String, String> environment = builder.environment();
        for (V1EnvVar variable : container.getEnv()) {
            if (variable.getValue() != null) {
                environment.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                var ref = variable.getValueFrom().getSecretKeyRef(); // as the kubelet fills it in: from the Secret
                byte[] value = core.readNamespacedSecret(ref.getName(), TestCluster.NAMESPACE).execute().getData()
                        .get(ref.getKey());
                environment.put(variable.getName(), new String(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        environment.put(WorkerProtocol.NODE_NAME_ENV, pod.getSpec().getNodeName());
        environment.put(WorkerProtocol.METRICS_PORT_ENV, "0"); // every "pod" shares this host's ports
        environment.put("OMP_NUM_THREADS", "1");
        Files.createDirectories(logs);
        Process process = builder.start();
        if (fitter) {
            return new Started(process, 0, false, false, null);
        }
        podsStarted++;
        if (podsStarted == 3) { // stopped once it has a checkpoint: its next Job surely resumes
            RunSpec spec = RunSpecCodec.fromJson(environment.get(WorkerProtocol.RUN_SPEC_JSON_ENV));
            return new Started(process, 0, false, false, MetricsLayout.checkpointDir(Path.of(spec.metricsDir()),
                    spec.runId()));
        }
        if (podsStarted > 3 && random.nextDouble() >= interruptShare) {
            return new Started(process, 0, false, false, null);
        }
        boolean kill = (podsStarted == 2 || podsStarted > 2 && random.nextBoolean()) && killedRuns.add(run);
        // the first two land while the worker is still starting (it cannot have finished), so both kinds surely take
        long delay = podsStarted <= 2 ? 1_000_000_000L + (long) (random.nextDouble() * 1_500_000_000L)
                : 1_500_000_000L + (long) (random.nextDouble() * 4_500_000_000L);
        return new Started(process, System.nanoTime() + delay, kill, false, null);
    }
}
