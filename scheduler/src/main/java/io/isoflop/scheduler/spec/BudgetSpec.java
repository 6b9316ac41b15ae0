package io.isoflop.scheduler.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.isoflop.contracts.CheckpointPolicy;
import io.isoflop.contracts.FlopConvention;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.ParameterCount;
import io.isoflop.contracts.Resources;
import io.isoflop.contracts.SimulatedLaw;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A validated budget spec with every default filled in. Built by {@link BudgetSpecLoader}; the records do not
 * validate themselves, so build them through the loader.
 *
 * @param source where the spec came from (a file name or the name given to {@link BudgetSpecLoader#parse});
 *     used in error messages only, and not part of the spec's hash
 */
public record BudgetSpec(
        Sweep sweep,
        Budgets budgets,
        Models models,
        Flops flops,
        Shape shape,
        Dataset dataset,
        Optimizer optimizer,
        Schedule schedule,
        Batch batch,
        Eval eval,
        Resources resources,
        Limits limits,
        CheckpointPolicy checkpoint,
        SimulatedLaw simulate,
        @JsonInclude(JsonInclude.Include.NON_NULL) Adaptive adaptive,
        String source) {

    /** A spec without an adaptive grid: every planned run at once. */
    public BudgetSpec(Sweep sweep, Budgets budgets, Models models, Flops flops, Shape shape, Dataset dataset,
            Optimizer optimizer, Schedule schedule, Batch batch, Eval eval, Resources resources, Limits limits,
            CheckpointPolicy checkpoint, SimulatedLaw simulate, String source) {
        this(sweep, budgets, models, flops, shape, dataset, optimizer, schedule, batch, eval, resources, limits,
                checkpoint, simulate, null, source);
    }

    /**
     * Refuses a spec with an adaptive grid where stages are not run (the cluster service): running its spec grid
     * instead would spend what it was meant to save.
     */
    public void requireNotAdaptive(String where) throws SpecValidationException {
        if (adaptive != null) {
            throw new SpecValidationException(source, List.of(new SpecError("adaptive", where + " does not run"
                    + " adaptive grids stage by stage yet; run it with `isoflop sweep SPEC --backend kubernetes`,"
                    + " or remove the adaptive section to run the spec's whole grid")));
        }
    }

    /** This spec with other budgets and models (a stage of an adaptive grid), everything else as it is. */
    public BudgetSpec withGrid(Budgets otherBudgets, Models otherModels) {
        return new BudgetSpec(sweep, otherBudgets, otherModels, flops, shape, dataset, optimizer, schedule, batch,
                eval, resources, limits, checkpoint, simulate, adaptive, source);
    }

    /**
     * @param output parent folder of the sweep directory, relative paths resolving against the working directory;
     *     or {@code s3://bucket/prefix} on an object store, where the workers keep the metrics
     *     ({@code <output>/<name>/metrics}) and the fitter the report ({@code <output>/<name>/fit})
     * @param seed the seed every run of the sweep uses
     * @param records for an output on an object store: the local parent folder of the sweep directory, where this
     *     scheduler keeps the plan, the run records, the attempts' logs and a copy of the frontier (null: the default
     *     {@value #DEFAULT_OUTPUT}); not given for a folder output
     */
    public record Sweep(String name, String output, long seed, @JsonInclude(JsonInclude.Include.NON_NULL) String records) {
        public static final String DEFAULT_OUTPUT = "sweeps";

        public Sweep(String name, String output, long seed) {
            this(name, output, seed, null);
        }

        /** Whether the output is on an object store. */
        public boolean onObjectStore() {
            return ObjectStore.isObjectStore(output);
        }

        /** {@code <output>/<name>} (or {@code <records>/<name>}), absolute, relative to the working directory. */
        public Path directory() {
            return directory(Path.of("").toAbsolutePath());
        }

        /** The sweep directory when relative outputs start at {@code workingDir}. */
        public Path directory(Path workingDir) {
            String local = !onObjectStore() ? output : records != null ? records : DEFAULT_OUTPUT;
            return workingDir.resolve(local).resolve(name).toAbsolutePath().normalize();
        }

        /** Where the workers keep the metrics of the sweep whose directory is {@code sweepDir}. */
        public String metricsLocation(Path sweepDir) {
            return onObjectStore() ? ObjectStore.parse(output).resolve(name).resolve(MetricsLayout.METRICS_DIR).uri()
                    : MetricsLayout.ofSweep(sweepDir).toAbsolutePath().toString();
        }
    }

    /**
     * The IsoFLOP budgets: exactly one of an explicit list or a geometric range.
     *
     * @param flops the budgets as listed (in the spec's order); null when {@code range} is used
     * @param range a geometric range with inclusive ends; null when {@code flops} is used
     */
    public record Budgets(List<Double> flops, Range range) {
        public Budgets {
            flops = flops == null ? null : List.copyOf(flops);
        }

        /**
         * @param count how many budgets, geometrically spaced from {@code min} to {@code max}; interior budgets
         *     are rounded to 3 significant digits so that they read well in run ids
         */
        public record Range(double min, double max, int count) {}

        /** The budgets in ascending order, each with the spec field it came from. */
        public List<Budget> points() {
            List<Budget> points = new ArrayList<>();
            if (flops != null) {
                for (int i = 0; i < flops.size(); i++) {
                    points.add(new Budget(flops.get(i), "budgets.flops[" + i + "]"));
                }
            } else {
                for (int i = 0; i < range.count(); i++) {
                    points.add(new Budget(rangePoint(i), "budgets.range"));
                }
            }
            points.sort(Comparator.comparingDouble(Budget::flops));
            return points;
        }

        private double rangePoint(int i) {
            if (i == 0 || range.count() == 1) {
                return range.min();
            }
            if (i == range.count() - 1) {
                return range.max();
            }
            double logMin = Math.log(range.min());
            double value = Math.exp(logMin + (Math.log(range.max()) - logMin) * i / (range.count() - 1));
            return new BigDecimal(value).round(new MathContext(3)).doubleValue();
        }
    }

    /** One budget C in FLOPs and the spec field that declared it ({@code budgets.flops[i]} or {@code budgets.range}). */
    public record Budget(double flops, String field) {}

    /** An inclusive interval. */
    public record Bounds(double min, double max) {}

    /**
     * The model sizes of each budget: exactly one of {@code parameters} (a fixed N range, the same for every
     * budget) or {@code tokensPerParameter} (N from C per budget); the other is null.
     */
    public record Models(int perBudget, Bounds parameters, Bounds tokensPerParameter) {}

    public record Flops(FlopConvention convention, ParameterCount parameters) {}

    /**
     * The rule's inputs that turn a target N into a model shape (see {@code plan.ShapeRule}).
     *
     * @param vocab the model's vocabulary: 256 (or more) for byte-level text; for a {@code tokens} dataset its
     *     {@code vocab_size} unless the spec pads it (e.g. 50304 for GPT-2's 50257)
     */
    public record Shape(
            int vocab, int context, double aspectRatio, int headDim, int widthMultiple, int mlpRatio, int minLayers) {}

    /**
     * @param path the file or directory for {@code files} and {@code tokens}, as written in the spec (a relative
     *     path resolves against the working directory when the plan is made); null for {@code europarl}
     * @param dtype the token width of a {@code tokens} dataset ({@code uint16} or {@code uint32}); null otherwise
     *     (and then left out of the spec hash, so the hash of a text spec is what it was before tokens existed)
     * @param vocabSize the vocabulary of a {@code tokens} dataset (every token id is below it); null otherwise
     * @param uniqueTokens {@code unique_tokens}: every run draws its training windows from only the first this many
     *     training tokens, repeating them (a data-constrained sweep); null for the whole training split
     */
    public record Dataset(
            String source,
            String path,
            @JsonInclude(JsonInclude.Include.NON_NULL) String dtype,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer vocabSize,
            double evalFraction,
            long evalTokens,
            long finalEvalTokens,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long uniqueTokens) {

        /** A byte-level text dataset. */
        public Dataset(String source, String path, double evalFraction, long evalTokens, long finalEvalTokens) {
            this(source, path, null, null, evalFraction, evalTokens, finalEvalTokens, null);
        }

        /** A dataset whose runs draw from all of its training tokens. */
        public Dataset(String source, String path, String dtype, Integer vocabSize, double evalFraction,
                long evalTokens, long finalEvalTokens) {
            this(source, path, dtype, vocabSize, evalFraction, evalTokens, finalEvalTokens, null);
        }
    }

    public record Optimizer(
            String name,
            double lr,
            int lrReferenceWidth,
            double minLr,
            double beta1,
            double beta2,
            double epsilon,
            double weightDecay) {}

    public record Schedule(double warmupFraction, double finalLrRatio) {}

    public record Batch(int sequences, int minSteps) {}

    public record Eval(long intervalTokens) {}

    public record Limits(int maxParallel, int maxRuns) {}

    /**
     * An adaptive IsoFLOP grid ({@code adaptive:}): the sweep runs in stages, the smallest budgets first on the
     * spec's grid, then each next budget's model sizes centred on the N_opt the runs so far predict for it, until
     * the requested precision is reached or the budgets run out.
     *
     * @param firstBudgets how many of the smallest budgets the first stage runs, with the spec's {@code models}
     * @param perBudget model sizes of each later budget
     * @param minSpread fewest decades of N either side of the predicted N_opt (enough curvature for a parabola)
     * @param maxSpread most decades either side
     * @param aWidth stop once the 95% interval on a is at most this wide; null for no such target
     * @param nOptDecades stop once the 95% interval on log10 N_opt at {@code nOptBudget} is at most this wide
     *     (decades); null for no such target
     * @param nOptBudget the budget of the N_opt target; null with {@code nOptDecades}
     * @param resamples bootstrap resamples behind each stage's intervals
     */
    public record Adaptive(int firstBudgets, int perBudget, double minSpread, double maxSpread,
            Double aWidth, Double nOptDecades, Double nOptBudget, int resamples) {}
}
