package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.Launcher;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.launch.k8s.KubernetesLaunchConfig;
import io.isoflop.scheduler.launch.k8s.KubernetesSweep;
import io.isoflop.scheduler.launch.k8s.SweepLease;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.store.RunStore;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepSetup;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Kubernetes Jobs, recorded in the sweep's ConfigMap. The sweep directory must lie on the shared volume that
 * every worker mounts at the same path, so the run specs' metrics directories mean the same everywhere and this
 * scheduler sees each run's final metrics file (the one meaning of done).
 */
final class KubernetesBackend implements SweepBackend {
    private final KubernetesSweep sweep;
    private final IsoFlopPlan plan;

    private final SweepLease lease;

    private KubernetesBackend(KubernetesSweep sweep, IsoFlopPlan plan, SweepLease lease) {
        this.sweep = sweep;
        this.plan = plan;
        this.lease = lease;
    }

    /**
     * @throws IllegalArgumentException if the sweep directory is not under the shared mount path
     * @throws io.isoflop.scheduler.plan.PlanConflictException if the sweep holds another plan
     * @throws IOException if the API server cannot be reached
     */
    static KubernetesBackend open(IsoFlopPlan plan, KubernetesLaunchConfig config, ApiClient client, ApiCalls api,
            Path specFile, SweepPolicy policy) throws IOException {
        KubernetesSweep.requireOnSharedVolume(plan, config);
        SweepLease lease = SweepLease.tryAcquire(client, api, config.namespace(), plan.sweep(), SweepLease.thisProcess())
                .orElseThrow(() -> new BusyException("another scheduler is driving sweep " + plan.sweep()
                        + " on the cluster (Lease " + config.namespace() + "/" + SweepLease.nameOf(plan.sweep())
                        + " is held and renewed)"));
        try {
            SweepSetup.bind(plan, policy, new SweepStore(plan.sweepDir()), specFile);
            return new KubernetesBackend(KubernetesSweep.open(client, config, plan, api, policy), plan, lease);
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** A client from {@code kubeconfig}, or the usual places ($KUBECONFIG, ~/.kube/config, in-cluster). */
    static ApiClient client(Path kubeconfig) throws IOException {
        ApiClient client = kubeconfig != null ? Config.fromConfig(kubeconfig.toString()) : Config.defaultClient();
        client.setReadTimeout(0); // watches stay open; the informers time them out themselves
        return client;
    }

    @Override
    public Launcher launcher() {
        return sweep.launcher();
    }

    @Override
    public RunStore store() {
        return sweep.store();
    }

    @Override
    public String metricsLocation() {
        return plan.metricsLocation();
    }

    @Override
    public FitTarget fitTarget() {
        return plan.fitTarget();
    }

    @Override
    public String fitterLog() {
        return "the fitter Job's log (kubectl logs -l isoflop.io/role=fitter)";
    }

    @Override
    public boolean attemptsEndWithTheScheduler() {
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            sweep.close();
        } finally {
            lease.close();
        }
    }
}
