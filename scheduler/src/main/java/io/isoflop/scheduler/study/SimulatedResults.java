package io.isoflop.scheduler.study;

import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Planned runs' final results drawn from a {@link SimulatedLaw}, as the fit sees them: the distribution the simulate
 * backend's final rows follow ({@code L(N, D)·(1 + runNoise·δ)·(1 + evalNoise·ε)}), without writing any file. One
 * repetition of a sweep is one seed; a run's draw depends only on the seed and its id, not on the other runs.
 */
public final class SimulatedResults {
    private SimulatedResults() {}

    public static List<RunResult> draw(List<RunSpec> runs, SimulatedLaw law, long seed) {
        List<RunResult> results = new ArrayList<>(runs.size());
        for (RunSpec run : runs) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + run.runId().hashCode());
            Long cap = run.data() == null ? null : run.data().uniqueTokens();
            long unique = cap == null ? run.tokens() : cap;
            double loss = law.drawFinalLoss(run.parameters(), run.tokens(), unique, random);
            results.add(new RunResult(run.runId(), run.budgetFlops(), run.parameters(), run.tokens(),
                    run.plannedFlops(), loss, unique));
        }
        return results;
    }
}
