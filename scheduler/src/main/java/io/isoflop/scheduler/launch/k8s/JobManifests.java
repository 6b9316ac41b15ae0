package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.WorkerProtocol;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Affinity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Kubernetes objects of one run from its {@link RunSpec} and the installation's
 * {@link KubernetesLaunchConfig}. Plain objects, no client: what is built here is what gets applied.
 */
public final class JobManifests {
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    /** The worker Job's one container, whose exit code {@link PodOutcomes} reads from the pod's status. */
    static final String WORKER_CONTAINER = "worker";
    /** Where each worker pod serves its Prometheus metrics (k8s/monitoring scrapes it). */
    public static final int WORKER_METRICS_PORT = 9401;
    private static final String SHARED_VOLUME = "shared";
    /** The AWS default chain's variables for keys, handed from a Secret by reference. */
    static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
    private static final String SCRATCH_VOLUME = "scratch";

    private JobManifests() {}

    /**
     * The worker Job of one attempt: same entrypoint and run spec as a local process, with the run's resources.
     * The run spec document is handed over unchanged in {@link WorkerProtocol#RUN_SPEC_JSON_ENV}: one API write per attempt, no
     * per-run object to create, mount or clean up. The node the pod lands on is in {@link WorkerProtocol#NODE_NAME_ENV}
     * (downward API, {@code spec.nodeName}).
     */
    public static V1Job workerJob(RunSpec spec, int attempt, KubernetesLaunchConfig config, V1OwnerReference owner) {
        String name = RunNames.attemptJobName(spec.sweep(), spec.runId(), attempt);
        Map<String, String> labels = new HashMap<>(RunNames.runLabels(spec));
        labels.put(RunNames.LABEL_ATTEMPT, Integer.toString(attempt));
        if (config.kueueQueue() != null) {
            labels.put(RunNames.KUEUE_QUEUE_LABEL, config.kueueQueue());
        }
        List<String> command = new ArrayList<>(config.workerCommand());
        V1Container worker = new V1Container()
                .name(WORKER_CONTAINER)
                .image(config.workerImage())
                .command(command)
                .env(withObjectStore(config, List.of(
                        new V1EnvVar().name(WorkerProtocol.RUN_SPEC_JSON_ENV).value(RunSpecCodec.toJson(spec)),
                        new V1EnvVar().name(WorkerProtocol.METRICS_PORT_ENV).value(Integer.toString(WORKER_METRICS_PORT)),
                        new V1EnvVar().name(WorkerProtocol.NODE_NAME_ENV).valueFrom(new V1EnvVarSource()
                                .fieldRef(new V1ObjectFieldSelector().fieldPath("spec.nodeName"))),
                        new V1EnvVar().name("DJL_CACHE_DIR").value("/tmp/djl"),
                        new V1EnvVar().name("OMP_NUM_THREADS").value(Integer.toString(threads(spec))))))
                .ports(List.of(new V1ContainerPort().name("metrics").containerPort(WORKER_METRICS_PORT)))
                .resources(resources(spec))
                .volumeMounts(mounts(config))
                .securityContext(restricted());
        KubernetesLaunchConfig.Placement placement = config.placement();
        V1PodSpec pod = pod(config, worker, volumes(config))
                .nodeSelector(nodeSelector(spec, placement))
                .tolerations(placement.tolerations().isEmpty() ? null : placement.tolerations().stream()
                        .map(t -> new V1Toleration().key(t.key()).operator(t.operator()).value(t.value())
                                .effect(t.effect()))
                        .toList())
                .affinity(affinity(placement.affinityJson()));
        return job(name, labels, pod, config, owner);
    }

