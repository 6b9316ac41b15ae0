package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The manifests under k8s/ against a real API server: valid, and the scheduler's role is least privilege. */
class KubernetesManifestsIT {
    private static final String SCHEDULER = "system:serviceaccount:isoflop:isoflop-scheduler";
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyManifestPassesServerSideDryRun() throws Exception {
        TestCluster.KubectlResult namespace = cluster.kubectl("apply", "-f", "k8s/namespace.yaml");
        assertEquals(0, namespace.exitCode(), namespace.output());

        TestCluster.KubectlResult dryRun = cluster.kubectl("apply", "--dry-run=server", "-f", "k8s/");

        assertEquals(0, dryRun.exitCode(), dryRun.output());
        assertTrue(dryRun.output().contains("role.rbac.authorization.k8s.io/isoflop-scheduler"), dryRun.output());
    }

    @Test
    void theSchedulerMayManageJobsAndConfigMapsInItsNamespaceAndNothingElse() throws Exception {
        assertEquals(0, cluster.kubectl("apply", "-f", "k8s/namespace.yaml").exitCode());
        TestCluster.KubectlResult rbac = cluster.kubectl("apply", "-f", "k8s/rbac.yaml");
        assertEquals(0, rbac.exitCode(), rbac.output());

        assertCan("yes", "create", "jobs.batch", "-n", "isoflop");
        assertCan("yes", "watch", "jobs.batch", "-n", "isoflop");
        assertCan("yes", "list", "pods", "-n", "isoflop");
        assertCan("yes", "create", "configmaps", "-n", "isoflop");
        assertCan("yes", "update", "leases.coordination.k8s.io", "-n", "isoflop");
        assertCan("no", "delete", "leases.coordination.k8s.io", "-n", "isoflop");
        assertCan("no", "delete", "pods", "-n", "isoflop");
        assertCan("no", "create", "jobs.batch", "-n", "default");
        assertCan("no", "list", "nodes");
        assertCan("no", "get", "secrets", "-n", "isoflop");
    }

    @Test
    void theSchedulerIsGrantedExactlyTheCallsItMakes() throws Exception {
        assertEquals(0, cluster.kubectl("apply", "-f", "k8s/namespace.yaml").exitCode());
        assertEquals(0, cluster.kubectl("apply", "-f", "k8s/rbac.yaml").exitCode());

        TestCluster.KubectlResult list = cluster.kubectl("auth", "can-i", "--list", "-n", "isoflop", "--as", SCHEDULER);

        assertEquals(0, list.exitCode(), list.output());
        Map<String, Set<String>> granted = new TreeMap<>();
        for (String line : list.output().lines().toList()) {
            String[] cells = line.trim().split("\\s{2,}");
            if (cells.length < 4 || !cells[1].equals("[]") || cells[0].startsWith("selfsubject")) {
                continue; // the header, non-resource URLs, and what every authenticated user may ask
            }
            granted.merge(cells[0], new TreeSet<>(List.of(cells[3].replaceAll("[\\[\\]]", "").split(" "))),
                    (a, b) -> { a.addAll(b); return a; });
        }
        // jobs: create, follow (informer), read one, delete a stale one; pods: the informer that reads exit codes;
        // configmaps: the sweep's ledger and the spec informer; leases: one scheduler per sweep; isoflopsweeps: the
        // sweep informer, the finalizer, the status; events: what happens to a sweep.
        assertEquals(Map.of(
                "jobs.batch", Set.of("create", "get", "list", "watch", "delete"),
                "pods", Set.of("list", "watch"),
                "configmaps", Set.of("create", "get", "list", "watch", "update"),
                "leases.coordination.k8s.io", Set.of("create", "get", "update"),
                "sparkapplications.sparkoperator.k8s.io", Set.of("create", "get", "list", "delete"),
                "isoflopsweeps.isoflop.io", Set.of("get", "list", "watch", "update", "patch"),
                "isoflopsweeps.isoflop.io/status", Set.of("get", "update", "patch"),
                "isoflopsweeps.isoflop.io/finalizers", Set.of("update"),
                "events", Set.of("create", "patch")), granted, list.output());
    }

    private static void assertCan(String expected, String... question) throws Exception {
        String[] args = new String[question.length + 4];
        args[0] = "auth";
        args[1] = "can-i";
        System.arraycopy(question, 0, args, 2, question.length);
        args[question.length + 2] = "--as";
        args[question.length + 3] = SCHEDULER;
        TestCluster.KubectlResult answer = cluster.kubectl(args);
        String[] lines = answer.output().trim().split("\n");
        assertEquals(expected, lines[lines.length - 1].trim(), String.join(" ", question) + ": " + answer.output());
    }
}
