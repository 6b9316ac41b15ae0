package io.isoflop.scheduler.launch.k8s;

import io.isoflop.scheduler.store.MetricsStore;
import io.isoflop.scheduler.store.RunLedger;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.RunStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A sweep's run records on Kubernetes: the run ledger in the per-sweep ConfigMap, so the history survives the
 * scheduler and the Jobs' own garbage collection. Saves are kept in memory and written together at most once
 * per {@code flushInterval} (a 10,000-run sweep would otherwise rewrite a 300 kB ConfigMap 20,000 times), on
 * {@link #close()}, and when the sweep runner asks ({@link #flush}) before it starts a batch of attempts, so that
 * every Job's attempt is on record before the Job exists. Done still
 * means the run's final metrics file exists (on the shared volume or the object store).
 */
public final class KubernetesRunStore implements RunStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubernetesRunStore.class.getName());

    private final SweepConfigMap sweepMap;
    private final MetricsStore metrics;
    private final String namespace;
    private final String sweep;
    private final Map<String, RunRecord> records = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "isoflop-ledger-flush");
        thread.setDaemon(true);
        return thread;
    });

    public KubernetesRunStore(SweepConfigMap sweepMap, String namespace, String sweep, MetricsStore metrics,
            long flushIntervalMillis) throws IOException {
        this.sweepMap = sweepMap;
        this.namespace = namespace;
        this.sweep = sweep;
        this.metrics = metrics;
        try {
            records.putAll(RunLedger.parse(sweepMap.read().get(SweepConfigMap.KEY_RUNS)));
        } catch (IllegalArgumentException e) {
            throw new IOException("ConfigMap " + sweepMap.name() + " key " + SweepConfigMap.KEY_RUNS + ": "
                    + e.getMessage(), e);
        }
        flusher.scheduleWithFixedDelay(this::flushQuietly, flushIntervalMillis, flushIntervalMillis,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public RunRecord load(String runId) {
        return records.getOrDefault(runId, RunRecord.empty(runId));
    }

    @Override
    public void save(RunRecord record) {
        records.put(record.runId(), record);
        dirty.set(true);
    }

    @Override
    public List<String> setAsideUnreadableMetrics(String runId) throws IOException {
        return metrics.setAsideUnreadable(runId);
    }

    @Override
    public boolean isFinished(String runId) {
        return metrics.isFinished(runId);
    }

    @Override
    public String attemptLog(String runId, int attempt) {
        return "kubectl logs -n " + namespace + " job/" + RunNames.attemptJobName(sweep, runId, attempt);
    }

    /** Writes the ledger now if anything changed since the last write. */
    @Override
    public synchronized void flush() throws IOException {
        if (dirty.getAndSet(false)) {
            try {
                sweepMap.write(Map.of(SweepConfigMap.KEY_RUNS, RunLedger.render(records)));
            } catch (IOException e) {
                dirty.set(true);
                throw e;
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "run ledger not written yet (retried): " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        flusher.shutdownNow();
        try {
            flush();
        } finally {
            metrics.close();
        }
    }
}
