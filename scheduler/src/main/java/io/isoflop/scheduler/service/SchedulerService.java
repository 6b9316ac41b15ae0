package io.isoflop.scheduler.service;

import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.launch.k8s.KubernetesSweep;
import io.isoflop.scheduler.metrics.SchedulerMetrics;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.launch.k8s.ClusterConfig;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.prometheus.client.Histogram;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code isoflop scheduler serve}: every ConfigMap of its namespace labelled {@value #SPEC_LABEL}{@code =true}
 * holds a budget spec (key {@value #SPEC_KEY}) and is driven as a sweep by a {@link SweepDriver} of its own. A
 * reconcile pass, after each change the ConfigMap informer sees and at least every {@code resync}, starts a
 * driver for each spec that has none, stops following specs that were deleted (their Jobs go on; deleting the
 * sweep's own ConfigMap deletes them), reports specs that do not validate on the spec itself (annotation
 * {@value #PROBLEM_ANNOTATION}) and publishes the attempts the cluster cannot place. All state lives on the API
 * server and the shared volume: a restarted service picks every sweep up where it was.
 */
public final class SchedulerService implements AutoCloseable {
    public static final String SPEC_LABEL = "isoflop.io/budget-spec";
    public static final String SPEC_KEY = "spec.yaml";
    public static final String PROBLEM_ANNOTATION = "isoflop.io/problem";

    private final ApiClient client;
    private final ClusterConfig config;
    private final SchedulerMetrics metrics;
    private final PrintWriter out;
    private final Path workingDir;
    private final Duration heartbeat;
    private final CoreV1Api core;
    private final ApiCalls api;
    private final SharedInformerFactory informers;
    private final SharedIndexInformer<V1ConfigMap> specs;
    private final Map<String, Running> drivers = new HashMap<>();
    private final Map<String, String> reportedProblems = new HashMap<>();
    private final Object wake = new Object();
    private volatile boolean stopping;

    /** A spec's driver (null when the spec did not validate) and the spec text it drives. */
    private record Running(String specText, SweepDriver driver, Thread thread) {
        boolean endedForGood(String text) {
            return !thread.isAlive() && Objects.equals(specText, text) && (driver == null || !driver.retryable());
        }
    }

    /**
     * @param workingDir where relative {@code sweep.output} paths start (the Deployment's working directory)
     */
    public SchedulerService(ApiClient client, ClusterConfig config, SchedulerMetrics metrics, PrintWriter out,
            Path workingDir, Duration heartbeat) {
        this.client = client;
        this.config = config;
        this.metrics = metrics;
        this.out = out;
        this.workingDir = workingDir;
        this.heartbeat = heartbeat;
        this.core = new CoreV1Api(client);
        this.api = new ApiCalls(metrics::apiError);
        this.informers = new SharedInformerFactory(client);
        String namespace = config.launch().namespace();
        this.specs = informers.sharedIndexInformerFor(params -> core.listNamespacedConfigMap(namespace)
                .labelSelector(SPEC_LABEL + "=true")
                .resourceVersion(params.resourceVersion)
                .timeoutSeconds(params.timeoutSeconds)
                .watch(params.watch)
                .buildCall(null), V1ConfigMap.class, V1ConfigMapList.class);
        specs.addEventHandler(new io.kubernetes.client.informer.ResourceEventHandler<>() {
            @Override
            public void onAdd(V1ConfigMap map) {
                wakeUp();
            }

            @Override
            public void onUpdate(V1ConfigMap before, V1ConfigMap after) {
                wakeUp();
            }

            @Override
            public void onDelete(V1ConfigMap map, boolean stateUnknown) {
                wakeUp();
            }
        });
    }

    /** Runs until {@link #close()}: reconciles after every change and at least every {@code resync}. */
    public void serve(Duration resync) throws InterruptedException {
        informers.startAllRegisteredInformers();
        out.println("isoflop scheduler: watching ConfigMaps labelled " + SPEC_LABEL + "=true in namespace "
                + config.launch().namespace());
        while (!stopping) {
            if (specs.hasSynced()) {
                reconcile();
            }
            synchronized (wake) {
                wake.wait(Math.max(1, resync.toMillis()));
            }
        }
    }

    /** One pass: a driver for every spec, none for deleted ones, problems reported, placement published. */
    synchronized void reconcile() {
        Histogram.Timer timer = metrics.reconcileTimer();
        try {
            Set<String> present = new HashSet<>();
            for (V1ConfigMap map : specs.getIndexer().list()) {
                String key = map.getMetadata().getName();
                present.add(key);
                Running running = drivers.get(key);
                if (running != null && (running.thread().isAlive() || running.endedForGood(specText(map)))) {
                    continue; // being driven, or this spec was driven to its end (a changed spec starts again)
                }
                start(map);
            }
            for (String gone : new HashSet<>(drivers.keySet())) {
                if (!present.contains(gone)) {
                    out.println("spec ConfigMap " + gone + " was deleted: no longer following its sweep");
                    drivers.remove(gone).thread().interrupt();
                    reportedProblems.remove(gone);
                }
            }
            for (Running running : drivers.values()) {
                if (running.driver() == null) {
                    continue;
                }
                Map<String, String> stuck = running.driver().unschedulable();
                metrics.unschedulable(running.driver().sweepName(), stuck.size());
                stuck.forEach((job, reason) -> out.println("sweep " + running.driver().sweepName() + ": Job " + job
                        + " cannot be placed: " + reason));
            }
        } finally {
            timer.observeDuration();
        }
    }

    private void start(V1ConfigMap map) {
        String name = map.getMetadata().getName();
        String text = specText(map);
        IsoFlopPlan plan;
        try {
            if (text == null) {
                throw new IllegalArgumentException("data." + SPEC_KEY + ": required (the budget spec, YAML)");
            }
            BudgetSpec budget = BudgetSpecLoader.parse(text, "ConfigMap " + name);
            budget.requireNotAdaptive("the scheduler service");
            plan = IsoFlopPlanner.plan(budget, budget.sweep().directory(workingDir));
            KubernetesSweep.requireOnSharedVolume(plan, config.launch());
        } catch (SpecValidationException | IllegalArgumentException e) {
            drivers.put(name, new Running(text, null, new Thread(() -> { })));
            problem(name, e.getMessage());
            return;
        }
        SweepDriver driver = new SweepDriver(client, config.launch(), config.retries(), plan, metrics,
                prefixed(out, plan.sweep()), heartbeat, message -> problem(name, message), null, SweepReporter.NONE);
        Thread thread = new Thread(driver, "isoflop-sweep-" + plan.sweep());
        thread.setDaemon(true);
        drivers.put(name, new Running(text, driver, thread));
        problem(name, null);
        out.println("spec ConfigMap " + name + ": spec ConfigMaps are deprecated and go in the next release; submit"
                + " an IsoFlopSweep instead (isoflop submit SPEC)");
        out.println("spec ConfigMap " + name + ": driving sweep " + plan.sweep() + " (" + plan.runs().size()
                + " runs) in " + plan.sweepDir());
        thread.start();
    }

    private static String specText(V1ConfigMap map) {
        return map.getData() == null ? null : map.getData().get(SPEC_KEY);
    }

    /** Writes (or clears, with null) the problem annotation on the spec ConfigMap, once per distinct message. */
    private void problem(String specName, String message) {
        if (Objects.equals(reportedProblems.get(specName), message)) {
            return;
        }
        if (message != null) {
            out.println("spec ConfigMap " + specName + " not driven:\n" + message);
        }
        try {
            V1ConfigMap map = api.call(() -> core.readNamespacedConfigMap(specName, config.launch().namespace())
                    .execute());
            Map<String, String> annotations = new TreeMap<>(map.getMetadata().getAnnotations() == null ? Map.of()
                    : map.getMetadata().getAnnotations());
            if (message == null && !annotations.containsKey(PROBLEM_ANNOTATION)) {
                reportedProblems.put(specName, null);
                return;
            }
            if (message == null) {
                annotations.remove(PROBLEM_ANNOTATION);
            } else {
                annotations.put(PROBLEM_ANNOTATION, message);
            }
            map.getMetadata().setAnnotations(annotations);
            api.call(() -> core.replaceNamespacedConfigMap(specName, config.launch().namespace(), map).execute());
            reportedProblems.put(specName, message);
        } catch (ApiException e) {
            out.println("cannot annotate spec ConfigMap " + specName + ": HTTP " + e.getCode());
        }
    }

    /** Lines of one sweep's progress, each prefixed with its name (several sweeps share the log). */
    static PrintWriter prefixed(PrintWriter out, String sweep) {
        return new PrintWriter(out, true) {
            @Override
            public void println(String line) {
                super.println("[" + sweep + "] " + line);
            }
        };
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
            drivers.values().forEach(r -> r.thread().interrupt());
        }
        for (Running running : drivers.values()) {
            running.thread().join(30_000);
        }
    }
}
