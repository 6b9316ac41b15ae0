package io.isoflop.scheduler.launch.k8s;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanConflictException;
import io.isoflop.scheduler.store.RunLedger;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.scheduler.store.MetricsStore;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * One sweep on a cluster: its {@link SweepConfigMap}, the {@link KubernetesRunStore} kept in it and the
 * {@link KubernetesJobLauncher} that records into that store. Bound to one plan: a sweep name that already
 * carries a different grid is refused, so results of two grids are never mixed.
 */
public final class KubernetesSweep implements AutoCloseable {
    /** How often the run ledger is written at most. */
    private static final long LEDGER_FLUSH_MILLIS = 1000;

    private final SweepConfigMap sweepMap;
    private final KubernetesRunStore store;
    private final KubernetesJobLauncher launcher;

    private KubernetesSweep(SweepConfigMap sweepMap, KubernetesRunStore store, KubernetesJobLauncher launcher) {
        this.sweepMap = sweepMap;
        this.store = store;
        this.launcher = launcher;
    }

    /**
     * Opens the sweep of this plan, creating its ConfigMap on first use.
     *
     * @throws PlanConflictException if the sweep already holds a different plan
     * @throws IOException if the API server cannot be reached
     */
    public static KubernetesSweep open(ApiClient client, KubernetesLaunchConfig config, IsoFlopPlan plan,
            ApiCalls api, SweepPolicy policy) throws IOException {
        return open(client, config, plan, api, policy, null);
    }

    /**
     * Opens the sweep of this plan on behalf of {@code parent} (its IsoFlopSweep), which then owns the sweep's
     * ConfigMap and every Job; with a null parent the ConfigMap owns the Jobs.
     */
    public static KubernetesSweep open(ApiClient client, KubernetesLaunchConfig config, IsoFlopPlan plan,
            ApiCalls api, SweepPolicy policy, V1OwnerReference parent) throws IOException {
        SweepConfigMap sweepMap = new SweepConfigMap(new CoreV1Api(client), api, config.namespace(), plan.sweep(),
                parent);
        String digest = planDigest(plan);
        Map<String, String> data = sweepMap.read();
        String bound = data.get(SweepConfigMap.KEY_PLAN);
        // an adaptive sweep's plan grows by a stage at a time, under the same spec (checked run by run in plan.json)
        boolean sameSpec = plan.specHash().equals(data.get(SweepConfigMap.KEY_SPEC));
        if (bound != null && !bound.equals(digest) && !sameSpec) {
            throw new PlanConflictException("sweep " + plan.sweep() + " on the cluster (ConfigMap " + config.namespace() + "/"
                    + sweepMap.name() + ") holds a different plan (" + bound + ", this spec gives " + digest
                    + "); give the sweep a new sweep.name, or delete that ConfigMap to delete the old sweep");
        }
        sweepMap.write(Map.of(SweepConfigMap.KEY_PLAN, digest, SweepConfigMap.KEY_SPEC, plan.specHash(),
                SweepConfigMap.KEY_POLICY, policy.toJson()));
        KubernetesRunStore store = new KubernetesRunStore(sweepMap, config.namespace(), plan.sweep(),
                MetricsStore.of(plan.metricsLocation()), LEDGER_FLUSH_MILLIS);
        try {
            return new KubernetesSweep(sweepMap, store,
                    new KubernetesJobLauncher(client, config, plan.sweep(), sweepMap, api));
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Every worker writes its metrics under the shared volume's mount path, and the scheduler must see them there.
     *
     * @throws IllegalArgumentException naming {@code sweep.output} when the sweep directory lies elsewhere
     */
    public static void requireOnSharedVolume(IsoFlopPlan plan, KubernetesLaunchConfig config) {
        if (ObjectStore.isObjectStore(plan.metricsLocation())) {
            return; // the workers, this scheduler and the fitter meet on the object store
        }
        if (config.sharedMountPath() == null) {
            throw new IllegalArgumentException("sweep.output: " + plan.sweepDir() + " is a folder, and the cluster"
                    + " config declares no shared volume (shared.claim, shared.mountPath); give an object store"
                    + " output (s3://bucket/prefix) or a shared volume");
        }
        if (!plan.sweepDir().startsWith(Path.of(config.sharedMountPath()))) {
            throw new IllegalArgumentException("sweep.output: the sweep directory " + plan.sweepDir()
                    + " must lie under the shared volume's mount path " + config.sharedMountPath()
                    + " (shared.mountPath), where every worker writes its metrics");
        }
    }

    public KubernetesRunStore store() {
        return store;
    }

    public KubernetesJobLauncher launcher() {
        return launcher;
    }

    public SweepConfigMap sweepMap() {
        return sweepMap;
    }

    /** Names the grid: the number of runs and a digest of their ids in order. */
    static String planDigest(IsoFlopPlan plan) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (RunSpec run : plan.runs()) {
                sha.update(run.runId().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return plan.runs().size() + " runs, sha256 " + HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The attempt records of a sweep as its ConfigMap holds them, read without changing anything; empty when the
     * sweep has no ConfigMap.
     *
     * @throws IOException if the API server cannot be reached or the ledger is unreadable
     */
    public static Map<String, RunRecord> ledger(ApiClient client, String namespace, String sweep) throws IOException {
        SweepConfigMap map = new SweepConfigMap(new CoreV1Api(client), new ApiCalls(code -> { }), namespace, sweep);
        String text = map.readIfPresent().map(data -> data.get(SweepConfigMap.KEY_RUNS)).orElse(null);
        try {
            return RunLedger.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("ConfigMap " + namespace + "/" + map.name() + " key " + SweepConfigMap.KEY_RUNS
                    + ": " + e.getMessage(), e);
        }
    }

    /** Stops following the Jobs (they go on running) and writes the ledger. */
    @Override
    public void close() throws IOException {
        launcher.close();
        store.close();
    }
}
