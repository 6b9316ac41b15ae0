package io.isoflop.scheduler.launch.k8s;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One scheduler at a time drives a sweep on a cluster, as the sweep lock file does locally: a
 * {@code coordination.k8s.io} Lease named after the sweep, held while the scheduler runs and renewed every
 * {@link #RENEW_EVERY}. A Lease whose holder stopped renewing for {@link #DURATION} (a scheduler killed outright)
 * is taken over, at once if its holder was a process on this host that is gone; one that is held is refused,
 * and the command exits 5 as it does locally.
 */
public final class SweepLease implements AutoCloseable {
    static final Duration DURATION = Duration.ofSeconds(30);
    static final Duration RENEW_EVERY = Duration.ofSeconds(10);

    private final CoordinationV1Api api;
    private final String namespace;
    private final String name;
    private final String holder;
    private final ScheduledExecutorService renewal;

    private SweepLease(CoordinationV1Api api, String namespace, String name, String holder) {
        this.api = api;
        this.namespace = namespace;
        this.name = name;
        this.holder = holder;
        this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "isoflop-lease-" + name);
            thread.setDaemon(true);
            return thread;
        });
        renewal.scheduleWithFixedDelay(this::renew, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The Lease's name for a sweep: that of the sweep's other objects. */
    public static String nameOf(String sweep) {
        return RunNames.sweepObjectName(sweep);
    }

    /** Who this process is, as a Lease holder: {@code <host>/<pid>/<random>} (pids repeat across pods). */
    public static String thisProcess() {
        return HOST + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static final String HOST = hostName();

    private static String hostName() {
        String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        return name.substring(name.indexOf('@') + 1).replace('/', '_');
    }

    /**
     * A holder on this host whose process is gone: a scheduler killed outright and started again here (the same
     * machine, or the same pod after a container restart, where the new process may even have the old pid). Its
     * Lease need not be waited out.
     */
    static boolean isDeadOnThisHost(String holder) {
        String[] parts = holder.split("/");
        if (parts.length != 3 || !parts[0].equals(HOST)) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Takes the sweep's Lease for {@code holder}, or returns empty when another live holder has it. Each call to
     * the API server is retried through {@code api} when throttled or failed; a 409 (the Lease changed between
     * read and write, perhaps by this very holder's earlier write whose answer was lost) reads the Lease again
     * and decides anew, at most {@value #ROUNDS} times.
     *
     * @throws IOException when the API server cannot be asked
     */
    public static Optional<SweepLease> tryAcquire(ApiClient client, ApiCalls api, String namespace, String sweep,
            String holder) throws IOException {
        CoordinationV1Api leases = new CoordinationV1Api(client);
        String name = nameOf(sweep);
        for (int round = 1; ; round++) {
            try {
                return takeIfFree(leases, api, namespace, name, holder)
                        ? Optional.of(new SweepLease(leases, namespace, name, holder)) : Optional.empty();
            } catch (ApiException e) {
                if (e.getCode() != ApiCalls.CONFLICT || round >= ROUNDS) {
                    throw new IOException("cannot take the sweep's Lease " + namespace + "/" + name + ": HTTP "
                            + e.getCode() + " " + e.getResponseBody(), e);
                }
            }
        }
    }

    private static final int ROUNDS = 5;

    /** One read-and-write round: true when {@code holder} now holds the Lease, false when another live one does. */
    private static boolean takeIfFree(CoordinationV1Api leases, ApiCalls api, String namespace, String name,
            String holder) throws ApiException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        V1Lease current;
        try {
            current = api.call(() -> leases.readNamespacedLease(name, namespace).execute());
        } catch (ApiException e) {
            if (e.getCode() != ApiCalls.NOT_FOUND) {
                throw e;
            }
            api.call(() -> leases.createNamespacedLease(namespace, new V1Lease()
                    .metadata(new V1ObjectMeta().name(name).labels(Map.of(RunNames.LABEL_APP, "isoflop")))
                    .spec(heldBy(holder, now, 0))).execute());
            return true;
        }
        V1LeaseSpec spec = current.getSpec() == null ? new V1LeaseSpec() : current.getSpec();
        if (isHeldByAnother(spec, holder, now)) {
            return false;
        }
        int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
        current.spec(heldBy(holder, now, holder.equals(spec.getHolderIdentity()) ? transitions : transitions + 1));
        api.call(() -> leases.replaceNamespacedLease(name, namespace, current).execute()); // 409: changed meanwhile
        return true;
    }

    /** Held by someone else who renewed it within its duration. */
    static boolean isHeldByAnother(V1LeaseSpec spec, String holder, OffsetDateTime now) {
        String current = spec.getHolderIdentity();
        if (current == null || current.isEmpty() || current.equals(holder) || isDeadOnThisHost(current)) {
            return false;
        }
        OffsetDateTime renewed = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        int seconds = spec.getLeaseDurationSeconds() == null ? (int) DURATION.toSeconds()
                : spec.getLeaseDurationSeconds();
        return renewed != null && renewed.plusSeconds(seconds).isAfter(now);
    }

    private static V1LeaseSpec heldBy(String holder, OffsetDateTime now, int transitions) {
        return new V1LeaseSpec().holderIdentity(holder).leaseDurationSeconds((int) DURATION.toSeconds())
                .acquireTime(now).renewTime(now).leaseTransitions(transitions);
    }

    private void renew() {
        try {
            V1Lease lease = api.readNamespacedLease(name, namespace).execute();
            if (lease.getSpec() == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
                System.err.println("isoflop: lost the sweep's Lease " + namespace + "/" + name + " to "
                        + (lease.getSpec() == null ? "nobody" : lease.getSpec().getHolderIdentity()));
                return;
            }
            lease.getSpec().renewTime(OffsetDateTime.now(ZoneOffset.UTC));
            api.replaceNamespacedLease(name, namespace, lease).execute();
        } catch (ApiException | RuntimeException e) {
            // the next renewal tries again; the Lease lasts three renewals
        }
    }

    /** Stops renewing and gives the Lease up, so that the next scheduler need not wait for it to expire. */
    @Override
    public void close() {
        renewal.shutdownNow();
        try {
            V1Lease lease = api.readNamespacedLease(name, namespace).execute();
            if (lease.getSpec() != null && holder.equals(lease.getSpec().getHolderIdentity())) {
                lease.getSpec().holderIdentity(null).renewTime(null);
                api.replaceNamespacedLease(name, namespace, lease).execute();
            }
        } catch (ApiException | RuntimeException e) {
            // it expires on its own within DURATION
        }
    }
}
