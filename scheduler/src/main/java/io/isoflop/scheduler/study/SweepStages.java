package io.isoflop.scheduler.study;

import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.util.List;

/** How a sweep chooses its runs: the whole plan at once ({@link UniformGrid}) or stage by stage ({@link AdaptiveGrid}). */
public interface SweepStages {
    /**
     * The next stage, given the finished results of every earlier stage (empty before the first). A function of
     * those results only, so that a restarted sweep decides as it did before.
     *
     * @param index the index the stage gets (1 for the first)
     */
    Stage next(int index, List<RunResult> finished) throws SpecValidationException;
}
