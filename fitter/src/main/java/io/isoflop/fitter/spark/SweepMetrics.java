package io.isoflop.fitter.spark;

import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.fit.TrainingCurve;
import java.util.List;

/**
 * What a sweep's metric files say about its finished runs.
 *
 * @param sweep the sweep name the runs carry (names joined by ", " if they disagree)
 * @param flopConvention the FLOP convention all runs declare (see {@code io.isoflop.contracts.FlopConvention})
 * @param runs one result per finished run, from the final row of its latest attempt
 * @param curves the finished runs' held-out loss curves (none for a table of final losses)
 * @param notes observations worth reporting, e.g. runs that have not finished
 */
public record SweepMetrics(String sweep, String flopConvention, List<RunResult> runs, List<TrainingCurve> curves,
        List<String> notes) {
    public SweepMetrics {
        runs = List.copyOf(runs);
        curves = List.copyOf(curves);
        notes = List.copyOf(notes);
    }
}
