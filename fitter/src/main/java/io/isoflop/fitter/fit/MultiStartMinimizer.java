package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Minimises a {@link HuberLogLossObjective} from every start of a {@link StartGrid} with BFGS and keeps the best
 * (lowest objective; the lowest start index among equals, so the answer does not depend on thread timing).
 *
 * <p>With more points than {@link Approach3Settings#searchPoints()}, the starts search on that many points spread
 * through the data ({@link HuberLogLossObjective#spreadSample}); the {@link Approach3Settings#refinedMinima()} best
 * distinct minima of that search are then minimised again on all points, and the best of those is the result. The
 * search finds the basins, whose places a few hundred points already fix; the refinement puts the optimum where all
 * points put it.
 */
final class MultiStartMinimizer {
    /** Two minima closer than this in every parameter are one minimum: refining both would repeat work. */
    private static final double SAME_MINIMUM = 1e-6;

    private final Approach3Settings settings;

    MultiStartMinimizer(Approach3Settings settings) {
        this.settings = settings;
    }

    Result minimize(HuberLogLossObjective objective) {
        HuberLogLossObjective searched = objective.spreadSample(settings.searchPoints());
        StartGrid grid = settings.starts();
        IntStream indices = IntStream.range(0, grid.size());
        if (settings.parallel()) {
            indices = indices.parallel();
        }
        // One minimiser per start: a few small arrays, against hundreds of objective evaluations per start.
        List<LocalMinimum> minima = indices
                .mapToObj(i -> new BfgsLocalMinimizer(searched, settings).minimize(i, grid.start(i)))
                .toList();
        Comparator<LocalMinimum> lowestFirst = Comparator.comparingDouble(LocalMinimum::objective)
                .thenComparingInt(LocalMinimum::startIndex);
        LocalMinimum searchBest = minima.stream().filter(LocalMinimum::succeeded).min(lowestFirst).orElse(null);
        int failed = (int) minima.stream().filter(m -> !m.succeeded()).count();
        int atStepLimit = (int) minima.stream().filter(m -> m.succeeded() && !m.stopped()).count();
        int nearBest = searchBest == null ? 0 : (int) minima.stream()
                .filter(m -> m.succeeded() && m.objective() - searchBest.objective() <= settings.nearBestTolerance())
                .count();
        LocalMinimum best = searched == objective || searchBest == null
                ? searchBest
                : refine(objective, minima.stream().filter(LocalMinimum::succeeded).sorted(lowestFirst).toList(),
                        lowestFirst);
        return new Result(best, grid.size(), nearBest, failed, atStepLimit, searched.size());
    }

    /** Minimises the full objective again from the best distinct search minima; the lowest result wins. */
    private LocalMinimum refine(HuberLogLossObjective objective, List<LocalMinimum> searchedLowestFirst,
            Comparator<LocalMinimum> lowestFirst) {
        List<LocalMinimum> seeds = new ArrayList<>();
        for (LocalMinimum candidate : searchedLowestFirst) {
            if (seeds.size() == settings.refinedMinima()) {
                break;
            }
            if (seeds.stream().noneMatch(seed -> same(seed.parameters(), candidate.parameters()))) {
                seeds.add(candidate);
            }
        }
        IntStream indices = IntStream.range(0, seeds.size());
        if (settings.parallel()) {
            indices = indices.parallel();
        }
        return indices.mapToObj(i -> new BfgsLocalMinimizer(objective, settings)
                        .minimize(seeds.get(i).startIndex(), seeds.get(i).parameters()))
                .filter(LocalMinimum::succeeded)
                .min(lowestFirst)
                .orElse(null);
    }

    private static boolean same(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > SAME_MINIMUM * Math.max(1, Math.abs(a[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param best the lowest minimum; null when every start failed
     * @param starts how many starts were run
     * @param nearBest starts that ended within {@link Approach3Settings#nearBestTolerance()} of the best (itself
     *     included); measured in the search, on {@code searchedPoints} points
     * @param failed starts on which the optimiser threw or ended on a non-finite objective
     * @param atStepLimit starts stopped by {@link Approach3Settings#maxIterations()}, not by the optimiser
     * @param searchedPoints the points the starts searched on: all of them, or a spread sample when there were more
     *     than {@link Approach3Settings#searchPoints()}
     */
    record Result(LocalMinimum best, int starts, int nearBest, int failed, int atStepLimit, int searchedPoints) {}
}
