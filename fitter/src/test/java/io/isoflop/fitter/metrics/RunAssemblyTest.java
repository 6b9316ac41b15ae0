package io.isoflop.fitter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isoflop.fitter.fit.CurvePoint;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.fit.TrainingCurve;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunAssemblyTest {
    @Test
    void aResumedRunKeepsTheLatestAttemptOfEveryStepItWrote() {
        // attempt 1000 evaluates at steps 10, 20, 30 (25 unevaluated) and crashes after step 30;
        // attempt 2000 resumes from the checkpoint at step 19, writes steps 20..40 and finishes.
        AttemptRows crashed = attempt("r", 1000, 1, 30, row(10, 3.0), row(20, 2.8), row(30, 2.9));
        AttemptRows resumed = attempt("r", 2000, 20, 40, row(20, 2.7), row(30, 2.5), finalRow(40, 2.4));
        AttemptRows unfinished = attempt("unfinished", 1000, 1, 10, row(10, 3.0));

        RunAssembly assembled = RunAssembly.of(new ArrayList<>(List.of(unfinished, resumed, crashed)));

        assertEquals(1, assembled.curves().size(), "the unfinished run has no curve");
        TrainingCurve curve = assembled.curves().get(0);
        assertEquals("r", curve.runId());
        assertEquals(List.of(point(10, 3.0), point(20, 2.7), point(30, 2.5), point(40, 2.4)), curve.points());
        assertEquals(Set.of("unfinished"), assembled.unfinished());
        assertEquals(List.of(new RunResult("r", 1e9, 5, 4000, 6.0 * 5 * 4000, 2.4)), assembled.runs());
    }

    @Test
    void aStepALaterAttemptWroteWithoutAnEvaluationHasNoPoint() {
        AttemptRows first = attempt("r", 1000, 1, 30, row(10, 3.0), row(25, 2.6), row(30, 2.9));
        AttemptRows second = attempt("r", 2000, 21, 40, row(30, 2.5), finalRow(40, 2.4)); // wrote 25, unevaluated

        TrainingCurve curve = RunAssembly.of(List.of(first, second)).curves().get(0);

        assertEquals(List.of(point(10, 3.0), point(30, 2.5), point(40, 2.4)), curve.points());
    }

    @Test
    void aLaterAttemptThatCrashedEarlyLeavesTheEarlierFinishedAttemptStanding() {
        AttemptRows finished = attempt("r", 1000, 1, 40, row(10, 3.0), row(20, 2.8), row(30, 2.6), finalRow(40, 2.4));
        AttemptRows rerunCrashed = attempt("r", 2000, 1, 15, row(10, 3.1));

        RunAssembly assembled = RunAssembly.of(List.of(rerunCrashed, finished));

        assertEquals(2.4, assembled.runs().get(0).finalLoss(), "the final row comes from the attempt that has one");
        assertEquals(List.of(point(10, 3.1), point(20, 2.8), point(30, 2.6), point(40, 2.4)),
                assembled.curves().get(0).points());
    }

    @Test
    void theFinalRowWinsOverThePlainRowOfTheSameStep() {
        AttemptRows rows = attempt("r", 1000, 1, 40, row(10, 3.0), row(40, 2.9), finalRow(40, 2.4));

        RunAssembly assembled = RunAssembly.of(List.of(rows));

        assertEquals(List.of(point(10, 3.0), point(40, 2.4)), assembled.curves().get(0).points());
    }

    @Test
    void runsAreOrderedByBudgetThenSizeAndTheFinalRowOfTheLatestAttemptCounts() {
        AttemptRows big = new AttemptRows("b", 1000, "s", "6N", 50, 1e9, 1, 1, new long[] {1}, new long[] {100},
                new double[] {1}, new double[] {2.0}, new boolean[] {true});
        AttemptRows smallOld = attempt("a", 1000, 1, 40, finalRow(40, 2.9));
        AttemptRows smallNew = attempt("a", 3000, 1, 40, finalRow(40, 2.2));

        RunAssembly assembled = RunAssembly.of(List.of(big, smallOld, smallNew));

        assertEquals(List.of("a", "b"), assembled.runs().stream().map(RunResult::runId).toList());
        assertEquals(2.2, assembled.runs().get(0).finalLoss());
        assertEquals(Set.of("s"), assembled.sweeps());
        assertEquals(Set.of("6N"), assembled.conventions());
    }

    private static CurvePoint point(long step, double loss) {
        return new CurvePoint(6.0 * 5 * step * 100, step * 100, loss);
    }

    private record Row(long step, double loss, boolean isFinal) {}

    private static Row row(long step, double loss) {
        return new Row(step, loss, false);
    }

    private static Row finalRow(long step, double loss) {
        return new Row(step, loss, true);
    }

    private static AttemptRows attempt(String run, long attempt, long first, long last, Row... rows) {
        int n = rows.length;
        long[] steps = new long[n];
        long[] tokens = new long[n];
        double[] flops = new double[n];
        double[] loss = new double[n];
        boolean[] isFinal = new boolean[n];
        for (int i = 0; i < n; i++) {
            steps[i] = rows[i].step();
            tokens[i] = rows[i].step() * 100;
            flops[i] = 6.0 * 5 * tokens[i];
            loss[i] = rows[i].loss();
            isFinal[i] = rows[i].isFinal();
        }
        return new AttemptRows(run, attempt, "s", "6N", 5, 1e9, first, last, steps, tokens, flops, loss, isFinal);
    }
}
