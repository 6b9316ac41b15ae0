package io.isoflop.scheduler.spec;

import io.isoflop.contracts.ObjectStore;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.isoflop.contracts.CheckpointPolicy;
import io.isoflop.contracts.DataSpec;
import io.isoflop.contracts.FlopConvention;
import io.isoflop.contracts.ParameterCount;
import io.isoflop.contracts.Resources;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.scheduler.spec.BudgetSpec.Batch;
import io.isoflop.scheduler.spec.BudgetSpec.Bounds;
import io.isoflop.scheduler.spec.BudgetSpec.Budget;
import io.isoflop.scheduler.spec.BudgetSpec.Budgets;
import io.isoflop.scheduler.spec.BudgetSpec.Dataset;
import io.isoflop.scheduler.spec.BudgetSpec.Eval;
import io.isoflop.scheduler.spec.BudgetSpec.Flops;
import io.isoflop.scheduler.spec.BudgetSpec.Limits;
import io.isoflop.scheduler.spec.BudgetSpec.Models;
import io.isoflop.scheduler.spec.BudgetSpec.Optimizer;
import io.isoflop.scheduler.spec.BudgetSpec.Schedule;
import io.isoflop.scheduler.spec.BudgetSpec.Shape;
import io.isoflop.scheduler.spec.BudgetSpec.Sweep;
import io.isoflop.scheduler.spec.FieldReader.Expect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a budget spec (YAML, snake_case keys) into a {@link BudgetSpec}: parses it into a tree, then reads it
 * field by field, collecting every problem with its field path. Unknown keys are errors; optional fields take
 * the defaults below. Throws one {@link SpecValidationException} listing all problems.
 */
public final class BudgetSpecLoader {
    static final String DEFAULT_MEMORY = "2Gi";

    /** The budget spec's sections, in order (the IsoFlopSweep CRD declares the same). */
    public static final List<String> SECTIONS = List.of("sweep", "budgets", "models", "flops", "shape",
            "dataset", "optimizer", "schedule", "batch", "eval", "resources", "limits", "checkpoint", "simulate",
            "adaptive");
    /** What a sweep name may be (the IsoFlopSweep CRD checks the same on spec.sweep.name). */
    public static final Pattern SWEEP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    /** A Kubernetes resource quantity such as 2Gi, 512Mi, 1.5G or 2048. */
    private static final Pattern MEMORY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    /** Budgets, in FLOPs: ten times the largest training runs so far (about 1e26). */
    private static final Expect BUDGET = Expect.positiveUpTo(1e27, "FLOPs");
    /** Vocabularies: 2^24 ids, far past any tokenizer's (the largest are about 2.6e5). */
    private static final int MAX_VOCAB = 1 << 24;
    private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate field '(.*)'");
    private static final Pattern SPECIAL_NUMBER = Pattern.compile("Malformed numeric value '([-+]?\\.(?:nan|NaN|NAN|inf|Inf|INF))'");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private BudgetSpecLoader() {}

