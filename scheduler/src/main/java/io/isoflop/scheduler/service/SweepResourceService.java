package io.isoflop.scheduler.service;

import com.google.gson.JsonObject;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.launch.k8s.ClusterConfig;
import io.isoflop.scheduler.launch.k8s.KubernetesSweep;
import io.isoflop.scheduler.launch.k8s.RunNames;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.prometheus.client.Histogram;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code isoflop scheduler serve} for {@code IsoFlopSweep} resources: each resource of the namespace is driven as a
 * sweep by a {@link SweepDriver} of its own, which writes the resource's status (phase, conditions, progress, the
 * fitted exponents) and events. The resource owns the sweep's ConfigMap and every Job; its finalizer makes deleting
 * it stop the drive and delete the Jobs first. A sweep whose status says it ended for the resource's current
 * generation is not driven again (a restarted service changes nothing); a changed spec (a new generation) is driven
 * anew. A spec that does not validate is marked Failed (condition Planned=False, reason SpecInvalid) with one line
 * per bad field, and an event.
 */
public final class SweepResourceService implements AutoCloseable {
    private final ApiClient client;
    private final ClusterConfig config;
    private final SchedulerMetrics metrics;
    private final PrintWriter out;
    private final Path workingDir;
    private final Duration heartbeat;
    private final CoreV1Api core;
    private final BatchV1Api batch;
    private final ApiCalls api;
    private final IsoFlopSweeps sweeps;
    private final SharedInformerFactory informers;
    private final SharedIndexInformer<DynamicKubernetesObject> resources;
    private final Map<String, Driving> drivers = new HashMap<>();
    private final Map<String, FitTarget> fitTargets = new ConcurrentHashMap<>();
    private final Object wake = new Object();
    private volatile boolean stopping;

    /** A resource's drive (driver null: not driven, its spec invalid or its sweep ended) for one generation. */
    private record Driving(String uid, long generation, SweepDriver driver, Thread thread, SweepReporter reporter) {
        boolean alive() {
            return thread != null && thread.isAlive();
        }

        boolean over() {
            return !alive() && (driver == null || !driver.retryable());
        }
    }

