package io.isoflop.fitter.metrics;

import io.isoflop.fitter.fit.CurvePoint;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.fit.TrainingCurve;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts the attempts read from a sweep's metric files together into runs: for every finished run its result (the
 * final row of its latest attempt) and its held-out loss curve. Pure: no I/O, no Spark.
 *
 * <p>A run is finished when some attempt wrote its final row. Its result is the final row of the latest attempt
 * (largest {@code attempt}, then largest step). A run resumed after a crash writes rows for the same steps again
 * under a later attempt: a row counts for the curve only if no later attempt of the run wrote a row for its step
 * (evaluated or not, which {@link AttemptRows#covers} tells); within one attempt the final summary row, which shares
 * the last step, wins over the plain step row. Curve points are the counted rows with a finite held-out loss.
 *
 * @param runs one result per finished run, ordered by budget, N and run id
 * @param curves the finished runs' curves, ordered by run id
 * @param sweeps the sweep names the results carry
 * @param conventions the FLOP conventions the results declare
 * @param unfinished runs with metric rows but no final row
 */
public record RunAssembly(
        List<RunResult> runs,
        List<TrainingCurve> curves,
        SortedSet<String> sweeps,
        SortedSet<String> conventions,
        SortedSet<String> unfinished) {

    private static final Comparator<AttemptRows> LATEST_FIRST =
            Comparator.comparingLong(AttemptRows::attempt).reversed();

    public static RunAssembly of(List<AttemptRows> attempts) {
        Map<String, List<AttemptRows>> byRun = new TreeMap<>();
        for (AttemptRows rows : attempts) {
            byRun.computeIfAbsent(rows.runId(), id -> new ArrayList<>()).add(rows);
        }
        List<RunResult> runs = new ArrayList<>();
        List<TrainingCurve> curves = new ArrayList<>();
        SortedSet<String> sweeps = new TreeSet<>();
        SortedSet<String> conventions = new TreeSet<>();
        SortedSet<String> unfinished = new TreeSet<>();
        byRun.forEach((runId, runAttempts) -> {
            runAttempts.sort(LATEST_FIRST);
            FinalRow last = latestFinalRow(runAttempts);
            if (last == null) {
                unfinished.add(runId);
                return;
            }
            AttemptRows from = last.attempt();
            int row = last.row();
            long tokens = from.tokens()[row];
            runs.add(new RunResult(runId, from.budgetFlops(), from.parameters(), tokens, from.flops()[row],
                    from.evalLoss()[row], from.uniqueTokens() > 0 ? from.uniqueTokens() : tokens));
            sweeps.add(from.sweep());
            conventions.add(from.flopConvention());
            curves.add(new TrainingCurve(runId, from.parameters(), curvePoints(runAttempts)));
        });
        runs.sort(Comparator.comparingDouble(RunResult::budgetFlops).thenComparingLong(RunResult::parameters)
                .thenComparing(RunResult::runId));
        return new RunAssembly(List.copyOf(runs), List.copyOf(curves), sweeps, conventions, unfinished);
    }

    /** The final row of the latest attempt that has one (largest step among equals); null when none has. */
    private static FinalRow latestFinalRow(List<AttemptRows> latestFirst) {
        FinalRow best = null;
        for (AttemptRows rows : latestFirst) {
            if (best != null && rows.attempt() < best.attempt().attempt()) {
                break;
            }
            for (int i = 0; i < rows.size(); i++) {
                if (rows.isFinal()[i] && (best == null || rows.steps()[i] > best.attempt().steps()[best.row()])) {
                    best = new FinalRow(rows, i);
                }
            }
        }
        return best;
    }

    /** The run's evaluations that no later attempt replaced, one per step (the final row first within an attempt). */
    private static List<CurvePoint> curvePoints(List<AttemptRows> latestFirst) {
        Map<Long, Counted> byStep = new LinkedHashMap<>();
        for (AttemptRows rows : latestFirst) {
            for (int i = 0; i < rows.size(); i++) {
                long step = rows.steps()[i];
                if (replacedLater(step, rows.attempt(), latestFirst)) {
                    continue;
                }
                Counted counted = byStep.get(step);
                if (counted == null || counted.attempt() == rows.attempt() && rows.isFinal()[i] && !counted.isFinal()) {
                    byStep.put(step, new Counted(rows.attempt(), rows.isFinal()[i],
                            new CurvePoint(rows.flops()[i], rows.tokens()[i], rows.evalLoss()[i])));
                }
            }
        }
        List<CurvePoint> points = new ArrayList<>();
        new TreeMap<>(byStep).values().forEach(counted -> {
            if (Double.isFinite(counted.point().loss())) {
                points.add(counted.point());
            }
        });
        return points;
    }

    private static boolean replacedLater(long step, long attempt, List<AttemptRows> latestFirst) {
        for (AttemptRows other : latestFirst) {
            if (other.attempt() <= attempt) {
                return false;
            }
            if (other.covers(step)) {
                return true;
            }
        }
        return false;
    }

    private record FinalRow(AttemptRows attempt, int row) {}

    private record Counted(long attempt, boolean isFinal, CurvePoint point) {}
}