    /**
     * The fitter Job of one attempt: the fitter's entrypoint with its arguments, Spark in local mode on the
     * pod's CPUs, the shared volume for metrics in and the report out. It runs on ordinary nodes (no GPU
     * selector or tolerations).
     */
    public static V1Job fitterJob(String sweep, int attempt, List<String> arguments, KubernetesLaunchConfig config,
            V1OwnerReference owner) {
        KubernetesLaunchConfig.FitterPod fitter = config.fitter();
        List<String> command = new ArrayList<>(fitter.command());
        command.addAll(arguments);
        command.addAll(List.of("--master", "local[" + fitter.cpu() + "]"));
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity(Integer.toString(fitter.cpu())),
                "memory", new Quantity(fitter.memory()));
        V1Container container = new V1Container()
                .name("fitter")
                .image(fitter.image())
                .command(command)
                .env(withObjectStore(config, List.of(new V1EnvVar().name("SPARK_LOCAL_IP").value("127.0.0.1"))))
                .resources(new V1ResourceRequirements().requests(amounts).limits(amounts))
                .volumeMounts(mounts(config))
                .securityContext(restricted());
        return job(RunNames.fitterJobName(sweep, attempt), RunNames.fitterLabels(sweep, attempt),
                pod(config, container, volumes(config)), config, owner);
    }

    /**
     * {@code env} and what the pod needs to reach the object store: its endpoint, addressing and region, and keys
     * by reference to their Secret (the values never pass through the scheduler or the Job's manifest).
     */
    static List<V1EnvVar> withObjectStore(KubernetesLaunchConfig config, List<V1EnvVar> env) {
        KubernetesLaunchConfig.ObjectStoreAccess store = config.objectStore();
        if (store == null) {
            return env;
        }
        List<V1EnvVar> all = new ArrayList<>(env);
        if (store.endpoint() != null) {
            all.add(new V1EnvVar().name(ObjectStore.ENDPOINT_ENV).value(store.endpoint()));
        }
        all.add(new V1EnvVar().name(ObjectStore.PATH_STYLE_ENV).value(Boolean.toString(store.pathStyle())));
        if (store.region() != null) {
            all.add(new V1EnvVar().name(ObjectStore.REGION_ENV).value(store.region()));
        }
        if (store.credentialsSecret() != null) {
            for (String key : List.of(ACCESS_KEY_ENV, SECRET_KEY_ENV)) {
                all.add(new V1EnvVar().name(key).valueFrom(new V1EnvVarSource().secretKeyRef(
                        new V1SecretKeySelector().name(store.credentialsSecret()).key(key))));
            }
        }
        return all;
    }

    private static V1PodSpec pod(KubernetesLaunchConfig config, V1Container container, List<V1Volume> volumes) {
        return new V1PodSpec()
                .restartPolicy("Never")
                .serviceAccountName(config.serviceAccountName())
                .automountServiceAccountToken(false)
                .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(config.runAsUser())
                        .fsGroup(config.runAsUser())
                        // the runtime's default syscall filter: Pod Security "restricted" requires one
                        .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
                .containers(List.of(container))
                .volumes(volumes);
    }

    private static V1Job job(String name, Map<String, String> labels, V1PodSpec pod, KubernetesLaunchConfig config,
            V1OwnerReference owner) {
        return new V1Job()
                .apiVersion("batch/v1")
                .kind("Job")
                .metadata(metadata(name, config, labels, owner))
                .spec(new V1JobSpec()
                        .backoffLimit(config.backoffLimit())
                        .activeDeadlineSeconds(config.activeDeadlineSeconds())
                        .ttlSecondsAfterFinished(config.ttlSecondsAfterFinished())
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(labels))
                                .spec(pod)));
    }

    /** The config's node selector, plus the run's GPU type under the config's GPU type label. */
    private static Map<String, String> nodeSelector(RunSpec spec, KubernetesLaunchConfig.Placement placement) {
        Map<String, String> selector = new HashMap<>(placement.nodeSelector());
        String gpuType = spec.resources() == null ? null : spec.resources().gpuType();
        if (placement.gpuTypeLabel() != null && gpuType != null && spec.resources().gpus() > 0) {
            selector.put(placement.gpuTypeLabel(), gpuType);
        }
        return selector.isEmpty() ? null : selector;
    }

    /**
     * The affinity given as PodSpec JSON, read by the Kubernetes client's own JSON codec.
     *
     * @throws IllegalArgumentException if it is not a valid {@code affinity}
     */
    public static V1Affinity affinity(String json) {
        if (json == null) {
            return null;
        }
        try {
            return new JSON().deserialize(json, V1Affinity.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid affinity: " + e.getMessage(), e);
        }
    }

    /** Non-root, read-only root file system, no privilege escalation, no capabilities. */
    private static V1SecurityContext restricted() {
        return new V1SecurityContext()
                .runAsNonRoot(true)
                .allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(true)
                .capabilities(new V1Capabilities().drop(List.of("ALL")));
    }

    /** A scratch /tmp (the root file system is read-only) and the shared claim. */
    private static List<V1VolumeMount> mounts(KubernetesLaunchConfig config) {
        List<V1VolumeMount> mounts = new ArrayList<>();
        mounts.add(new V1VolumeMount().name(SCRATCH_VOLUME).mountPath("/tmp"));
        if (config.sharedClaim() != null) {
            mounts.add(new V1VolumeMount().name(SHARED_VOLUME).mountPath(config.sharedMountPath()));
        }
        return mounts;
    }

    private static List<V1Volume> volumes(KubernetesLaunchConfig config) {
        List<V1Volume> volumes = new ArrayList<>();
        volumes.add(new V1Volume().name(SCRATCH_VOLUME).emptyDir(new V1EmptyDirVolumeSource()));
        if (config.sharedClaim() != null) {
            volumes.add(new V1Volume().name(SHARED_VOLUME).persistentVolumeClaim(
                    new V1PersistentVolumeClaimVolumeSource().claimName(config.sharedClaim())));
        }
        return volumes;
    }

    /** Requests = limits: CPU and memory from the run spec, plus whole GPUs when it asks for any. */
    static V1ResourceRequirements resources(RunSpec spec) {
        Map<String, Quantity> amounts = new HashMap<>();
        if (spec.resources() != null) {
            amounts.put("cpu", new Quantity(Double.toString(spec.resources().cpu())));
            if (spec.resources().memory() != null) {
                amounts.put("memory", new Quantity(spec.resources().memory()));
            }
            if (spec.resources().gpus() > 0) {
                amounts.put(GPU_RESOURCE, new Quantity(Integer.toString(spec.resources().gpus())));
            }
        }
        return new V1ResourceRequirements().requests(amounts).limits(amounts);
    }

    private static int threads(RunSpec spec) {
        return spec.resources() == null ? 1 : Math.max(1, (int) Math.floor(spec.resources().cpu()));
    }

    private static V1ObjectMeta metadata(String name, KubernetesLaunchConfig config, Map<String, String> labels,
            V1OwnerReference owner) {
        return new V1ObjectMeta()
                .name(name)
                .namespace(config.namespace())
                .labels(labels)
                .ownerReferences(owner == null ? null : List.of(owner));
    }
}