    public SweepResourceService(ApiClient client, ClusterConfig config, SchedulerMetrics metrics, PrintWriter out,
            Path workingDir, Duration heartbeat) {
        this.client = client;
        this.config = config;
        this.metrics = metrics;
        this.out = out;
        this.workingDir = workingDir;
        this.heartbeat = heartbeat;
        this.core = new CoreV1Api(client);
        this.batch = new BatchV1Api(client);
        this.api = new ApiCalls(metrics::apiError);
        this.sweeps = new IsoFlopSweeps(client, api, config.launch().namespace());
        this.informers = new SharedInformerFactory(client);
        this.resources = informers.sharedIndexInformerFor(sweeps.dynamic(), DynamicKubernetesObject.class, 0,
                config.launch().namespace());
        resources.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(DynamicKubernetesObject resource) {
                wakeUp();
            }

            @Override
            public void onUpdate(DynamicKubernetesObject before, DynamicKubernetesObject after) {
                wakeUp();
            }

            @Override
            public void onDelete(DynamicKubernetesObject resource, boolean stateUnknown) {
                wakeUp();
            }
        });
    }

    /** Whether the API server serves IsoFlopSweep (the chart's CRD is installed). */
    public boolean available() throws ApiException {
        return sweeps.installed();
    }

    /** Runs until {@link #close()}: reconciles after every change and at least every {@code resync}. */
    public void serve(Duration resync) throws InterruptedException {
        informers.startAllRegisteredInformers();
        out.println("isoflop scheduler: watching " + IsoFlopSweeps.PLURAL + "." + IsoFlopSweeps.GROUP
                + " in namespace " + sweeps.namespace());
        while (!stopping) {
            if (resources.hasSynced()) {
                reconcile();
            }
            synchronized (wake) {
                wake.wait(Math.max(1, resync.toMillis()));
            }
        }
    }

    /** Sweeps as the page of reports lists them: each resource as the informer last saw it. */
    public List<JsonObject> resources() {
        return resources.getIndexer().list().stream().map(DynamicKubernetesObject::getRaw).toList();
    }

    /** Where a resource's fit goes, once the service has planned its sweep. */
    public Optional<FitTarget> fitTarget(String name) {
        return Optional.ofNullable(fitTargets.get(name));
    }

    /** One pass: every resource driven, finalized or left as it ended; drives of deleted resources stopped. */
    synchronized void reconcile() {
        Histogram.Timer timer = metrics.reconcileTimer();
        try {
            Set<String> present = new HashSet<>();
            for (DynamicKubernetesObject object : resources.getIndexer().list()) {
                if (stopping) {
                    return;
                }
                JsonObject resource = object.getRaw();
                String name = object.getMetadata().getName();
                present.add(name);
                if (object.getMetadata().getDeletionTimestamp() != null) {
                    finalizeDeleted(name);
                    continue;
                }
                reconcileOne(name, object.getMetadata().getUid(), generation(object), resource);
            }
            for (String gone : new HashSet<>(drivers.keySet())) {
                if (!present.contains(gone)) {
                    out.println(IsoFlopSweeps.KIND + " " + gone + " is gone: no longer following its sweep");
                    stop(drivers.remove(gone));
                    fitTargets.remove(gone);
                }
            }
        } catch (ApiException e) {
            out.println("reconcile: HTTP " + e.getCode() + " " + e.getResponseBody());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timer.observeDuration();
        }
    }

    private void reconcileOne(String name, String uid, long generation, JsonObject resource)
            throws ApiException, InterruptedException {
        Driving driving = drivers.get(name);
        if (driving != null && driving.uid().equals(uid) && driving.generation() == generation) {
            if (driving.alive()) {
                Map<String, String> stuck = driving.driver().unschedulable();
                metrics.unschedulable(name, stuck.size());
                driving.reporter().unschedulable(stuck);
                return;
            }
            if (driving.over()) {
                return; // this generation was driven to its end (a changed spec starts again)
            }
        } else if (driving != null) {
            out.println(IsoFlopSweeps.KIND + " " + name + " changed (generation " + generation + "): driving it anew");
            stop(driving);
            drivers.remove(name);
        }
        start(name, uid, generation, resource);
    }

    private void start(String name, String uid, long generation, JsonObject resource) throws ApiException {
        SweepStatus status = SweepStatus.from(resource.has("status") ? resource.getAsJsonObject("status") : null);
        PrintWriter log = SchedulerService.prefixed(out, name);
        SweepEvents events = new SweepEvents(core, api, sweeps.namespace(), name, uid, log);
        ResourceReporter reporter = new ResourceReporter(sweeps, name, generation, status, events, log);
        IsoFlopPlan plan;
        try {
            BudgetSpec spec = ResourceSpec.parse(resource);
            spec.requireNotAdaptive("the " + IsoFlopSweeps.KIND + " service (run `isoflop sweep --backend kubernetes`)");
            plan = IsoFlopPlanner.plan(spec, spec.sweep().directory(workingDir));
            KubernetesSweep.requireOnSharedVolume(plan, config.launch());
        } catch (SpecValidationException | IllegalArgumentException e) {
            if (!(status.phase() == SweepStatus.Phase.Failed && status.observedGeneration() == generation)) {
                log.println("spec rejected:\n" + e.getMessage());
                reporter.phase(SweepStatus.Phase.Failed, SweepStatus.SPEC_INVALID, e.getMessage());
            }
            drivers.put(name, new Driving(uid, generation, null, null, reporter));
            return;
        }
        fitTargets.put(name, plan.fitTarget());
        if (status.ended() && status.observedGeneration() == generation) {
            drivers.put(name, new Driving(uid, generation, null, null, reporter)); // ended before this service
            return;
        }
        if (!sweeps.finalizer(name, true)) {
            return; // deleted meanwhile
        }
        SweepDriver driver = new SweepDriver(client, config.launch(), config.retries(), plan, metrics, log, heartbeat,
                message -> { }, IsoFlopSweeps.owner(name, uid), reporter);
        Thread thread = new Thread(driver, "isoflop-sweep-" + name);
        thread.setDaemon(true);
        drivers.put(name, new Driving(uid, generation, driver, thread, reporter));
        out.println(IsoFlopSweeps.KIND + " " + name + ": driving sweep " + plan.sweep() + " (" + plan.runs().size()
                + " runs) in " + plan.sweepDir());
        thread.start();
    }

    /** A resource being deleted: its drive stopped, its Jobs deleted, then its finalizer removed. */
    private void finalizeDeleted(String name) throws ApiException, InterruptedException {
        Driving driving = drivers.remove(name);
        if (driving != null) {
            stop(driving);
        }
        fitTargets.remove(name);
        int deleted = 0;
        for (V1Job job : api.call(() -> batch.listNamespacedJob(sweeps.namespace())
                .labelSelector(RunNames.jobsSelector(name)).execute()).getItems()) {
            try {
                api.call(() -> batch.deleteNamespacedJob(job.getMetadata().getName(), sweeps.namespace())
                        .propagationPolicy("Background").execute());
                deleted++;
            } catch (ApiException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        if (sweeps.finalizer(name, false)) {
            out.println(IsoFlopSweeps.KIND + " " + name + " deleted: its drive stopped, " + deleted
                    + " Job(s) deleted");
        }
    }

    private static void stop(Driving driving) throws InterruptedException {
        if (driving.thread() != null) {
            driving.thread().interrupt();
            driving.thread().join(30_000);
        }
    }

    private static long generation(DynamicKubernetesObject object) {
        Long generation = object.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Stops following every sweep (Jobs go on running) and writes the run ledgers; returns when all are out. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        wakeUp();
        informers.stopAllRegisteredInformers();
        synchronized (this) {
            for (Driving driving : drivers.values()) {
                if (driving.thread() != null) {
                    driving.thread().interrupt();
                }
            }
        }
        for (Driving driving : drivers.values()) {
            if (driving.thread() != null) {
                driving.thread().join(30_000);
            }
        }
    }
}
