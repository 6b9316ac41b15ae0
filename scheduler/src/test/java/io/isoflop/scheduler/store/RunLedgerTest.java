package io.isoflop.scheduler.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RunLedgerTest {

    private static RunRecord record(String id, AttemptRecord.Outcome... outcomes) {
        RunRecord record = RunRecord.empty(id);
        for (AttemptRecord.Outcome outcome : outcomes) {
            record = record.with(new AttemptRecord(record.attempts().size() + 1, null, null, null, outcome));
        }
        return record;
    }

    @Test
    void outcomesSurviveTheRoundTripInOrder() {
        Map<String, RunRecord> records = new TreeMap<>();
        records.put("c1e18-n30m-aa", record("c1e18-n30m-aa", AttemptRecord.Outcome.FAILED,
                AttemptRecord.Outcome.FAILED, AttemptRecord.Outcome.SUCCEEDED));
        records.put("c1e18-n60m-bb", record("c1e18-n60m-bb", AttemptRecord.Outcome.RUNNING));
        records.put("c1e18-n90m-cc", record("c1e18-n90m-cc", AttemptRecord.Outcome.REJECTED));
        records.put("never-started", RunRecord.empty("never-started"));

        String text = RunLedger.render(records);
        assertEquals("c1e18-n30m-aa FFS\nc1e18-n60m-bb R\nc1e18-n90m-cc X\n", text);

        Map<String, RunRecord> back = RunLedger.parse(text);
        assertEquals(3, back.size(), "runs without attempts take no line");
        RunRecord first = back.get("c1e18-n30m-aa");
        assertEquals(List.of(1, 2, 3), first.attempts().stream().map(AttemptRecord::number).toList());
        assertEquals(2, first.count(AttemptRecord.Outcome.FAILED));
        assertEquals(AttemptRecord.Outcome.SUCCEEDED, first.last().orElseThrow().outcome());
        assertEquals(AttemptRecord.Outcome.REJECTED, back.get("c1e18-n90m-cc").last().orElseThrow().outcome());
    }

    @Test
    void tenThousandRunsFitInOneConfigMap() {
        Map<String, RunRecord> records = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            String id = String.format("c1.2e21-n%09d-%06x", i * 1000, i);
            records.put(id, record(id, AttemptRecord.Outcome.FAILED, AttemptRecord.Outcome.SUCCEEDED));
        }
        int bytes = RunLedger.render(records).length();
        assertTrue(bytes < 512 * 1024, "ledger of 10,000 runs is " + bytes + " bytes; a ConfigMap holds 1 MiB");
    }

    @Test
    void aDamagedLineIsReportedWithItsNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunLedger.parse("a FS\nb FQ\n"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'Q'"), e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> RunLedger.parse("a F S\n"));
        assertTrue(shape.getMessage().contains("line 1"), shape.getMessage());
    }
}
