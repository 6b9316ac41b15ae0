package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.RunHandle;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.RunStore;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * cache, indexed by run, is also where a run's attempts are looked up. Creation is idempotent: a Job that already
 * exists (409) is followed, not created twice, and a run's unfinished attempt is found again by its labels, so a
 * restarted scheduler never starts a second one. Each retry is a new Job ({@code -a2}, {@code -a3}, ...); the Job
 * itself never retries ({@code backoffLimit 0}). Attempts are recorded in the sweep's {@link RunStore}.
 */
public final class KubernetesJobLauncher implements Launcher, AutoCloseable {
    private static final String BY_RUN = "run";
    private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofSeconds(120);

    private final KubernetesLaunchConfig config;
    private final String sweep;
    private final RunStore store;
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
    public KubernetesJobLauncher(ApiClient client, KubernetesLaunchConfig config, String sweep, RunStore store,
            SweepConfigMap sweepMap, ApiCalls api) throws IOException {
        this.config = config;
        this.sweep = sweep;
        this.store = store;
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
        jobs.addIndexers(Map.of(BY_RUN, job -> List.of(label(job, RunNames.LABEL_RUN))));
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
        awaitCaches();
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
     * one); otherwise creates the next attempt's Job, numbered after every attempt either the API server or the
     * run ledger knows of, so that a name is never used twice even after old Jobs were garbage-collected.
     */
    @Override
    public RunHandle start(RunSpec spec) throws IOException {
        Optional<V1Job> latest = latestAttempt(spec.runId());
        RunRecord record = store.load(spec.runId());
        if (latest.isPresent() && JobOutcomes.exitCode(latest.get()).isEmpty()) {
            store.save(running(record, attemptOf(latest.get())));
            return follow(latest.get().getMetadata().getName());
        }
        int attempt = Math.max(latest.map(KubernetesJobLauncher::attemptOf).orElse(0), record.attempts().size()) + 1;
        String name = RunNames.attemptJobName(spec.sweep(), spec.runId(), attempt);
        try {
            V1OwnerReference owner = sweepMap.owner();
            api.createIfAbsent(() -> batch.createNamespacedJob(config.namespace(),
                    JobManifests.workerJob(spec, attempt, config, owner)).execute());
        } catch (ApiException e) {
            throw new IOException("cannot create Job " + name + ": HTTP " + e.getCode() + " " + e.getResponseBody(), e);
        }
        store.save(running(record, attempt));
        return follow(name);
    }

    /** The run's latest attempt, found again from the API server (through the informer's cache). */
    @Override
    public Optional<RunHandle> adopt(RunSpec spec) throws IOException {
        Optional<V1Job> latest = latestAttempt(spec.runId());
        RunRecord record = store.load(spec.runId());
        if (latest.isEmpty() || attemptOf(latest.get()) < record.attempts().size()) {
            return Optional.empty(); // the recorded attempt's Job is gone
        }
        store.save(running(record, attemptOf(latest.get())));
        RunHandle handle = follow(latest.get().getMetadata().getName());
        JobOutcomes.exitCode(latest.get()).ifPresent(code -> handle.exit().complete(code));
        return Optional.of(handle);
    }

    /**
     * The run's record with attempt {@code number} running: attempts between the last recorded one and it (Jobs
     * started by a scheduler that died before writing its ledger, and ended since) count as failed.
     */
    static RunRecord running(RunRecord record, int number) {
        List<AttemptRecord> attempts = new ArrayList<>(record.attempts().subList(0,
                Math.min(record.attempts().size(), number - 1)));
        while (attempts.size() < number - 1) {
            attempts.add(new AttemptRecord(attempts.size() + 1, 0, null, null, null, null,
                    AttemptRecord.Outcome.FAILED));
        }
        attempts.add(new AttemptRecord(number, 0, null, Instant.now().toString(), null, null,
                AttemptRecord.Outcome.RUNNING));
        return new RunRecord(record.runId(), attempts);
    }

    private Optional<V1Job> latestAttempt(String runId) {
        return jobs.getIndexer().byIndex(BY_RUN, RunNames.labelValue(runId)).stream()
                .max(Comparator.comparingInt(KubernetesJobLauncher::attemptOf));
    }

    private static int attemptOf(V1Job job) {
        return RunNames.attemptOf(job.getMetadata());
    }

    private static String label(V1Job job, String key) {
        return job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(key);
    }

    /** The fitter on the cluster: a Job, or a Spark operator application (the cluster config's choice). */
    @Override
    public RunHandle startFitter(FitInput input, Path outputDir) throws IOException {
        return fitters.start(input, outputDir);
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

    private void settle(V1Job job) {
        String name = job.getMetadata().getName();
        JobOutcomes.exitCode(job).ifPresent(code -> {
            CompletableFuture<Integer> exit = followed.remove(name);
            if (exit != null) {
                exit.complete(code);
            }
        });
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
