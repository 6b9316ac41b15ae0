package io.isoflop.scheduler.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.isoflop.contracts.DataSpec;
import io.isoflop.contracts.FlopConvention;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.ParameterCount;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.TrainingRecipe;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpec.Budget;
import io.isoflop.scheduler.spec.NumberText;
import io.isoflop.scheduler.spec.SpecError;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a {@link BudgetSpec} into an {@link IsoFlopPlan}. Pure apart from checking that a {@code files} dataset
 * exists and that a {@code tokens} dataset's directory holds shards.
 *
 * <p>Per budget C and per target size N (log-spaced over {@code models.parameters}, or
 * {@code N = sqrt(C / (6·tpp))} for tpp log-spaced over {@code models.tokens_per_parameter}):
 * <ul>
 *   <li>the shape comes from {@link ShapeRule}, with the vocabulary {@code shape.vocab} (for a {@code tokens}
 *       dataset, its {@code vocab_size} unless padded); N is the shape's count under {@code flops.parameters};
 *   <li>D = round(C / flopsPerToken / context) · context, a whole number of sequences;
 *   <li>batch: start at {@code batch.sequences} and halve (down to 1) while the run would have fewer than
 *       {@code batch.min_steps} steps; steps = ceil(D / (sequences·context)), the last step holding the rest;
 *   <li>warmup = max(1, round(warmup_fraction·steps)); cosine to {@code final_lr_ratio}·peak over exactly
 *       {@code steps};
 *   <li>peak LR = max(min_lr, lr·min(1, lr_reference_width / d_model));
 *   <li>seed: every run uses {@code sweep.seed} unchanged, so all runs of a sweep see the same data order
 *       (common random numbers make runs within a budget easier to compare); change the sweep seed to
 *       replicate a sweep.
 * </ul>
 * Runs are ordered by budget ascending, then N ascending. The same spec always gives the same runs and ids.
 */
public final class IsoFlopPlanner {
    /** A grid over max_runs is still built to report its other problems, unless it has more runs than this. */
    static final long LARGEST_GRID_CHECKED = 100_000;

    /** No run is planned on more tokens than this: 50 times the largest training runs so far (about 2e13). */
    static final long MAX_TOKENS_PER_RUN = 1_000_000_000_000_000L;

    /** A run needs at least this many optimiser steps at one sequence per step, or its budget is too small. */
    public static final int MIN_STEPS_AT_ONE_SEQUENCE = 100;

    private static final JsonMapper SPEC_MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private IsoFlopPlanner() {}

    /**
     * Plans every run of the spec.
     *
     * @param sweepDir the sweep's directory; run specs point their metrics at {@code <sweepDir>/metrics}, or at the
     *     object store the spec's output names
     * @throws SpecValidationException for a grid that cannot be trained as asked: a missing dataset, two sizes
     *     of one budget with the same shape, a budget too small for {@value #MIN_STEPS_AT_ONE_SEQUENCE} steps, or
     *     more runs than {@code limits.max_runs}
     */
    public static IsoFlopPlan plan(BudgetSpec spec, Path sweepDir) throws SpecValidationException {
        List<SpecError> errors = new ArrayList<>();
        List<Budget> budgets = spec.budgets().points();
        int perBudget = spec.models().perBudget();
        long runCount = (long) budgets.size() * perBudget;
        if (runCount > spec.limits().maxRuns()) {
            errors.add(new SpecError("limits.max_runs", "the plan has " + runCount + " runs (" + budgets.size()
                    + " budgets x " + perBudget + " models), more than max_runs " + spec.limits().maxRuns()
                    + "; raise limits.max_runs or plan fewer budgets or models.per_budget"));
            if (runCount > LARGEST_GRID_CHECKED) { // said before anything is built: building it would take long
                throw new SpecValidationException(spec.source(), errors);
            }
        }
        DataSpec data = dataSpec(spec, errors);
        ShapeRule rule = ShapeRule.of(spec);
        String metricsDir = spec.sweep().metricsLocation(sweepDir);

        List<RunSpec> runs = new ArrayList<>();
        boolean fixedSizes = spec.models().parameters() != null;
        Set<String> reported = new HashSet<>();
        for (Budget budget : budgets) {
            Map<ModelShape, List<Long>> targetsOfShape = new LinkedHashMap<>();
            try {
                for (long target : targets(spec, budget.flops())) {
                    targetsOfShape.computeIfAbsent(rule.shapeFor(target), s -> new ArrayList<>()).add(target);
                }
            } catch (IllegalArgumentException e) { // a size no shape rule can build: said, not thrown
                errors.add(new SpecError(budget.field(), "cannot plan budget " + NumberText.format(budget.flops())
                        + ": " + e.getMessage() + "; check models and shape"));
                continue;
            }
            List<RunSpec> budgetRuns = new ArrayList<>();
            for (Map.Entry<ModelShape, List<Long>> entry : targetsOfShape.entrySet()) {
                if (entry.getValue().size() > 1) {
                    duplicateShape(spec, budget, fixedSizes, entry.getKey(), entry.getValue(), errors, reported);
                }
                budgetRuns.add(run(spec, budget.flops(), entry.getKey(), data, metricsDir));
            }
            RunSpec mostTokens = budgetRuns.stream().max(Comparator.comparingLong(RunSpec::tokens)).orElseThrow();
            if (mostTokens.tokens() > MAX_TOKENS_PER_RUN || mostTokens.tokens() < 0) {
                errors.add(tooLarge(budget, mostTokens));
                continue;
            }
            RunSpec leastTokens = budgetRuns.stream().min(Comparator.comparingLong(RunSpec::tokens)).orElseThrow();
            long minTokens = (long) MIN_STEPS_AT_ONE_SEQUENCE * spec.shape().context();
            if (leastTokens.tokens() < minTokens) {
                errors.add(tooSmall(budget, leastTokens, minTokens));
            }
            budgetRuns.sort(Comparator.comparingLong(RunSpec::parameters).thenComparing(RunSpec::runId));
            runs.addAll(budgetRuns);
        }
        if (!errors.isEmpty()) {
            throw new SpecValidationException(spec.source(), errors);
        }
        return new IsoFlopPlan(spec.sweep().name(), specHash(spec), sweepDir.toAbsolutePath(),
                spec.limits().maxParallel(), runs);
    }

