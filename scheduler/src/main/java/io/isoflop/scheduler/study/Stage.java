package io.isoflop.scheduler.study;

import io.isoflop.contracts.RunSpec;
import java.util.List;

/**
 * One stage of a sweep: the runs it adds and why. A stage without runs ends the sweep; its reason says why (the
 * precision was reached, or no budget is left).
 *
 * @param index 1 for the first stage
 * @param budgets the budgets the stage runs, ascending
 * @param runs the stage's runs
 * @param reason why these runs, in a sentence a person reads in the report
 */
public record Stage(int index, List<Double> budgets, List<RunSpec> runs, String reason) {
    public Stage {
        budgets = List.copyOf(budgets);
        runs = List.copyOf(runs);
    }

    public static Stage end(int index, String reason) {
        return new Stage(index, List.of(), List.of(), reason);
    }

    public boolean ends() {
        return runs.isEmpty();
    }

    public double plannedFlops() {
        return runs.stream().mapToDouble(RunSpec::plannedFlops).sum();
    }
}
