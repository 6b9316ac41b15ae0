package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.contracts.WorkerProtocol.Exit;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worker's exit as the scheduler reads it from a finished Job and its pod, on objects built here. */
class PodOutcomesTest {
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private static V1Job job(String type, String reason) {
        V1JobStatus status = new V1JobStatus();
        if (type != null) {
            status.addConditionsItem(new V1JobCondition().type(type).status("True").reason(reason));
        }
        return new V1Job().metadata(new V1ObjectMeta().name("isoflop-demo-r1-a1")).status(status);
    }

    private static V1Job failedJob() {
        return job("Failed", "BackoffLimitExceeded");
    }

    private static V1Pod pod(String name, int minute, String phase) {
        return new V1Pod().metadata(new V1ObjectMeta().name(name).creationTimestamp(T0.plusMinutes(minute)))
                .status(new V1PodStatus().phase(phase));
    }

    private static V1ContainerStatus terminated(String container, int exitCode) {
        return new V1ContainerStatus().name(container).image("isoflop:test").imageID("").ready(false).restartCount(0)
                .state(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(exitCode)
                        .reason("Error")));
    }

    /** A pod whose worker container ended with {@code exitCode}. */
    private static V1Pod exited(int exitCode) {
        V1Pod pod = pod("p", 0, "Failed");
        pod.getStatus().addContainerStatusesItem(terminated(JobManifests.WORKER_CONTAINER, exitCode));
        return pod;
    }

    @Test
    void aJobStillRunningHasNoExitYetWhateverItsPodSays() {
        assertEquals(Optional.empty(), PodOutcomes.exitCode(job(null, null), List.of(exited(Exit.BAD_INPUT.code()))));
        V1Job notYet = new V1Job().metadata(new V1ObjectMeta().name("j")).status(new V1JobStatus()
                .addConditionsItem(new V1JobCondition().type("Failed").status("False")));
        assertEquals(Optional.empty(), PodOutcomes.exitCode(notYet, List.of(exited(Exit.BAD_INPUT.code()))));
    }

    @Test
    void aCompleteJobIsDoneWithOrWithoutItsPod() {
        assertEquals(Optional.of(Exit.DONE.code()), PodOutcomes.exitCode(job("Complete", null), List.of()));
        assertEquals(Optional.of(Exit.DONE.code()), PodOutcomes.exitCode(job("Complete", null),
                List.of(pod("p", 0, "Succeeded"))));
    }

    @Test
    void theWorkerContainersExitCodeIsPassedOnAsItIs() {
        assertEquals(Optional.of(Exit.BAD_INPUT.code()),
                PodOutcomes.exitCode(failedJob(), List.of(exited(Exit.BAD_INPUT.code()))));
        assertEquals(Optional.of(Exit.DIVERGED.code()),
                PodOutcomes.exitCode(failedJob(), List.of(exited(Exit.DIVERGED.code()))));
        assertEquals(Optional.of(Exit.NO_GPU.code()),
                PodOutcomes.exitCode(failedJob(), List.of(exited(Exit.NO_GPU.code()))));
    }

    @Test
    void aWorkerStoppedBySigtermIsPreemptedByItsExitCodeAlone() {
        assertEquals(Optional.of(Exit.PREEMPTED.code()),
                PodOutcomes.exitCode(failedJob(), List.of(exited(Exit.PREEMPTED.code()))));
    }

    @Test
    void theLastTerminationCountsWhenTheContainerIsNoLongerTerminated() {
        V1Pod pod = pod("p", 0, "Failed");
        pod.getStatus().addContainerStatusesItem(new V1ContainerStatus().name(JobManifests.WORKER_CONTAINER)
                .image("i").imageID("").ready(false).restartCount(1)
                .state(new V1ContainerState().running(new V1ContainerStateRunning()))
                .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated()
                        .exitCode(Exit.DIVERGED.code()))));
        assertEquals(Optional.of(Exit.DIVERGED.code()), PodOutcomes.exitCode(failedJob(), List.of(pod)));
    }

    @Test
    void onlyTheWorkerContainerSpeaks() {
        V1Pod pod = pod("p", 0, "Failed");
        pod.getStatus().addContainerStatusesItem(terminated("sidecar", Exit.BAD_INPUT.code()));
        assertEquals(Optional.of(Exit.FAILED.code()), PodOutcomes.exitCode(failedJob(), List.of(pod)),
                "another container's code is not the worker's");
        pod.getStatus().addContainerStatusesItem(terminated(JobManifests.WORKER_CONTAINER, Exit.DIVERGED.code()));
        assertEquals(Optional.of(Exit.DIVERGED.code()), PodOutcomes.exitCode(failedJob(), List.of(pod)));
    }

    @Test
    void anEvictedPodIsPreemptedWhateverItsContainerEndedWith() {
        V1Pod pod = exited(Exit.FAILED.code());
        pod.getStatus().reason(PodOutcomes.EVICTED).message("The node was low on resource: memory.");
        assertEquals(Optional.of(Exit.PREEMPTED.code()), PodOutcomes.exitCode(failedJob(), List.of(pod)));

        V1Pod bare = pod("p", 0, "Failed");
        bare.getStatus().reason(PodOutcomes.EVICTED);
        assertEquals(Optional.of(Exit.PREEMPTED.code()), PodOutcomes.exitCode(failedJob(), List.of(bare)),
                "evicted before its container reported anything");
    }

    @Test
    void aPodTheControlPlaneMarkedForDisruptionIsPreempted() {
        for (String reason : List.of("PreemptionByScheduler", "DeletionByTaintManager", "EvictionByEvictionAPI",
                "TerminationByKubelet")) {
            V1Pod pod = exited(Exit.FAILED.code());
            pod.getStatus().addConditionsItem(new V1PodCondition().type(PodOutcomes.DISRUPTION_TARGET).status("True")
                    .reason(reason));
            assertEquals(Optional.of(Exit.PREEMPTED.code()), PodOutcomes.exitCode(failedJob(), List.of(pod)), reason);
        }
        V1Pod notDisrupted = exited(Exit.BAD_INPUT.code());
        notDisrupted.getStatus().addConditionsItem(new V1PodCondition().type(PodOutcomes.DISRUPTION_TARGET)
                .status("False"));
        assertEquals(Optional.of(Exit.BAD_INPUT.code()), PodOutcomes.exitCode(failedJob(), List.of(notDisrupted)),
                "a condition that is False is no disruption");
    }

    @Test
    void aFailedJobWithNothingToReadFailed() {
        assertEquals(Optional.of(Exit.FAILED.code()), PodOutcomes.exitCode(failedJob(), List.of()),
                "no pod left in the cache");
        assertEquals(Optional.of(Exit.FAILED.code()), PodOutcomes.exitCode(failedJob(),
                List.of(pod("p", 0, "Failed"))), "the pod ended without its container's exit code");
    }

    @Test
    void aPodNotSeenEndingYetIsWaitedFor() {
        assertEquals(Optional.empty(), PodOutcomes.exitCode(failedJob(), List.of(pod("p", 0, "Running"))),
                "the Job's Failed condition came before the pod's final status");
        V1Pod going = pod("p", 0, "Running");
        going.getMetadata().deletionTimestamp(T0.plusMinutes(5));
        assertEquals(Optional.of(Exit.FAILED.code()), PodOutcomes.exitCode(failedJob(), List.of(going)),
                "a pod being deleted is not waited for: its node may be gone");
    }

    @Test
    void aJobPastItsDeadlineFailedEvenThoughItsWorkerSawSigterm() {
        assertEquals(Optional.of(Exit.FAILED.code()), PodOutcomes.exitCode(job("Failed",
                JobOutcomes.DEADLINE_EXCEEDED), List.of(exited(Exit.PREEMPTED.code()))));
        V1Pod evicted = pod("p", 0, "Failed");
        evicted.getStatus().reason(PodOutcomes.EVICTED);
        assertEquals(Optional.of(Exit.FAILED.code()), PodOutcomes.exitCode(job("Failed",
                JobOutcomes.DEADLINE_EXCEEDED), List.of(evicted)));
    }

    @Test
    void theJobsLatestPodDecides() {
        V1Pod earlier = pod("a", 0, "Failed");
        earlier.getStatus().reason(PodOutcomes.EVICTED);
        V1Pod later = pod("b", 1, "Failed");
        later.getStatus().addContainerStatusesItem(terminated(JobManifests.WORKER_CONTAINER, Exit.BAD_INPUT.code()));
        assertEquals(Optional.of(Exit.BAD_INPUT.code()), PodOutcomes.exitCode(failedJob(), List.of(later, earlier)));
        assertEquals(Optional.of(Exit.BAD_INPUT.code()), PodOutcomes.exitCode(failedJob(), List.of(earlier, later)));
    }
}
