package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The bootstrap over runs: resample {@code i} draws as many runs as there are, uniformly with replacement, from a
 * random stream that depends only on the seed and {@code i} (so any process can fit any resample and the result
 * does not depend on how resamples are spread over executors), then refits Approach 2 and Approach 3 on it.
 *
 * <p>Drawing runs, not budgets or points within a budget, is Epoch's resampling for Approach 3; for Approach 2 a
 * resample may leave a budget with too few distinct sizes, which then drops out of that resample's power law
 * (a wider interval, honestly). A run drawn k times enters both fits k times, under distinct ids. Approach 1 is
 * refitted on the training curves of the drawn runs (a run drawn twice adds nothing to an envelope): its interval
 * says how much the frontier depends on which runs happened to be trained.
 */
public final class Bootstrap {
    private final List<RunResult> runs;
    private final long seed;
    private final Approach2 approach2;
    private final Approach3 approach3;
    private final Map<String, TrainingCurve> curves;
    private final Approach1 approach1;

    /**
     * @param curves the runs' training curves for Approach 1, matched to runs by id; empty for none
     * @param approach3Settings the settings of each resample's Approach 3 fit, typically
     *     {@link Approach3Settings#forResamples} of the full fit's optimum
     */
    public Bootstrap(List<RunResult> runs, List<TrainingCurve> curves, long seed, Approach1Settings approach1Settings,
            Approach2Settings approach2Settings, Approach3Settings approach3Settings) {
        this.runs = List.copyOf(runs);
        this.curves = new HashMap<>();
        curves.forEach(curve -> this.curves.put(curve.runId(), curve));
        this.approach1 = new Approach1(approach1Settings);
        this.seed = seed;
        this.approach2 = new Approach2(approach2Settings);
        this.approach3 = new Approach3(approach3Settings);
    }

    /** Without training curves: Approaches 2 and 3 only. */
    public Bootstrap(List<RunResult> runs, long seed, Approach2Settings approach2Settings,
            Approach3Settings approach3Settings) {
        this(runs, List.of(), seed, Approach1Settings.defaults(), approach2Settings, approach3Settings);
    }

    /** Resample {@code index}: {@code runs.size()} runs drawn with replacement, the k-th draw's id suffixed "#k". */
    public static List<RunResult> resample(List<RunResult> runs, long seed, int index) {
        List<RunResult> drawn = new ArrayList<>(runs.size());
        int[] draws = draws(runs.size(), seed, index);
        for (int k = 0; k < draws.length; k++) {
            RunResult run = runs.get(draws[k]);
            drawn.add(new RunResult(run.runId() + "#" + k, run.budgetFlops(), run.parameters(), run.tokens(),
                    run.flops(), run.finalLoss(), run.uniqueTokens()));
        }
        return drawn;
    }

    /** The indices resample {@code index} draws from {@code size} runs. */
    private static int[] draws(int size, long seed, int index) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        int[] draws = new int[size];
        for (int k = 0; k < size; k++) {
            draws[k] = random.nextInt(size);
        }
        return draws;
    }

    /** Refits resample {@code index}. */
    public ResampleEstimate fit(int index) {
        List<RunResult> drawn = resample(runs, seed, index);
        Approach2Fit profiles = approach2.fit(drawn);
        Approach3Fit parametric = approach3.fit(drawn);
        Approach1Fit envelope = null;
        if (!curves.isEmpty()) {
            Set<String> drawnIds = new TreeSet<>();
            for (int draw : draws(runs.size(), seed, index)) {
                drawnIds.add(runs.get(draw).runId());
            }
            List<TrainingCurve> drawnCurves = drawnIds.stream().map(curves::get).filter(Objects::nonNull).toList();
            envelope = approach1.fit(drawnCurves);
        }
        return new ResampleEstimate(index, parametric.law(), profiles.nOpt(), profiles.dOpt(),
                envelope == null ? null : envelope.nOpt(), envelope == null ? null : envelope.dOpt());
    }

    /** Resamples 0 … {@code resamples}−1 on this JVM's common pool, in index order (Spark does it distributed). */
    public List<ResampleEstimate> fitAll(int resamples) {
        return IntStream.range(0, resamples).parallel().mapToObj(this::fit).toList();
    }

    /** SplitMix64's finaliser over the seed and the index: unrelated streams for neighbouring indices. */
    static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