    /**
     * SHA-256 (hex) of the resolved spec (every default filled in, properties in alphabetical order, the source
     * name left out): two specs that plan the same grid with the same settings have the same hash, however
     * they are formatted.
     */
    public static String specHash(BudgetSpec spec) {
        ObjectNode tree = SPEC_MAPPER.valueToTree(spec);
        tree.remove("source");
        return RunIds.sha256Hex(RunIds.canonicalJson(tree));
    }

    /** The target sizes of one budget, ascending. */
    static List<Long> targets(BudgetSpec spec, double budgetFlops) {
        int k = spec.models().perBudget();
        List<Long> targets = new ArrayList<>(k);
        if (spec.models().parameters() != null) {
            BudgetSpec.Bounds n = spec.models().parameters();
            for (int i = 0; i < k; i++) {
                targets.add(Math.max(1, Math.round(logSpaced(n.min(), n.max(), i, k))));
            }
        } else {
            BudgetSpec.Bounds tpp = spec.models().tokensPerParameter();
            for (int i = 0; i < k; i++) {
                double tokensPerParameter = logSpaced(tpp.max(), tpp.min(), i, k);
                targets.add(Math.max(1, Math.round(Math.sqrt(budgetFlops / (6 * tokensPerParameter)))));
            }
        }
        return targets;
    }

