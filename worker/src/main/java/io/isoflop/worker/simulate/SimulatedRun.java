package io.isoflop.worker.simulate;

import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.contracts.TrainingRecipe;
import io.isoflop.worker.device.ComputeDevice;
import io.isoflop.worker.model.ParameterCounts;
import io.isoflop.worker.sink.MetricRow;
import io.isoflop.worker.sink.RunConstants;
import io.isoflop.worker.sink.RunMetricsSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The worker's simulate mode: a run whose metric rows are drawn from its {@link SimulatedLaw} instead of trained,
 * the same rows a training worker writes (one per optimiser step, an evaluation every {@code evalIntervalTokens},
 * the final summary row) through the same sink, in one final file. Deterministic per run: the noise is seeded by
 * the sweep's seed and the run id, so every attempt draws the same run.
 */
public final class SimulatedRun {
    /** The device columns of a simulated run. */
    public static final ComputeDevice DEVICE = new ComputeDevice("simulated", "ground-truth law", 0);
    public static final String PRECISION = "simulated";

    private SimulatedRun() {}

    /** Draws the run and writes its final metrics file for attempt {@code attempt} (epoch ms); returns its path. */
    public static Path write(RunSpec spec, long attempt) throws IOException {
        ModelShape shape = spec.shape();
        ParameterCounts counted = new ParameterCounts(shape.totalParameters(), shape.nonEmbeddingParameters(),
                shape.embeddingParameters(), shape.outputParameters());
        RunMetricsSink sink = new RunMetricsSink(Path.of(spec.metricsDir()),
                RunConstants.of(spec, attempt, counted, DEVICE, PRECISION));
        List<MetricRow> rows = rows(spec);
        for (MetricRow row : rows.subList(0, rows.size() - 1)) {
            sink.add(row);
        }
        return sink.finish(rows.get(rows.size() - 1));
    }

    /**
     * The run's rows: steps 1..S with the tokens seen so far, the law's loss at those tokens times the run's offset
     * (and each evaluation's noise), NaN where a training worker has none; then the final row at D.
     */
    public static List<MetricRow> rows(RunSpec spec) {
        SimulatedLaw law = spec.simulation();
        TrainingRecipe recipe = spec.training();
        long tokensPerStep = (long) recipe.batchSequences() * spec.shape().contextLength();
        SplittableRandom random = new SplittableRandom(spec.seed() * 1_000_003L + spec.runId().hashCode());
        double offset = 1 + law.runNoise() * gaussian(random);
        double n = spec.parameters();
        Long cap = spec.data() == null ? null : spec.data().uniqueTokens();
        // a capped run repeats its unique tokens; an uncapped one draws from unlimited data (0 epochs recorded)
        double unique = cap == null ? Double.POSITIVE_INFINITY : cap;
        List<MetricRow> rows = new ArrayList<>((int) Math.min(recipe.steps() + 1, Integer.MAX_VALUE));
        long previous = 0;
        for (long step = 1; step <= recipe.steps(); step++) {
            long tokens = Math.min(step * tokensPerStep, spec.tokens());
            double mean = law.loss(n, tokens, unique) * offset;
            boolean evaluated = step < recipe.steps() && spec.evalIntervalTokens() > 0
                    && tokens / spec.evalIntervalTokens() > previous / spec.evalIntervalTokens();
            double evalLoss = evaluated ? mean * (1 + law.evalNoise() * gaussian(random)) : Double.NaN;
            double trainLoss = mean * (1 + law.evalNoise() * gaussian(random));
            rows.add(new MetricRow(step, tokens, tokens * spec.flopsPerToken(), trainLoss, evalLoss,
                    recipe.learningRateAt(step), 0, 0, tokens / unique, false));
            previous = tokens;
        }
        long tokens = spec.tokens();
        double finalLoss = law.loss(n, tokens, unique) * offset * (1 + law.evalNoise() * gaussian(random));
        MetricRow last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
        rows.add(new MetricRow(recipe.steps(), tokens, tokens * spec.flopsPerToken(),
                last == null ? Double.NaN : last.trainLoss(), finalLoss, recipe.learningRateAt(recipe.steps()), 0, 0,
                tokens / unique, true));
        return rows;
    }

    private static double gaussian(SplittableRandom random) {
        return SimulatedLaw.standardNormal(random);
    }
}