    /** Reads and validates a spec file; an unreadable file is reported like any other spec error. */
    public static BudgetSpec load(Path file) throws SpecValidationException {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecValidationException(source, List.of(new SpecError("", "no such file")));
        } catch (IOException e) {
            throw new SpecValidationException(source, List.of(new SpecError("", "cannot read the file: " + e)));
        }
        return parse(text, source);
    }

    /**
     * Parses and validates spec text.
     *
     * @param sourceName names the spec in messages (usually its file name)
     */
    public static BudgetSpec parse(String yaml, String sourceName) throws SpecValidationException {
        List<SpecError> aliases = aliases(yaml);
        if (!aliases.isEmpty()) {
            throw new SpecValidationException(sourceName, aliases);
        }
        JsonNode root;
        try (JsonParser parser = YAML.createParser(yaml)) {
            root = YAML.readTree(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new SpecValidationException(sourceName, List.of(new SpecError("",
                        "expected a single YAML document, found another one at line " + at.getLineNr())));
            }
        } catch (JacksonException e) {
            throw new SpecValidationException(sourceName, List.of(syntaxError(e)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string failed", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new SpecValidationException(sourceName, List.of(new SpecError("",
                    "the spec is empty; expected a mapping with sections: " + String.join(", ", SECTIONS))));
        }
        if (!root.isObject()) {
            throw new SpecValidationException(sourceName, List.of(new SpecError("",
                    "expected a mapping with sections: " + String.join(", ", SECTIONS) + ", got "
                            + FieldReader.describe(root))));
        }
        List<SpecError> errors = new ArrayList<>();
        FieldReader spec = FieldReader.root(root, errors, SECTIONS);
        Sweep sweep = sweep(spec.section("sweep", true, List.of("name", "output", "seed", "records")));
        Budgets budgets = budgets(spec.section("budgets", true, List.of("flops", "range")));
        Models models = models(spec.section("models", true, List.of("per_budget", "parameters",
                "tokens_per_parameter")));
        Flops flops = flops(spec.section("flops", false, List.of("convention", "parameters")));
        FieldReader shapeFields = spec.section("shape", false, List.of("vocab", "context", "aspect_ratio",
                "head_dim", "width_multiple", "mlp_ratio", "min_layers"));
        Dataset dataset = dataset(spec.section("dataset", false, List.of("source", "path", "dtype", "vocab_size",
                "eval_fraction", "eval_tokens", "final_eval_tokens", "unique_tokens")));
        BudgetSpec result = new BudgetSpec(
                sweep,
                budgets,
                models,
                flops,
                shape(shapeFields, dataset),
                dataset,
                optimizer(spec.section("optimizer", false, List.of("name", "lr", "lr_reference_width", "min_lr",
                        "beta1", "beta2", "epsilon", "weight_decay"))),
                schedule(spec.section("schedule", false, List.of("warmup_fraction", "final_lr_ratio"))),
                batch(spec.section("batch", false, List.of("sequences", "min_steps"))),
                eval(spec.section("eval", false, List.of("interval_tokens"))),
                resources(spec.section("resources", false, List.of("gpu_type", "gpus", "cpu", "memory"))),
                limits(spec.section("limits", false, List.of("max_parallel", "max_runs"))),
                checkpoint(spec.section("checkpoint", false, List.of("every_steps", "every_seconds", "keep"))),
                simulate(spec.section("simulate", false, List.of("law", "noise"))),
                adaptive(spec.section("adaptive", false, List.of("first_budgets", "per_budget", "spread", "target",
                        "resamples")), budgets),
                sourceName);
        if (!errors.isEmpty()) {
            throw new SpecValidationException(sourceName, errors);
        }
        return result;
    }

    private static SpecError syntaxError(JacksonException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String field = e.getProcessor() instanceof JsonParser parser ? fieldPath(parser.getParsingContext()) : "";
        String problem = e.getOriginalMessage();
        Matcher duplicate = DUPLICATE_KEY.matcher(problem);
        if (duplicate.find()) {
            String key = duplicate.group(1);
            String path = field.equals(key) || field.endsWith("." + key) ? field
                    : field.isEmpty() ? key : field + "." + key; // the reader may already stand on the key
            return new SpecError(path, "duplicate key" + where);
        }
        Matcher special = SPECIAL_NUMBER.matcher(problem);
        if (special.find()) { // YAML's .nan and .inf, which the YAML reader refuses before any field check
            return new SpecError(field, "expected a finite number, got '" + special.group(1) + "'" + where);
        }
        if (e.getCause() instanceof MarkedYAMLException marked) {
            problem = (marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem();
        }
        return new SpecError(field, "YAML syntax error" + where + ": " + problem.strip());
    }

    /**
     * YAML aliases ({@code *name}), which the tree reader would take for the text {@code name}: refused, naming
     * the field. Syntax errors are left to the real read.
     */
    private static List<SpecError> aliases(String yaml) {
        List<SpecError> found = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(yaml)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
                    found.add(new SpecError(fieldPath(parser.getParsingContext()), "YAML aliases are not supported"
                            + " (*" + parser.getText() + " at line " + parser.currentLocation().getLineNr()
                            + "); write the value out"));
                }
            }
        } catch (IOException e) {
            // reported, with its field, by the read that follows
        }
        return found;
    }

    /** Where the reader was, as a spec field path ({@code budgets.flops[2]}); empty at the top. */
    private static String fieldPath(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, (c.getParent() == null || c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            }
        }
        return path.toString();
    }

    /** An error at {@code key} when this machine cannot use {@code value} as a path (a NUL in it, say). */
    private static void requireValidPath(FieldReader r, String key, String value) {
        if (value == null) {
            return;
        }
        try {
            Path.of(value);
        } catch (InvalidPathException e) {
            r.error(key, "expected a path, got '" + printable(value) + "' (" + e.getReason() + ")");
        }
    }

    /** Control characters written as escapes, so that a message shows them. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(Character.isISOControl(c)
                ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
        return out.toString();
    }

    private static Sweep sweep(FieldReader r) {
        String name = r.requiredText("name");
        if (name != null && !SWEEP_NAME.matcher(name).matches()) {
            r.error("name", "expected 1..40 characters of a-z, 0-9 and '-', starting with a letter, got '"
                    + name + "'");
        }
        String output = r.text("output", Sweep.DEFAULT_OUTPUT);
        if (output != null && output.isBlank()) {
            r.error("output", "expected a folder path, got ''");
        } else if (output != null && ObjectStore.isObjectStore(output)) {
            try {
                ObjectStore.parse(output);
            } catch (IllegalArgumentException e) {
                r.error("output", e.getMessage());
            }
        } else {
            requireValidPath(r, "output", output);
        }
        String records = r.text("records", null);
        if (records != null && (records.isBlank() || ObjectStore.isObjectStore(records))) {
            r.error("records", "expected a local folder path, got '" + printable(records) + "'");
        } else if (records != null && output != null && !ObjectStore.isObjectStore(output)) {
            r.error("records", "only used when sweep.output is on an object store (s3://bucket/prefix); the records"
                    + " of a sweep with a folder output are in <output>/<name>");
        } else if (records != null) {
            requireValidPath(r, "records", records);
        }
        long seed = r.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        return new Sweep(name, output, seed, records);
    }

    private static Budgets budgets(FieldReader r) {
        boolean list = r.has("flops");
        boolean range = r.has("range");
        if (list && range) {
            r.error(null, "expected exactly one of flops (a list) or range ({min, max, count}), got both");
            return new Budgets(List.of(), null);
        }
        if (!list && !range) {
            if (r.isPresent()) {
                r.error(null, "expected exactly one of flops (a list) or range ({min, max, count}), got neither");
            }
            return new Budgets(List.of(), null);
        }
        return list ? budgetList(r) : new Budgets(null, budgetRange(r));
    }

    private static Budgets budgetList(FieldReader r) {
        JsonNode node = r.value("flops");
        if (!node.isArray() || node.isEmpty()) {
            r.error("flops", "expected a non-empty list of budgets in FLOPs (e.g. [1e11, 3e11]), got "
                    + (node.isArray() ? "an empty list" : FieldReader.describe(node)));
            return new Budgets(List.of(), null);
        }
        List<Double> flops = new ArrayList<>();
        Map<Double, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = r.pathOf("flops") + "[" + i + "]";
            double c = r.number(node.get(i), at, BUDGET);
            Integer earlier = seen.putIfAbsent(c, i);
            if (!Double.isNaN(c) && earlier != null) {
                r.error("flops[" + i + "]", "duplicate budget " + NumberText.format(c) + " (same as "
                        + r.pathOf("flops") + "[" + earlier + "])");
            }
            flops.add(c);
        }
        return new Budgets(flops, null);
    }

    private static Budgets.Range budgetRange(FieldReader budgets) {
        FieldReader r = budgets.section("range", true, List.of("min", "max", "count"));
        double min = r.requiredNumber("min", BUDGET);
        double max = r.requiredNumber("max", BUDGET);
        int count = (int) r.integer("count", 0, 1, 1000);
        if (!r.has("count")) {
            r.error("count", "required");
        }
        if (count == 1 && min != max && !Double.isNaN(min) && !Double.isNaN(max)) {
            r.error("count", "expected at least 2 when min and max differ, got 1");
        } else if (count > 1 && min >= max) {
            r.error("min", "expected less than max (" + NumberText.format(max) + "), got " + NumberText.format(min));
        } else if (count > 1 && !Double.isNaN(min) && !Double.isNaN(max)) {
            Budgets.Range range = new Budgets.Range(min, max, count);
            List<Budget> points = new Budgets(null, range).points();
            if (points.stream().map(Budget::flops).distinct().count() < count) {
                r.error("count", "expected budgets that differ at 3 significant digits; " + count
                        + " budgets between " + NumberText.format(min) + " and " + NumberText.format(max)
                        + " repeat, use a smaller count");
            }
        }
        return new Budgets.Range(min, max, count);
    }

    private static Models models(FieldReader r) {
        int perBudget = (int) r.integer("per_budget", 5, 3, 1000);
        boolean fixed = r.has("parameters");
        boolean perToken = r.has("tokens_per_parameter");
        if (fixed && perToken) {
            r.error(null, "expected exactly one of parameters ({min, max}) or tokens_per_parameter ({min, max}),"
                    + " got both");
            return new Models(perBudget, null, null);
        }
        if (!fixed && !perToken) {
            if (r.isPresent()) {
                r.error(null, "expected exactly one of parameters ({min, max}) or tokens_per_parameter"
                        + " ({min, max}), got neither");
            }
            return new Models(perBudget, null, null);
        }
        return fixed ? new Models(perBudget, bounds(r, "parameters", Expect.within(1, 1e13)), null)
                : new Models(perBudget, null, bounds(r, "tokens_per_parameter", Expect.within(1e-3, 1e7)));
    }

    /** A {min, max} range, each end within {@code limits} (N up to 1e13; tokens per parameter 1e-3 to 1e7). */
    private static Bounds bounds(FieldReader parent, String key, Expect limits) {
        FieldReader r = parent.section(key, true, List.of("min", "max"));
        double min = r.requiredNumber("min", limits);
        double max = r.requiredNumber("max", limits);
        if (min >= max) {
            r.error("min", "expected less than max (" + NumberText.format(max) + "), got " + NumberText.format(min));
        }
        return new Bounds(min, max);
    }

    private static Flops flops(FieldReader r) {
        FlopConvention convention = FlopConvention.SIX_N;
        String conventionId = r.scalarText("convention", null);
        if (conventionId != null) {
            try {
                convention = FlopConvention.fromId(conventionId);
            } catch (IllegalArgumentException e) {
                r.error("convention", e.getMessage());
            }
        }
        ParameterCount count = ParameterCount.NON_EMBEDDING;
        String countId = r.text("parameters", null);
        if (countId != null) {
            try {
                count = ParameterCount.fromId(countId);
            } catch (IllegalArgumentException e) {
                r.error("parameters", e.getMessage());
            }
        }
        return new Flops(convention, count);
    }

    /** Read after the dataset: a tokens dataset's vocabulary is the model's unless the spec pads it. */
    private static Shape shape(FieldReader r, Dataset dataset) {
        int vocab;
        if (DataSpec.TOKENS.equals(dataset.source())) {
            int tokens = dataset.vocabSize() == null ? 2 : dataset.vocabSize(); // null: already an error
            vocab = (int) r.integer("vocab", tokens, 2, MAX_VOCAB);
            if (vocab < tokens) {
                r.error("vocab", "expected at least dataset.vocab_size (" + tokens + "), one embedding per token id,"
                        + " got " + vocab);
            }
        } else {
            vocab = (int) r.integer("vocab", DataSpec.BYTE_VOCABULARY, DataSpec.BYTE_VOCABULARY, MAX_VOCAB);
        }
        int context = (int) r.integer("context", 128, 2, 1 << 20);
        double aspect = r.number("aspect_ratio", 16, Expect.within(1, 4096)); // d_model / n_layer
        int headDim = (int) r.integer("head_dim", 64, 1, 4096);
        int widthMultiple = (int) r.integer("width_multiple", headDim, 1, 4096);
        int mlpRatio = (int) r.integer("mlp_ratio", 4, 1, 64);
        int minLayers = (int) r.integer("min_layers", 1, 1, 1000);
        return new Shape(vocab, context, aspect, headDim, widthMultiple, mlpRatio, minLayers);
    }

    private static Dataset dataset(FieldReader r) {
        String source = r.text("source", DataSpec.EUROPARL);
        if (source != null && !DataSpec.SOURCES.contains(source)) {
            r.error("source", "expected one of " + String.join(", ", DataSpec.SOURCES) + ", got '" + source + "'");
        }
        boolean tokens = DataSpec.TOKENS.equals(source);
        String path = r.text("path", null);
        if (DataSpec.FILES.equals(source) && path == null && !r.has("path")) {
            r.error("path", "required when dataset.source is " + DataSpec.FILES + " (a text file or a directory)");
        } else if (tokens && path == null && !r.has("path")) {
            r.error("path", "required when dataset.source is " + DataSpec.TOKENS
                    + " (a directory of token shards, or one shard file)");
        } else if (path != null && path.isBlank()) {
            r.error("path", "expected a file or directory path, got ''");
        } else if (path != null && DataSpec.EUROPARL.equals(source)) {
            r.error("path", "only used when dataset.source is " + DataSpec.FILES + " or " + DataSpec.TOKENS
                    + "; remove it or set source: " + DataSpec.FILES);
        } else if (path != null) {
            requireValidPath(r, "path", path);
        }
        String dtype = null;
        Integer vocabSize = null;
        if (tokens) {
            dtype = r.text("dtype", null);
            if (dtype == null && !r.has("dtype")) {
                r.error("dtype", "required when dataset.source is " + DataSpec.TOKENS + ": the shards' token type, "
                        + String.join(" or ", DataSpec.DTYPES));
            } else if (dtype != null && !DataSpec.DTYPES.contains(dtype)) {
                r.error("dtype", "expected one of " + String.join(", ", DataSpec.DTYPES) + ", got '" + dtype + "'");
                dtype = null;
            }
            if (!r.has("vocab_size")) {
                r.error("vocab_size", "required when dataset.source is " + DataSpec.TOKENS
                        + ": the tokenizer's vocabulary size (every token id is below it), e.g. 50257 for GPT-2");
            } else {
                long declared = r.integer("vocab_size", -1, 2, Integer.MAX_VALUE);
                if (declared > 0) {
                    vocabSize = (int) declared;
                }
                if (DataSpec.UINT16.equals(dtype) && declared > 1 << 16) {
                    r.error("vocab_size", "expected at most 65536 with dtype " + DataSpec.UINT16
                            + " (ids 0..65535), got " + declared + "; use dtype " + DataSpec.UINT32);
                }
            }
        } else {
            for (String key : List.of("dtype", "vocab_size")) {
                if (r.has(key)) {
                    r.error(key, "only used when dataset.source is " + DataSpec.TOKENS
                            + " (text is byte-level, vocabulary 256); remove it or set source: " + DataSpec.TOKENS);
                }
            }
        }
        double evalFraction = r.number("eval_fraction", 0.01, Expect.between(0, 0.5));
        long evalTokens = r.integer("eval_tokens", 8192, 1, Long.MAX_VALUE);
        long finalEvalTokens = r.integer("final_eval_tokens", 65536, 1, Long.MAX_VALUE);
        Long uniqueTokens = null;
        if (r.has("unique_tokens")) { // a data-constrained sweep: every run draws from these tokens only
            long cap = r.integer("unique_tokens", -1, 1024, Long.MAX_VALUE);
            uniqueTokens = cap > 0 ? cap : null;
        }
        return new Dataset(source, path, dtype, vocabSize, evalFraction, evalTokens, finalEvalTokens, uniqueTokens);
    }

    private static Optimizer optimizer(FieldReader r) {
        String name = r.text("name", "adamw");
        if (name != null && !name.equals("adamw")) {
            r.error("name", "expected adamw (the only optimizer for now), got '" + name + "'");
        }
        double lr = r.number("lr", 6.0e-3, Expect.positive());
        int referenceWidth = r.intValue("lr_reference_width", 64, 1);
        double minLr = r.number("min_lr", 0, Expect.atLeast(0));
        if (minLr > lr) {
            r.error("min_lr", "expected at most lr (" + NumberText.format(lr) + "), got " + NumberText.format(minLr));
        }
        double beta1 = r.number("beta1", 0.9, Expect.fromUpTo(0, 1));
        double beta2 = r.number("beta2", 0.95, Expect.fromUpTo(0, 1));
        double epsilon = r.number("epsilon", 1.0e-8, Expect.positive());
        double weightDecay = r.number("weight_decay", 0.01, Expect.atLeast(0));
        return new Optimizer(name, lr, referenceWidth, minLr, beta1, beta2, epsilon, weightDecay);
    }

    private static Schedule schedule(FieldReader r) {
        return new Schedule(
                r.number("warmup_fraction", 0.05, Expect.fromUpTo(0, 1)),
                r.number("final_lr_ratio", 0.1, Expect.within(0, 1)));
    }

    private static Batch batch(FieldReader r) {
        return new Batch(r.intValue("sequences", 8, 1), r.intValue("min_steps", 300, 1));
    }

    private static Eval eval(FieldReader r) {
        return new Eval(r.integer("interval_tokens", 65536, 1, Long.MAX_VALUE));
    }

    private static Resources resources(FieldReader r) {
        String gpuType = r.text("gpu_type", null);
        if (gpuType != null && gpuType.isBlank()) {
            r.error("gpu_type", "expected a GPU type such as nvidia-h100 or null, got ''");
        }
        int gpus = (int) r.integer("gpus", 0, 0, 16); // one run is one pod on one node
        double cpu = r.number("cpu", 1, Expect.positiveUpTo(1024, "cores"));
        String memory = r.scalarText("memory", DEFAULT_MEMORY);
        if (memory != null && !MEMORY.matcher(memory).matches()) {
            r.error("memory", "expected a quantity such as 2Gi, 512Mi or 4G, got '" + memory + "'");
        }
        return new Resources(gpuType, gpus, cpu, memory);
    }

    /** When workers save their state; steps and seconds may both be set (whichever comes first), or 0 for off. */
    private static CheckpointPolicy checkpoint(FieldReader r) {
        CheckpointPolicy defaults = CheckpointPolicy.DEFAULT;
        long steps = r.integer("every_steps", defaults.everySteps(), 0, Long.MAX_VALUE);
        long seconds = r.integer("every_seconds", defaults.everySeconds(), 0, Long.MAX_VALUE);
        JsonNode keep = r.value("keep");
        if (keep != null && !keep.isBoolean()) {
            r.error("keep", "expected true or false, got " + FieldReader.describe(keep));
        }
        return new CheckpointPolicy(steps, seconds, keep != null && keep.asBoolean());
    }

    /**
     * The law a simulated sweep's runs are drawn from (Chinchilla's fit and 1% noise where not given), or null
     * without a {@code simulate} section: the runs train.
     */
    private static SimulatedLaw simulate(FieldReader r) {
        if (!r.isPresent()) {
            return null;
        }
        SimulatedLaw defaults = SimulatedLaw.chinchilla(0.01, 0.01);
        FieldReader law = r.section("law", false, List.of("E", "A", "alpha", "B", "beta", "r_star_d", "r_star_n"));
        FieldReader noise = r.section("noise", false, List.of("run", "eval"));
        Expect exponent = new Expect("an exponent in (0, 2]", v -> v > 0 && v <= 2);
        Expect relative = new Expect("a relative noise in [0, 0.5]", v -> v >= 0 && v <= 0.5);
        return new SimulatedLaw(
                law.number("E", defaults.e(), Expect.atLeast(0)),
                law.number("A", defaults.a(), Expect.positive()),
                law.number("alpha", defaults.alpha(), exponent),
                law.number("B", defaults.b(), Expect.positive()),
                law.number("beta", defaults.beta(), exponent),
                noise.number("run", defaults.runNoise(), relative),
                noise.number("eval", defaults.evalNoise(), relative),
                law.has("r_star_d") ? law.number("r_star_d", Double.NaN, Expect.positive()) : null,
                law.has("r_star_n") ? law.number("r_star_n", Double.NaN, Expect.positive()) : null);
    }

    /**
     * The adaptive grid, or null without an {@code adaptive} section. At least one precision target; the first
     * stage leaves at least one budget for the later stages.
     */
    private static BudgetSpec.Adaptive adaptive(FieldReader r, Budgets budgets) {
        if (!r.isPresent()) {
            return null;
        }
        int budgetCount = budgets == null || (budgets.flops() == null && budgets.range() == null) ? Integer.MAX_VALUE
                : budgets.points().size();
        int first = r.intValue("first_budgets", 3, 2);
        if (budgetCount != Integer.MAX_VALUE && first >= budgetCount) {
            r.error("first_budgets", "expected fewer than the spec's " + budgetCount + " budgets (the later stages"
                    + " need at least one), got " + first);
        }
        int perBudget = r.intValue("per_budget", 3, 3);
        FieldReader spread = r.section("spread", false, List.of("min", "max"));
        Expect decades = new Expect("decades of N in (0, 3]", v -> v > 0 && v <= 3);
        double minSpread = spread.number("min", 0.8, decades);
        double maxSpread = spread.number("max", 1.0, decades);
        if (minSpread > maxSpread) {
            spread.error("min", "expected at most spread.max (" + maxSpread + "), got " + minSpread);
        }
        FieldReader target = r.section("target", true, List.of("a_width", "n_opt_decades", "n_opt_budget"));
        Expect width = new Expect("a positive interval width", v -> v > 0);
        Double aWidth = target.has("a_width") ? target.number("a_width", Double.NaN, width) : null;
        Double nOptDecades = target.has("n_opt_decades") ? target.number("n_opt_decades", Double.NaN, width) : null;
        Double nOptBudget = target.has("n_opt_budget") ? target.number("n_opt_budget", Double.NaN, Expect.positive())
                : null;
        if (target.isPresent() && aWidth == null && nOptDecades == null) {
            r.error("target", "expected a_width (the 95% interval width on a) or n_opt_decades with n_opt_budget");
        }
        if ((nOptDecades == null) != (nOptBudget == null)) {
            target.error(nOptDecades == null ? "n_opt_decades" : "n_opt_budget",
                    "expected n_opt_decades and n_opt_budget together");
        }
        int resamples = r.intValue("resamples", 200, 20);
        return new BudgetSpec.Adaptive(first, perBudget, minSpread, maxSpread, aWidth, nOptDecades, nOptBudget,
                resamples);
    }

    private static Limits limits(FieldReader r) {
        return new Limits(r.intValue("max_parallel", 2, 1), r.intValue("max_runs", 200, 1));
    }
}
