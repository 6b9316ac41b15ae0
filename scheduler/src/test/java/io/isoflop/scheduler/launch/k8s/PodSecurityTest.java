package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.util.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The namespace enforces Pod Security "restricted", and the pods isoflop creates meet it. The test API server
 * (1.20) predates Pod Security admission, so the profile's pod rules are checked here, as the admission plugin
 * states them (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).
 */
class PodSecurityTest {
    private static final KubernetesLaunchConfig CONFIG = new KubernetesLaunchConfig("isoflop", "isoflop:test",
            List.of("/opt/isoflop/isoflop-worker"), "isoflop-worker", "isoflop-data", "/data",
            KubernetesLaunchConfig.Placement.anywhere(), null, 0, 3600L, 600, 1000,
            new KubernetesLaunchConfig.FitterPod("isoflop:test", List.of("/opt/isoflop/isoflop-fitter"), 1, "1Gi"));

    private static final V1OwnerReference OWNER = new V1OwnerReference().apiVersion("v1").kind("ConfigMap")
            .name("isoflop-sweep-x").uid("1234");

    @Test
    void theNamespaceEnforcesTheRestrictedProfile() throws Exception {
        V1Namespace namespace = (V1Namespace) Yaml.load(Path.of("..", "k8s", "namespace.yaml").toFile());
        assertEquals("restricted", namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
    }

    @Test
    void workerAndFitterPodsMeetTheRestrictedProfile() throws Exception {
        RunSpec run = IsoFlopPlanner.plan(BudgetSpecLoader.load(Path.of("src", "test", "resources",
                "fixture-spec.yaml")), Path.of("/data/sweeps/x")).runs().get(0);

        assertEquals(List.of(), violations(JobManifests.workerJob(run, 1, CONFIG, OWNER).getSpec().getTemplate()
                .getSpec()));
        assertEquals(List.of(), violations(JobManifests.fitterJob("x", 1, List.of(), CONFIG, OWNER).getSpec()
                .getTemplate().getSpec()));
    }

    @Test
    void theCheckRefusesWhatTheProfileRefuses() throws Exception {
        RunSpec run = IsoFlopPlanner.plan(BudgetSpecLoader.load(Path.of("src", "test", "resources",
                "fixture-spec.yaml")), Path.of("/data/sweeps/x")).runs().get(0);
        V1PodSpec pod = JobManifests.workerJob(run, 1, CONFIG, OWNER).getSpec().getTemplate().getSpec();
        pod.hostPID(true);
        pod.getSecurityContext().seccompProfile(null).runAsNonRoot(null);
        pod.getVolumes().add(new V1Volume().name("root").hostPath(new V1HostPathVolumeSource().path("/")));
        pod.getContainers().get(0).securityContext(new V1SecurityContext().privileged(true));

        assertTrue(violations(pod).containsAll(List.of("hostPID", "hostPath volume root", "privileged",
                "allowPrivilegeEscalation not false", "capabilities not dropped", "runAsNonRoot unset",
                "no seccompProfile")), violations(pod).toString());
    }

    /** The pod-level rules of the restricted profile that a Job template can break. */
    static List<String> violations(V1PodSpec pod) {
        List<String> found = new ArrayList<>();
        if (Boolean.TRUE.equals(pod.getHostPID())) {
            found.add("hostPID");
        }
        if (Boolean.TRUE.equals(pod.getHostIPC())) {
            found.add("hostIPC");
        }
        if (Boolean.TRUE.equals(pod.getHostNetwork())) {
            found.add("hostNetwork");
        }
        for (V1Volume volume : pod.getVolumes() == null ? List.<V1Volume>of() : pod.getVolumes()) {
            if (volume.getHostPath() != null) {
                found.add("hostPath volume " + volume.getName());
            }
        }
        var podContext = pod.getSecurityContext();
        boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
        boolean podSeccomp = podContext != null && podContext.getSeccompProfile() != null
                && List.of("RuntimeDefault", "Localhost").contains(podContext.getSeccompProfile().getType());
        for (V1Container container : pod.getContainers()) {
            V1SecurityContext context = container.getSecurityContext() == null ? new V1SecurityContext()
                    : container.getSecurityContext();
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                found.add("privileged");
            }
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                found.add("allowPrivilegeEscalation not false");
            }
            V1Capabilities capabilities = context.getCapabilities();
            if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
                found.add("capabilities not dropped");
            }
            if (capabilities != null && capabilities.getAdd() != null
                    && capabilities.getAdd().stream().anyMatch(c -> !c.equals("NET_BIND_SERVICE"))) {
                found.add("capabilities added");
            }
            if (!podNonRoot && !Boolean.TRUE.equals(context.getRunAsNonRoot())) {
                found.add("runAsNonRoot unset");
            }
            if (!podSeccomp && (context.getSeccompProfile() == null
                    || !List.of("RuntimeDefault", "Localhost").contains(context.getSeccompProfile().getType()))) {
                found.add("no seccompProfile");
            }
        }
        return found;
    }
}