    private static double logSpaced(double from, double to, int i, int count) {
        if (i == 0) {
            return from;
        }
        if (i == count - 1) {
            return to;
        }
        return Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * i / (count - 1));
    }

    private static RunSpec run(BudgetSpec spec, double budgetFlops, ModelShape shape, DataSpec data, String metricsDir) {
        FlopConvention convention = spec.flops().convention();
        ParameterCount count = spec.flops().parameters();
        int context = spec.shape().context();
        long parameters = count.of(shape);
        double flopsPerToken = convention.flopsPerToken(shape, count);
        long tokens = Math.round(budgetFlops / flopsPerToken / context) * context;
        TrainingRecipe training = training(spec, shape, tokens);
        RunSpec unnamed = new RunSpec(RunSpec.SCHEMA_VERSION, spec.sweep().name(), "", budgetFlops, convention.id(),
                count.id(), shape, parameters, tokens, flopsPerToken, training, data, spec.eval().intervalTokens(),
                spec.sweep().seed(), spec.resources(), metricsDir, spec.checkpoint(), spec.simulate());
        return unnamed.withRunId(RunIds.of(unnamed));
    }

    /** The batch, step, warmup and learning-rate rules for a run of {@code tokens} tokens. */
    static TrainingRecipe training(BudgetSpec spec, ModelShape shape, long tokens) {
        long context = spec.shape().context();
        int sequences = spec.batch().sequences();
        while (sequences > 1 && steps(tokens, sequences, context) < spec.batch().minSteps()) {
            sequences /= 2;
        }
        long steps = steps(tokens, sequences, context);
        long warmup = Math.max(1, Math.round(spec.schedule().warmupFraction() * steps));
        BudgetSpec.Optimizer o = spec.optimizer();
        return new TrainingRecipe(sequences, steps, peakLearningRate(o, shape.dModel()),
                spec.schedule().finalLrRatio(), warmup, o.beta1(), o.beta2(), o.epsilon(), o.weightDecay());
    }

    /** max(min_lr, lr·min(1, lr_reference_width / d_model)). */
    static double peakLearningRate(BudgetSpec.Optimizer optimizer, int dModel) {
        double scale = Math.min(1.0, (double) optimizer.lrReferenceWidth() / dModel);
        return Math.max(optimizer.minLr(), optimizer.lr() * scale);
    }

    private static long steps(long tokens, long sequences, long context) {
        long perStep = sequences * context;
        return (tokens + perStep - 1) / perStep;
    }

    private static DataSpec dataSpec(BudgetSpec spec, List<SpecError> errors) {
        BudgetSpec.Dataset d = spec.dataset();
        String path = null;
        if (DataSpec.FILES.equals(d.source()) || DataSpec.TOKENS.equals(d.source())) {
            Path absolute = Path.of(d.path()).toAbsolutePath().normalize();
            if (!Files.exists(absolute)) {
                errors.add(new SpecError("dataset.path", "expected an existing file or directory, got '"
                        + d.path() + "' (" + absolute + " does not exist)"));
            } else if (DataSpec.TOKENS.equals(d.source()) && Files.isDirectory(absolute) && !holdsShards(absolute)) {
                errors.add(new SpecError("dataset.path", "expected a directory of token shards (*.bin files), got '"
                        + d.path() + "' (" + absolute + " holds none)"));
            }
            path = absolute.toString();
        }
        if (DataSpec.TOKENS.equals(d.source())) {
            return DataSpec.tokens(path, d.dtype(), d.vocabSize(), d.evalFraction(), d.evalTokens(),
                    d.finalEvalTokens()).withUniqueTokens(d.uniqueTokens());
        }
        return new DataSpec(d.source(), path, d.evalFraction(), d.evalTokens(), d.finalEvalTokens())
                .withUniqueTokens(d.uniqueTokens());
    }

    /** Whether a directory holds the worker's token shards: {@code *.bin} files directly inside it. */
    private static boolean holdsShards(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".bin") && Files.isRegularFile(f));
        } catch (IOException e) {
            return false;
        }
    }

    private static void duplicateShape(BudgetSpec spec, Budget budget, boolean fixedSizes, ModelShape shape,
            List<Long> targets, List<SpecError> errors, Set<String> reported) {
        String shapeText = PlanTable.shapeText(shape) + " (N=" + spec.flops().parameters().of(shape) + ")";
        String field = fixedSizes ? "models.parameters" : "models.tokens_per_parameter";
        String where = fixedSizes ? "at every budget" : "at budget " + NumberText.format(budget.flops());
        String message = "duplicate grid point " + where + ": target sizes "
                + targets.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + (targets.size() == 2 ? " both" : " all") + " give shape " + shapeText + "; use fewer models.per_budget (now "
                + spec.models().perBudget() + ") or a wider " + field.substring("models.".length()) + " range";
        if (reported.add(message)) {
            errors.add(new SpecError(field, message));
        }
    }

    private static SpecError tooLarge(Budget budget, RunSpec run) {
        double tokens = budget.flops() / run.flopsPerToken();
        return new SpecError(budget.field(), String.format(Locale.ROOT,
                "budget %s is too large for models this small: model %s (N=%d) would train on %s tokens, more than"
                        + " %s (the largest training runs so far saw about 2e13); plan larger models for it",
                NumberText.format(budget.flops()), PlanTable.shapeText(run.shape()), run.parameters(),
                NumberText.format(Double.parseDouble(String.format(Locale.ROOT, "%.3g", tokens))),
                NumberText.format((double) MAX_TOKENS_PER_RUN)));
    }

    private static SpecError tooSmall(Budget budget, RunSpec run, long minTokens) {
        double needed = minTokens * run.flopsPerToken();
        return new SpecError(budget.field(), String.format(Locale.ROOT,
                "budget %s is too small: model %s (N=%d) would train on %d tokens, %d sequences of %d, fewer"
                        + " than %d optimiser steps even at 1 sequence per step; it needs at least %s FLOPs"
                        + " (%d tokens x %s FLOPs/token)",
                NumberText.format(budget.flops()), PlanTable.shapeText(run.shape()), run.parameters(), run.tokens(),
                run.tokens() / run.shape().contextLength(), run.shape().contextLength(), MIN_STEPS_AT_ONE_SEQUENCE,
                NumberText.format(Double.parseDouble(String.format(Locale.ROOT, "%.3g", needed))), minTokens,
                NumberText.format(run.flopsPerToken())));
    }
}
