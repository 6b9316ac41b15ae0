package io.isoflop.scheduler.launch.k8s;

import java.util.List;
import java.util.Map;

/**
 * How this installation runs workers on Kubernetes: image and command (the same entrypoint as local processes,
 * reading the run spec from its environment), where metrics go (a shared volume claim mounted at the path
 * the run specs name), scheduling constraints, and the Job's lifetime limits.
 *
 * @param sharedClaim a PersistentVolumeClaim mounted at {@code sharedMountPath} in every worker; the sweep
 *     directory (and so each run's metricsDir) must lie under that path; null when metrics go elsewhere
 * @param kueueQueue optional Kueue LocalQueue name, added as the queue label; null for none
 * @param activeDeadlineSeconds per-attempt wall-clock limit; null for none
 * @param fitter the fitter Job's image, command and resources
 * @param objectStore how workers and the fitter reach the object store a sweep's output may name (the endpoint and
 *     addressing, and a Secret with keys where there is no IAM role for the service account); null: AWS S3 with the
 *     pods' own credentials (IRSA)
 */
public record KubernetesLaunchConfig(
        String namespace,
        String workerImage,
        List<String> workerCommand,
        String serviceAccountName,
        String sharedClaim,
        String sharedMountPath,
        Placement placement,
        String kueueQueue,
        int backoffLimit,
        Long activeDeadlineSeconds,
        int ttlSecondsAfterFinished,
        long runAsUser,
        FitterPod fitter,
        ObjectStoreAccess objectStore) {

    public KubernetesLaunchConfig {
        workerCommand = List.copyOf(workerCommand);
    }

    /** An installation without object store settings (a shared volume, or AWS S3 through IRSA). */
    public KubernetesLaunchConfig(String namespace, String workerImage, List<String> workerCommand,
            String serviceAccountName, String sharedClaim, String sharedMountPath, Placement placement,
            String kueueQueue, int backoffLimit, Long activeDeadlineSeconds, int ttlSecondsAfterFinished,
            long runAsUser, FitterPod fitter) {
        this(namespace, workerImage, workerCommand, serviceAccountName, sharedClaim, sharedMountPath, placement,
                kueueQueue, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, runAsUser, fitter, null);
    }

    /**
     * What the pods are told of the object store ({@link io.isoflop.contracts.ObjectStore}'s variables).
     *
     * @param endpoint an S3-compatible endpoint URL; null for AWS S3
     * @param region null to leave it to the pod (EKS's IRSA webhook sets it)
     * @param credentialsSecret a Secret in the namespace with keys {@code AWS_ACCESS_KEY_ID} and
     *     {@code AWS_SECRET_ACCESS_KEY}, handed to the pods by reference (never read by the scheduler); null when the
     *     pods' service account has an IAM role (IRSA)
     */
    public record ObjectStoreAccess(String endpoint, String region, boolean pathStyle, String credentialsSecret) {}

    /**
     * The fitter's pod: Spark in local mode on {@code cpu} cores, reading and writing the shared volume.
     *
     * @param memory a Kubernetes quantity, e.g. {@code 16Gi}
     */
    public record FitterPod(String image, List<String> command, int cpu, String memory,
            SparkApplication sparkApplication) {
        public FitterPod {
            command = List.copyOf(command);
        }

        /** The fitter as a Job of its own (no Spark operator). */
        public FitterPod(String image, List<String> command, int cpu, String memory) {
            this(image, command, cpu, memory, null);
        }
    }

    /**
     * The fitter as a {@code SparkApplication} of the Spark operator (sparkoperator.k8s.io/v1beta2) instead of a
     * Job: a driver and {@code executors} executors, the image's Spark entrypoint (the image's spark-fitter
     * target), the fitter's own jars on {@code classPath}.
     */
    public record SparkApplication(String image, String serviceAccountName, String sparkVersion,
            String mainApplicationFile, String classPath, int executors, int executorCores, String executorMemory,
            String driverMemory) {}

    /**
     * Where worker pods may run: a node selector, tolerations (e.g. of the GPU nodes' taint) and an affinity
     * (as the PodSpec's JSON), all from the installation's config; with {@code gpuTypeLabel} set, a run's
     * {@code resources.gpu_type} also selects nodes by that label (e.g. {@code isoflop.io/gpu-type: h100}).
     */
    public record Placement(Map<String, String> nodeSelector, List<Toleration> tolerations, String gpuTypeLabel,
            String affinityJson) {
        public Placement {
            nodeSelector = Map.copyOf(nodeSelector);
            tolerations = List.copyOf(tolerations);
        }

        public static Placement anywhere() {
            return new Placement(Map.of(), List.of(), null, null);
        }
    }

    /** A toleration as in a PodSpec; {@code operator} is Equal or Exists. */
    public record Toleration(String key, String operator, String value, String effect) {}
}
