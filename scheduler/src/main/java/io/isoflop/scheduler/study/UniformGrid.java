package io.isoflop.scheduler.study;

import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import java.util.List;

/** The spec's grid as one stage: every planned run at once. */
public record UniformGrid(IsoFlopPlan plan) implements SweepStages {
    @Override
    public Stage next(int index, List<RunResult> finished) {
        if (index > 1) {
            return Stage.end(index, "uniform grid: every planned run has run");
        }
        return new Stage(index, plan.budgets(), plan.runs(), "uniform grid: every budget on the spec's model sizes");
    }
}
