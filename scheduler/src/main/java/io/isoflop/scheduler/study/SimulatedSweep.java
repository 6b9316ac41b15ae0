package io.isoflop.scheduler.study;

import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep played out without training: each stage its {@link SweepStages} choose, the stage's runs drawn from a
 * law ({@link SimulatedResults}), until a stage ends the sweep.
 *
 * @param stages every stage, the ending one last
 * @param results every run's final result
 */
public record SimulatedSweep(List<Stage> stages, List<RunResult> results) {
    /** More stages than any spec has budgets: a strategy that never ends is a defect, said rather than looped. */
    private static final int MAX_STAGES = 10_000;

    public SimulatedSweep {
        stages = List.copyOf(stages);
        results = List.copyOf(results);
    }

    public static SimulatedSweep run(SweepStages strategy, SimulatedLaw law, long seed)
            throws SpecValidationException {
        List<Stage> stages = new ArrayList<>();
        List<RunResult> results = new ArrayList<>();
        for (int index = 1; index <= MAX_STAGES; index++) {
            Stage stage = strategy.next(index, results);
            stages.add(stage);
            if (stage.ends()) {
                return new SimulatedSweep(stages, results);
            }
            results.addAll(SimulatedResults.draw(stage.runs(), law, seed));
        }
        throw new IllegalStateException("the sweep's stages did not end after " + MAX_STAGES + " stages");
    }

    /** The training FLOPs of every run. */
    public double flops() {
        return stages.stream().mapToDouble(Stage::plannedFlops).sum();
    }
}
