package io.isoflop.scheduler.launch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.AttemptRecord.Outcome;
import io.isoflop.scheduler.store.RunLedger;
import io.isoflop.scheduler.store.RunRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an attempt found on the API server is written into a ledger that may lag behind it. */
class AttemptNumberingTest {

    private static List<Outcome> outcomes(RunRecord record) {
        return record.attempts().stream().map(AttemptRecord::outcome).toList();
    }

    @Test
    void anAttemptTheLedgerMissedIsCountedFailedBeforeTheRunningOne() {
        RunRecord ledger = RunLedger.parse("r1 F\n").get("r1");
        RunRecord now = KubernetesJobLauncher.running(ledger, 3);
        assertEquals(List.of(Outcome.FAILED, Outcome.FAILED, Outcome.RUNNING), outcomes(now),
                "attempt 2 ended while no scheduler wrote the ledger: it failed (a success would have metrics)");
        assertEquals(List.of(1, 2, 3), now.attempts().stream().map(AttemptRecord::number).toList());
    }

    @Test
    void theRecordedRunningAttemptIsFollowedNotAddedTwice() {
        RunRecord ledger = RunLedger.parse("r1 FR\n").get("r1");
        assertEquals(List.of(Outcome.FAILED, Outcome.RUNNING), outcomes(KubernetesJobLauncher.running(ledger, 2)));
    }

    @Test
    void theFirstAttemptOfANewRun() {
        assertEquals(List.of(Outcome.RUNNING), outcomes(KubernetesJobLauncher.running(RunRecord.empty("r1"), 1)));
    }
}
