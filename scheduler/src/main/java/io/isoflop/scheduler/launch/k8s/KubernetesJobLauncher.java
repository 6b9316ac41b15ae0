package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each run attempt as a {@code batch/v1} Job (see {@link JobManifests}) carrying its run spec, each owned by
 * the {@link SweepConfigMap} so that deleting the sweep deletes them. Jobs are followed with one shared
 * informer per sweep (a watch, relisted by the informer after 410 Gone), never by polling each run; the informer's
 * cache is also where an earlier scheduler's attempts are found again. Creation is idempotent: each attempt has its
 * own Job name ({@code -a1}, {@code -a2}, ...) and a Job that already exists (409) is followed, not created twice.
 * The Job itself never retries ({@code backoffLimit 0}). An ended attempt's exit code is the worker's, read from
 * its pod ({@link PodOutcomes}), so that the caller retries it as it would a local process. The caller records the
 * attempts.
 */
public final class KubernetesJobLauncher implements Launcher, AutoCloseable {
    private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofSeconds(120);
    /** The label the job controller puts on each pod of a Job: the Job's name. */
    private static final String JOB_NAME_LABEL = "job-name";
    /** The pod cache's index of pods by their Job's name. */
    private static final String BY_JOB = "by-job";

    private final KubernetesLaunchConfig config;
    private final String sweep;
    private final SweepConfigMap sweepMap;
    private final ApiCalls api;
    private final BatchV1Api batch;
    private final CoreV1Api core;
    private final SharedInformerFactory informers;
    private final SharedIndexInformer<V1Job> jobs;
    private final SharedIndexInformer<V1Pod> pods;
    private final Map<String, CompletableFuture<Integer>> followed = new ConcurrentHashMap<>();
    private final FitterLauncher fitters;

