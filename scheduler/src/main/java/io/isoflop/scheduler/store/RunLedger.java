package io.isoflop.scheduler.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compact text form of every run's attempt outcomes, one line per run: {@code <run id> <outcomes>}, one letter
 * per attempt, oldest first: {@code R} running, {@code S} succeeded, {@code F} failed, {@code X} rejected, {@code P} preempted. Small
 * enough that 10,000 runs fit in one ConfigMap (about 30 bytes a run; the limit is 1 MiB).
 */
public final class RunLedger {
    private RunLedger() {}

    public static String render(Map<String, RunRecord> records) {
        StringBuilder text = new StringBuilder();
        for (RunRecord record : new TreeMap<>(records).values()) {
            if (record.attempts().isEmpty()) {
                continue;
            }
            text.append(record.runId()).append(' ');
            record.attempts().forEach(a -> text.append(letter(a.outcome())));
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * @throws IllegalArgumentException naming the line that is not {@code <run id> <outcome letters>}
     */
    public static Map<String, RunRecord> parse(String text) {
        Map<String, RunRecord> records = new TreeMap<>();
        if (text == null) {
            return records;
        }
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ");
            if (parts.length != 2) {
                throw new IllegalArgumentException("run ledger line " + (i + 1) + " is not '<run id> <outcomes>': "
                        + line);
            }
            List<AttemptRecord> attempts = new ArrayList<>();
            for (char c : parts[1].toCharArray()) {
                attempts.add(new AttemptRecord(attempts.size() + 1, null, null, null, outcome(c, i + 1)));
            }
            records.put(parts[0], new RunRecord(parts[0], attempts));
        }
        return records;
    }

    private static char letter(AttemptRecord.Outcome outcome) {
        return switch (outcome) {
            case RUNNING -> 'R';
            case SUCCEEDED -> 'S';
            case FAILED -> 'F';
            case REJECTED -> 'X';
            case PREEMPTED -> 'P';
        };
    }

    private static AttemptRecord.Outcome outcome(char letter, int line) {
        return switch (letter) {
            case 'R' -> AttemptRecord.Outcome.RUNNING;
            case 'S' -> AttemptRecord.Outcome.SUCCEEDED;
            case 'F' -> AttemptRecord.Outcome.FAILED;
            case 'X' -> AttemptRecord.Outcome.REJECTED;
            case 'P' -> AttemptRecord.Outcome.PREEMPTED;
            default -> throw new IllegalArgumentException("run ledger line " + line + ": unknown outcome '" + letter
                    + "' (expected R, S, F, X or P)");
        };
    }
}
