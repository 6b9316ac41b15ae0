package io.isoflop.fitter.fit;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Minimises a {@link HuberLogLossObjective} from every start of a {@link StartGrid} with BFGS and keeps the best
 * (lowest objective; the lowest start index among equals, so the answer does not depend on thread timing).
 */
final class MultiStartMinimizer {
    private final Approach3Settings settings;

    MultiStartMinimizer(Approach3Settings settings) {
        this.settings = settings;
    }

    Result minimize(HuberLogLossObjective objective) {
        StartGrid grid = settings.starts();
        IntStream indices = IntStream.range(0, grid.size());
        if (settings.parallel()) {
            indices = indices.parallel();
        }
        // One minimiser per start: a few small arrays, against hundreds of objective evaluations per start.
        List<LocalMinimum> minima = indices
                .mapToObj(i -> new BfgsLocalMinimizer(objective, settings).minimize(i, grid.start(i)))
                .toList();

        LocalMinimum best = minima.stream()
                .filter(LocalMinimum::succeeded)
                .min(Comparator.comparingDouble(LocalMinimum::objective).thenComparingInt(LocalMinimum::startIndex))
                .orElse(null);
        int failed = (int) minima.stream().filter(m -> !m.succeeded()).count();
        int atStepLimit = (int) minima.stream().filter(m -> m.succeeded() && !m.stopped()).count();
        int nearBest = best == null ? 0 : (int) minima.stream()
                .filter(m -> m.succeeded() && m.objective() - best.objective() <= settings.nearBestTolerance())
                .count();
        return new Result(best, grid.size(), nearBest, failed, atStepLimit);
    }

    /**
     * @param best the lowest minimum; null when every start failed
     * @param starts how many starts were run
     * @param nearBest starts that ended within {@link Approach3Settings#nearBestTolerance()} of the best (itself
     *     included)
     * @param failed starts on which the optimiser threw or ended on a non-finite objective
     * @param atStepLimit starts stopped by {@link Approach3Settings#maxIterations()}, not by the optimiser
     */
    record Result(LocalMinimum best, int starts, int nearBest, int failed, int atStepLimit) {}
}