    /**
     * Starts the sweep's Job and Pod informers and waits until their caches hold what the API server has.
     *
     * @throws IOException if the caches do not fill within two minutes (API server unreachable, no rights)
     */
    public KubernetesJobLauncher(ApiClient client, KubernetesLaunchConfig config, String sweep,
            SweepConfigMap sweepMap, ApiCalls api) throws IOException {
        this.config = config;
        this.sweep = sweep;
        this.sweepMap = sweepMap;
        this.api = api;
        this.batch = new BatchV1Api(client);
        this.core = new CoreV1Api(client);
        this.informers = new SharedInformerFactory(client);
        this.fitters = new FitterLauncher(config.fitter().sparkApplication() == null
                ? new FitterJobs(batch, api, config, sweep)
                : new FitterSparkApplications(new CustomObjectsApi(client), api, config, sweep), sweepMap, sweep);
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
                String name = job.getMetadata().getName();
                CompletableFuture<Integer> exit = followed.remove(name);
                if (exit != null) {
                    exit.complete(PodOutcomes.exitCode(job, podsOf(name)).orElse(JobOutcomes.FAILED));
                }
            }
        });
        this.pods = informers.sharedIndexInformerFor(params -> core.listNamespacedPod(config.namespace())
                .labelSelector(selector)
                .resourceVersion(params.resourceVersion)
                .timeoutSeconds(params.timeoutSeconds)
                .watch(params.watch)
                .buildCall(null), V1Pod.class, V1PodList.class);
        pods.addIndexers(Map.of(BY_JOB, pod -> jobOf(pod).map(List::of).orElse(List.of())));
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onUpdate(V1Pod before, V1Pod after) {
                podChanged(after);
            }

            @Override
            public void onDelete(V1Pod pod, boolean stateUnknown) {
                podChanged(pod);
            }
        });
        informers.startAllRegisteredInformers();
        awaitCaches();
    }

    /**
     * Attempts the cluster cannot place, by Job name, with the scheduler's reason (e.g. "0/2 nodes are
     * available: 2 Insufficient nvidia.com/gpu."): read from the pod informer's cache, no API call.
     */
    public Map<String, String> unschedulable() {
        Map<String, String> reasons = new TreeMap<>();
        for (V1Pod pod : pods.getIndexer().list()) {
            String job = jobOf(pod).orElse(null);
            PodConditions.unschedulable(pod).ifPresent(message -> reasons.put(job, message));
        }
        return reasons;
    }

    /**
     * Creates attempt {@code attempt}'s Job ({@code -a<n>}) and follows it. A Job of that name that already exists
     * (a scheduler died after creating it and before its ledger said so) is followed, not created twice, so the
     * attempt is counted by what it did, whatever instant the scheduler died.
     */
    @Override
    public RunHandle start(RunSpec spec, int attempt) throws IOException {
        String name = RunNames.attemptJobName(spec.sweep(), spec.runId(), attempt);
        try {
            V1OwnerReference owner = sweepMap.owner();
            api.createIfAbsent(() -> batch.createNamespacedJob(config.namespace(),
                    JobManifests.workerJob(spec, attempt, config, owner)).execute());
        } catch (ApiException e) {
            throw new IOException("cannot create Job " + name + ": HTTP " + e.getCode() + " " + e.getResponseBody(), e);
        }
        return follow(name);
    }

    /**
     * Attempt {@code attempt}'s Job, found again through the informer's cache. The attempt is on record, and the
     * sweep runner records an attempt before it creates the Job: a Job that is not there was never created (the
     * scheduler died in between), so it is created now, under the attempt's own name, rather than the attempt
     * counted as lost.
     */
    @Override
    public Optional<RunHandle> adopt(RunSpec spec, int attempt) throws IOException {
        String name = RunNames.attemptJobName(spec.sweep(), spec.runId(), attempt);
        V1Job job = jobs.getIndexer().getByKey(config.namespace() + "/" + name);
        return Optional.of(job != null ? follow(name) : start(spec, attempt));
    }

    /** The fitter on the cluster: a Job, or a Spark operator application (the cluster config's choice). */
    @Override
    public RunHandle startFitter(FitInput input, FitTarget target) throws IOException {
        return fitters.start(input, target);
    }

    private RunHandle follow(String name) {
        CompletableFuture<Integer> exit = followed.computeIfAbsent(name, n -> new CompletableFuture<>());
        V1Job cached = jobs.getIndexer().getByKey(config.namespace() + "/" + name);
        if (cached != null) {
            settle(cached);
        }
        return RunHandle.of(name, exit, () -> delete(name));
    }

    private void delete(String name) {
        try {
            batch.deleteNamespacedJob(name, config.namespace()).propagationPolicy("Background").execute();
        } catch (ApiException e) {
            // already gone, or the API server is unreachable: the Job ends by its own deadline
        }
    }

    /**
     * Completes a followed attempt once its Job has ended, with the worker's exit as its pod tells it (see
     * {@link PodOutcomes}). Called on the Job's events and on its pods': the Failed condition may reach the Job
     * cache before the pod's final status reaches the pod cache, and then the pod's update settles it.
     */
    private void settle(V1Job job) {
        String name = job.getMetadata().getName();
        if (!followed.containsKey(name)) {
            return;
        }
        PodOutcomes.exitCode(job, podsOf(name)).ifPresent(code -> {
            CompletableFuture<Integer> exit = followed.remove(name);
            if (exit != null) {
                exit.complete(code);
            }
        });
    }

    private void podChanged(V1Pod pod) {
        jobOf(pod).filter(followed::containsKey)
                .map(job -> jobs.getIndexer().getByKey(config.namespace() + "/" + job))
                .ifPresent(this::settle);
    }

    /** The Job's pods in the pod cache. */
    private List<V1Pod> podsOf(String job) {
        return pods.getIndexer().byIndex(BY_JOB, job);
    }

    /** The Job a pod belongs to, by the label the job controller puts on it. */
    private static Optional<String> jobOf(V1Pod pod) {
        Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return Optional.ofNullable(labels == null ? null : labels.get(JOB_NAME_LABEL));
    }

    private void awaitCaches() throws IOException {
        long deadline = System.nanoTime() + CACHE_SYNC_TIMEOUT.toNanos();
        while (!(jobs.hasSynced() && pods.hasSynced())) {
            if (System.nanoTime() > deadline) {
                informers.stopAllRegisteredInformers();
                throw new IOException("the Job and Pod lists of namespace " + config.namespace()
                        + " did not load within " + CACHE_SYNC_TIMEOUT.toSeconds() + " s (API server unreachable,"
                        + " or the service account may not list/watch jobs and pods there)");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while loading the Job list", e);
            }
        }
    }

    @Override
    public void close() {
        informers.stopAllRegisteredInformers();
    }
}
