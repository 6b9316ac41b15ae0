package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.nio.file.Path;

/** One scheduler per sweep on a real API server: the sweep's Lease is exclusive, given up on close, and taken over once stale. */
class SweepLeaseIT {
    private static final ApiCalls API = new ApiCalls(code -> { });

    private static TestCluster cluster;
    private static CoordinationV1Api leases;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        leases = new CoordinationV1Api(cluster.client);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSecondSchedulerIsRefusedUntilTheFirstLetsGo() throws Exception {
        Optional<SweepLease> first = SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "twice", "first");
        assertTrue(first.isPresent());

        assertTrue(SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "twice", "second").isEmpty(),
                "held and fresh: refused");
        assertTrue(SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "other", "second").isPresent(),
                "another sweep is another Lease");

        first.get().close();
        Optional<SweepLease> second = SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "twice", "second");
        assertTrue(second.isPresent(), "given up on close");
        assertEquals("second", read("twice").getSpec().getHolderIdentity());
        second.get().close();
    }

    /** Found by SchedulerChaosIT: a Lease created whose answer was lost made the next try see a 409 and give up. */
    @Test
    void aLeaseWhoseCreationOrTakeOverAnswerWasLostIsHeldNotRefused(@TempDir Path dir) throws Exception {
        try (FaultyApiProxy proxy = FaultyApiProxy.start(cluster, 1, FaultyApiProxy.Faults.none())) {
            ApiClient throughProxy = Config.fromConfig(proxy.kubeconfig(cluster, dir.resolve("proxy.kubeconfig"))
                    .toString());
            proxy.loseTheAnswersOfNext("POST", 1);
            Optional<SweepLease> created = SweepLease.tryAcquire(throughProxy, API, TestCluster.NAMESPACE, "lost",
                    "creator");
            assertTrue(created.isPresent(), "the Lease this holder created is this holder's");
            assertEquals("creator", read("lost").getSpec().getHolderIdentity());
            created.get().close();

            proxy.loseTheAnswersOfNext("PUT", 1);
            Optional<SweepLease> taken = SweepLease.tryAcquire(throughProxy, API, TestCluster.NAMESPACE, "lost",
                    "taker");
            assertTrue(taken.isPresent(), "the Lease this holder took is this holder's");
            assertEquals("taker", read("lost").getSpec().getHolderIdentity());
            assertTrue(SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "lost", "third").isEmpty(),
                    "and really held");
            taken.get().close();
        }
    }

    @Test
    void aLeaseItsHolderStoppedRenewingIsTakenOver() throws Exception {
        Optional<SweepLease> killed = SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "stale", "killed");
        assertTrue(killed.isPresent());
        // the holder was SIGKILLed long ago: its last renewal is older than the Lease's duration
        V1Lease lease = read("stale");
        lease.getSpec().renewTime(OffsetDateTime.now(ZoneOffset.UTC).minus(SweepLease.DURATION).minusSeconds(5));
        leases.replaceNamespacedLease(lease.getMetadata().getName(), TestCluster.NAMESPACE, lease).execute();

        Optional<SweepLease> next = SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "stale", "next");

        assertTrue(next.isPresent(), "a stale Lease does not block the sweep forever");
        V1Lease taken = read("stale");
        assertEquals("next", taken.getSpec().getHolderIdentity());
        assertEquals(1, taken.getSpec().getLeaseTransitions());
        next.get().close();
    }

    @Test
    void aLeaseOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String holder = SweepLease.thisProcess().replaceFirst("/\\d+/", "/" + dead.pid() + "/");
        Optional<SweepLease> killed = SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "restarted", holder);
        assertTrue(killed.isPresent());

        Optional<SweepLease> restarted = SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "restarted",
                SweepLease.thisProcess());

        assertTrue(restarted.isPresent(), "a scheduler SIGKILLed and started again on the same host need not wait");
        restarted.get().close();
    }

    @Test
    void aLeaseOfALiveProcessOnThisHostIsRespected() throws Exception {
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            String holder = SweepLease.thisProcess().replaceFirst("/\\d+/", "/" + alive.pid() + "/");
            Optional<SweepLease> held = SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "alive", holder);
            assertTrue(held.isPresent());

            assertTrue(SweepLease.tryAcquire(cluster.client, API, TestCluster.NAMESPACE, "alive", SweepLease.thisProcess())
                    .isEmpty(), "another live scheduler on this host keeps its sweep");
            held.get().close();
        } finally {
            alive.destroyForcibly();
        }
    }

    private static V1Lease read(String sweep) throws Exception {
        return leases.readNamespacedLease(SweepLease.nameOf(sweep), TestCluster.NAMESPACE).execute();
    }
}
