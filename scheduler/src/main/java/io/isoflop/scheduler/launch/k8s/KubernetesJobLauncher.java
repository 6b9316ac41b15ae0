package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each run attempt as a {@code batch/v1} Job (see {@link JobManifests}), its run spec in a ConfigMap, all
 * owned by one per-sweep ConfigMap so that deleting the sweep deletes them. Jobs are followed with one shared
 * informer per sweep (a watch, relisted by the informer after 410 Gone), never by polling each run. Creation is
 * idempotent: a Job that already exists (409) is followed, not created twice, and a run's unfinished attempt is
 * found again from the API server by its labels, so a restarted scheduler never starts a second one. Each retry
 * is a new Job ({@code -a2}, {@code -a3}, ...); the Job itself never retries ({@code backoffLimit 0}).
 */
public final class KubernetesJobLauncher implements Launcher, AutoCloseable {
    private final KubernetesLaunchConfig config;
    private final String sweep;
    private final BatchV1Api batch;
    private final CoreV1Api core;
    private final SharedInformerFactory informers;
    private final SharedIndexInformer<V1Job> jobs;
    private final SharedIndexInformer<V1Pod> pods;
    private final Map<String, CompletableFuture<Integer>> followed = new ConcurrentHashMap<>();
    private V1OwnerReference sweepOwner;

    public KubernetesJobLauncher(ApiClient client, KubernetesLaunchConfig config, String sweep) {
        this.config = config;
        this.sweep = sweep;
        this.batch = new BatchV1Api(client);
        this.core = new CoreV1Api(client);
        this.informers = new SharedInformerFactory(client);
        String selector = RunNames.sweepSelector(sweep);
        this.jobs = informers.sharedIndexInformerFor(params -> batch.listNamespacedJob(config.namespace())
                .labelSelector(selector)
                .resourceVersion(params.resourceVersion)
                .timeoutSeconds(params.timeoutSeconds)
                .watch(params.watch)
                .buildCall(null), V1Job.class, V1JobList.class);
        jobs.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Job job) {
                settle(job);
            }

            @Override
            public void onUpdate(V1Job before, V1Job after) {
                settle(after);
            }

