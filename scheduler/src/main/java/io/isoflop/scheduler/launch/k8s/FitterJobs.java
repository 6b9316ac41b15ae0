package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.List;
import java.util.Optional;

/** The fitter as a {@code batch/v1} Job: Spark in local mode on the pod's CPUs (see {@link JobManifests}). */
final class FitterJobs implements FitterKind {
    private final BatchV1Api batch;
    private final ApiCalls api;
    private final KubernetesLaunchConfig config;
    private final String sweep;

    FitterJobs(BatchV1Api batch, ApiCalls api, KubernetesLaunchConfig config, String sweep) {
        this.batch = batch;
        this.api = api;
        this.config = config;
        this.sweep = sweep;
    }

    @Override
    public List<Attempt> attempts() throws ApiException {
        return api.call(() -> batch.listNamespacedJob(config.namespace()).labelSelector(RunNames.fitterSelector(sweep))
                .execute()).getItems().stream()
                .map(job -> new Attempt(job.getMetadata().getName(), RunNames.attemptOf(job.getMetadata()),
                        JobOutcomes.exitCode(job)))
                .toList();
    }

    @Override
    public String create(int number, List<String> arguments, V1OwnerReference owner) throws ApiException {
        V1Job job = JobManifests.fitterJob(sweep, number, arguments, config, owner);
        api.createIfAbsent(() -> batch.createNamespacedJob(config.namespace(), job).execute());
        return job.getMetadata().getName();
    }

    @Override
    public Optional<Integer> outcome(String name) throws ApiException {
        return JobOutcomes.exitCode(api.call(() -> batch.readNamespacedJob(name, config.namespace()).execute()));
    }

    @Override
    public void delete(String name) {
        try {
            batch.deleteNamespacedJob(name, config.namespace()).propagationPolicy("Background").execute();
        } catch (ApiException e) {
            // already gone, or the API server is unreachable: the Job ends by its own deadline
        }
    }
}