            @Override
            public void onDelete(V1Job job, boolean stateUnknown) {
                CompletableFuture<Integer> exit = followed.remove(job.getMetadata().getName());
                if (exit != null) {
                    exit.complete(JobOutcomes.exitCode(job).orElse(JobOutcomes.FAILED));
                }
            }
        });
        this.pods = informers.sharedIndexInformerFor(params -> core.listNamespacedPod(config.namespace())
                .labelSelector(selector)
                .resourceVersion(params.resourceVersion)
                .timeoutSeconds(params.timeoutSeconds)
                .watch(params.watch)
                .buildCall(null), V1Pod.class, V1PodList.class);
        informers.startAllRegisteredInformers();
    }

    /**
     * Attempts the cluster cannot place, by Job name, with the scheduler's reason (e.g. "0/2 nodes are
     * available: 2 Insufficient nvidia.com/gpu."): read from the pod informer's cache, no API call.
     */
    public Map<String, String> unschedulable() {
        Map<String, String> reasons = new TreeMap<>();
        for (V1Pod pod : pods.getIndexer().list()) {
            String job = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("job-name");
            PodConditions.unschedulable(pod).ifPresent(message -> reasons.put(job, message));
        }
        return reasons;
    }

    /**
     * Follows the run's latest attempt if it is still going (a restarted scheduler must not start a second
     * one); otherwise creates the next attempt's Job, named {@code -a<n>} after the first.
     */
    @Override
    public RunHandle start(RunSpec spec) throws IOException {
        Optional<V1Job> latest = latestAttempt(spec);
        if (latest.isPresent() && JobOutcomes.exitCode(latest.get()).isEmpty()) {
            return follow(latest.get().getMetadata().getName());
        }
        int attempt = latest.map(KubernetesJobLauncher::attemptOf).orElse(0) + 1;
        String name = RunNames.attemptJobName(spec.sweep(), spec.runId(), attempt);
        try {
            V1OwnerReference owner = sweepOwner();
            ApiCalls.createIfAbsent(() -> core.createNamespacedConfigMap(config.namespace(),
                    JobManifests.runSpecConfigMap(spec, config, owner)).execute());
            ApiCalls.createIfAbsent(() -> batch.createNamespacedJob(config.namespace(),
                    JobManifests.workerJob(spec, attempt, config, owner)).execute());
        } catch (ApiException e) {
            throw new IOException("cannot create Job " + name + ": HTTP " + e.getCode() + " " + e.getResponseBody(), e);
        }
        return follow(name);
    }

    /** The run's latest attempt, found again from the API server. */
    @Override
    public Optional<RunHandle> adopt(RunSpec spec) throws IOException {
        Optional<V1Job> latest = latestAttempt(spec);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        RunHandle handle = follow(latest.get().getMetadata().getName());
        JobOutcomes.exitCode(latest.get()).ifPresent(code -> handle.exit().complete(code));
        return Optional.of(handle);
    }

    private Optional<V1Job> latestAttempt(RunSpec spec) throws IOException {
        try {
            List<V1Job> attempts = ApiCalls.withBackoff(() -> batch.listNamespacedJob(config.namespace())
                    .labelSelector(RunNames.runSelector(spec)).execute()).getItems();
            return attempts.stream().max(Comparator.comparingInt(KubernetesJobLauncher::attemptOf));
        } catch (ApiException e) {
            throw new IOException("cannot list the Jobs of run " + spec.runId() + ": HTTP " + e.getCode(), e);
        }
    }

    private static int attemptOf(V1Job job) {
        String value = job.getMetadata().getLabels() == null ? null
                : job.getMetadata().getLabels().get(RunNames.LABEL_ATTEMPT);
        return value == null ? 1 : Integer.parseInt(value);
    }

    @Override
    public RunHandle startFitter(FitInput input, Path outputDir) {
        throw new UnsupportedOperationException("the fitter Job is not implemented yet (issue 3)");
    }

    private RunHandle follow(String name) {
        CompletableFuture<Integer> exit = followed.computeIfAbsent(name, n -> new CompletableFuture<>());
        V1Job cached = jobs.getIndexer().getByKey(config.namespace() + "/" + name);
        if (cached != null) {
            settle(cached);
        }
        return RunHandle.of(name, exit, () -> {
            try {
                batch.deleteNamespacedJob(name, config.namespace()).propagationPolicy("Background").execute();
            } catch (ApiException e) {
                // already gone, or the API server is unreachable: the Job ends by its own deadline
            }
        });
    }

    private void settle(V1Job job) {
        String name = job.getMetadata().getName();
        JobOutcomes.exitCode(job).ifPresent(code -> {
            CompletableFuture<Integer> exit = followed.remove(name);
            if (exit != null) {
                exit.complete(code);
            }
        });
    }

    /** The per-sweep ConfigMap that owns every object of the sweep (created once, found again after restarts). */
    private synchronized V1OwnerReference sweepOwner() throws ApiException {
        if (sweepOwner == null) {
            String name = RunNames.sweepObjectName(sweep);
            V1ConfigMap created = ApiCalls.createIfAbsent(() -> core.createNamespacedConfigMap(config.namespace(),
                    new V1ConfigMap().metadata(new V1ObjectMeta().name(name).namespace(config.namespace())
                            .labels(RunNames.sweepLabels(sweep)))
                            .data(Map.of("sweep", sweep))).execute());
            V1ConfigMap owner = created != null ? created
                    : ApiCalls.withBackoff(() -> core.readNamespacedConfigMap(name, config.namespace()).execute());
            sweepOwner = new V1OwnerReference().apiVersion("v1").kind("ConfigMap").name(name)
                    .uid(owner.getMetadata().getUid()).blockOwnerDeletion(false);
        }
        return sweepOwner;
    }

    @Override
    public void close() {
        informers.stopAllRegisteredInformers();
    }
}
