package io.isoflop.scheduler.spec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.CheckpointPolicy;
import io.isoflop.contracts.DataSpec;
import io.isoflop.contracts.FlopConvention;
import io.isoflop.contracts.ParameterCount;
import io.isoflop.contracts.Resources;
import io.isoflop.scheduler.spec.BudgetSpec.Budget;
import java.nio.file.Files;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetSpecLoaderTest {
    static final Path QUICKSTART = Path.of("src", "test", "resources", "fixture-spec.yaml");

    @Test
    void quickstartExampleReadsEveryField() throws Exception {
        BudgetSpec spec = BudgetSpecLoader.load(QUICKSTART);

        assertAll(
                () -> assertEquals(new BudgetSpec.Sweep("quickstart", "sweeps", 1234), spec.sweep()),
                () -> assertEquals(List.of(1e11, 3e11, 1e12, 3e12), spec.budgets().flops()),
                () -> assertNull(spec.budgets().range()),
                () -> assertEquals(new BudgetSpec.Models(5, new BudgetSpec.Bounds(4000, 120000), null), spec.models()),
                () -> assertEquals(new BudgetSpec.Flops(FlopConvention.SIX_N, ParameterCount.NON_EMBEDDING),
                        spec.flops()),
                () -> assertEquals(new BudgetSpec.Shape(256, 128, 16, 8, 8, 4, 1), spec.shape()),
                () -> assertEquals(new BudgetSpec.Dataset("europarl", null, 0.01, 8192, 65536), spec.dataset()),
                () -> assertEquals(new BudgetSpec.Optimizer("adamw", 6e-3, 64, 3e-3, 0.9, 0.95, 1e-8, 0.01),
                        spec.optimizer()),
                () -> assertEquals(new BudgetSpec.Schedule(0.05, 0.1), spec.schedule()),
                () -> assertEquals(new BudgetSpec.Batch(8, 300), spec.batch()),
                () -> assertEquals(new BudgetSpec.Eval(65536), spec.eval()),
                () -> assertEquals(new Resources(null, 0, 1, "2Gi"), spec.resources()),
                () -> assertEquals(new BudgetSpec.Limits(2, 200), spec.limits()),
                () -> assertEquals(QUICKSTART.toString(), spec.source()));
    }

    @Test
    void omittedFieldsTakeTheirDefaults() throws Exception {
        BudgetSpec spec = BudgetSpecLoader.parse("""
                sweep: {name: tiny}
                budgets: {flops: [1e11]}
                models: {parameters: {min: 4000, max: 120000}}
                """, "tiny.yaml");

        assertAll(
                () -> assertEquals(new BudgetSpec.Sweep("tiny", "sweeps", 0), spec.sweep()),
                () -> assertEquals(5, spec.models().perBudget()),
                () -> assertEquals(new BudgetSpec.Flops(FlopConvention.SIX_N, ParameterCount.NON_EMBEDDING),
                        spec.flops()),
                () -> assertEquals(new BudgetSpec.Shape(256, 128, 16, 64, 64, 4, 1), spec.shape()),
                () -> assertEquals(new BudgetSpec.Dataset(DataSpec.EUROPARL, null, 0.01, 8192, 65536), spec.dataset()),
                () -> assertEquals(new BudgetSpec.Optimizer("adamw", 6e-3, 64, 0, 0.9, 0.95, 1e-8, 0.01),
                        spec.optimizer()),
                () -> assertEquals(new BudgetSpec.Schedule(0.05, 0.1), spec.schedule()),
                () -> assertEquals(new BudgetSpec.Batch(8, 300), spec.batch()),
                () -> assertEquals(new BudgetSpec.Eval(65536), spec.eval()),
                () -> assertEquals(new Resources(null, 0, 1, "2Gi"), spec.resources()),
                () -> assertEquals(new BudgetSpec.Limits(2, 200), spec.limits()));
    }

    @Test
    void sweepDirectoryIsOutputSlashNameUnderTheWorkingDirectory() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("sweep", "{name: abc, output: out/x}").parse();

        assertEquals(Path.of("out", "x", "abc").toAbsolutePath(), spec.sweep().directory());
    }

    @Test
    void anObjectStoreOutputKeepsMetricsThereAndTheRecordsInALocalFolder() throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("sweep", "{name: abc, output: 's3://bucket/team/', records: local/recs}").parse();
        Path sweepDir = spec.sweep().directory();

        assertEquals(Path.of("local", "recs", "abc").toAbsolutePath(), sweepDir);
        assertEquals("s3://bucket/team/abc/metrics", spec.sweep().metricsLocation(sweepDir));
        IsoFlopPlan plan = IsoFlopPlanner.plan(spec, sweepDir);
        assertTrue(plan.runs().stream().allMatch(r -> r.metricsDir().equals("s3://bucket/team/abc/metrics")));
        assertEquals("s3://bucket/team/abc/fit", plan.fitTarget().output());
        assertEquals(sweepDir.resolve("fit"), plan.fitTarget().localDir());
        assertEquals(Path.of("sweeps", "abc").toAbsolutePath(), SpecText.minimal()
                .with("sweep", "{name: abc, output: 's3://bucket/team'}").parse().sweep().directory(),
                "the records default to ./sweeps");
    }

    @Test
    void anObjectStoreOutputNamesItsBucketAndRecordsOnlyGoWithOne() {
        SpecError badBucket = onlyError(SpecText.minimal().with("sweep", "{name: abc, output: 's3://Bad_Bucket/x'}"));
        assertEquals("sweep.output", badBucket.path());
        assertTrue(badBucket.message().contains("bucket"), badBucket.message());

        SpecError records = onlyError(SpecText.minimal().with("sweep", "{name: abc, output: out, records: r}"));
        assertEquals("sweep.records", records.path());
        assertTrue(records.message().contains("object store"), records.message());

        SpecError remoteRecords = onlyError(SpecText.minimal()
                .with("sweep", "{name: abc, output: 's3://bucket/x', records: 's3://bucket/y'}"));
        assertEquals("sweep.records", remoteRecords.path());
    }

    @Test
    void missingSweepNameIsRequired() {
        SpecError error = onlyError(SpecText.minimal().with("sweep", "{seed: 3}"));

        assertEquals(new SpecError("sweep.name", "required"), error);
    }

    @Test
    void missingSectionsAreEachReported() {
        SpecValidationException e = invalid(SpecText.minimal().without("budgets").without("models").yaml());

        assertEquals(List.of(new SpecError("budgets", "required"), new SpecError("models", "required")),
                e.getErrors());
    }

    @Test
    void sweepNameMustBeLowercaseLettersDigitsAndDashes() {
        SpecError error = onlyError(SpecText.minimal().with("sweep", "{name: Quick Start}"));

        assertEquals("sweep.name", error.path());
        assertEquals("expected 1..40 characters of a-z, 0-9 and '-', starting with a letter, got 'Quick Start'",
                error.message());
    }

    @Test
    void badNumberNamesTheListElementAndTheValue() {
        SpecError error = onlyError(SpecText.minimal().with("budgets", "{flops: [1e11, 3e11, abc]}"));

        assertEquals(new SpecError("budgets.flops[2]", "expected a positive number up to 1e27 FLOPs, got 'abc'"), error);
    }

    @Test
    void budgetsAcceptNumbersWrittenAsStrings() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("budgets", "{flops: [\"1e11\", '2.5e11', 1e12]}").parse();

        assertEquals(List.of(1e11, 2.5e11, 1e12), spec.budgets().flops());
    }

    @Test
    void nonFiniteNumberIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("optimizer", "{lr: 1e400}"));

        assertEquals("optimizer.lr", error.path());
        assertTrue(error.message().startsWith("expected a positive number, got "), error.message());
        assertTrue(error.message().endsWith("which is not a finite number"), error.message());
    }

    @Test
    void budgetsMustBeStrictlyPositive() {
        SpecValidationException e = invalid(SpecText.minimal().with("budgets", "{flops: [0, -3e11]}").yaml());

        assertEquals(List.of(new SpecError("budgets.flops[0]", "expected a positive number up to 1e27 FLOPs, got '0'"),
                new SpecError("budgets.flops[1]", "expected a positive number up to 1e27 FLOPs, got '-3e11'")), e.getErrors());
    }

    @Test
    void duplicateBudgetsAreRejectedEvenWhenWrittenDifferently() {
        SpecError error = onlyError(SpecText.minimal().with("budgets", "{flops: [1e11, 3e11, '1.0e11']}"));

        assertEquals(new SpecError("budgets.flops[2]", "duplicate budget 1e11 (same as budgets.flops[0])"), error);
    }

    @Test
    void emptyBudgetListIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("budgets", "{flops: []}"));

        assertEquals("budgets.flops", error.path());
        assertTrue(error.message().endsWith("got an empty list"), error.message());
    }

    @Test
    void unknownKeyListsTheExpectedFields() {
        SpecError error = onlyError(SpecText.minimal().with("optimizer", "{lrr: 0.1}"));

        assertEquals("optimizer.lrr", error.path());
        assertEquals("unknown field; expected one of: name, lr, lr_reference_width, min_lr, beta1, beta2, epsilon,"
                + " weight_decay (did you mean 'lr'?)", error.message());
    }

    @Test
    void unknownSectionIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("trainer", "{steps: 3}"));

        assertEquals("trainer", error.path());
        assertTrue(error.message().startsWith("unknown field; expected one of: sweep, budgets, models,"),
                error.message());
    }

    @Test
    void minAboveMaxIsRejectedAtMin() {
        SpecError error = onlyError(SpecText.minimal().with("models", "{parameters: {min: 200000, max: 120000}}"));

        assertEquals(new SpecError("models.parameters.min", "expected less than max (120000), got 200000"), error);
    }

    @Test
    void budgetRangeMinAboveMaxIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("budgets", "{range: {min: 3e12, max: 1e11, count: 4}}"));

        assertEquals(new SpecError("budgets.range.min", "expected less than max (1e11), got 3e12"), error);
    }

    @Test
    void bothBudgetFormsAreRejected() {
        SpecError error = onlyError(SpecText.minimal()
                .with("budgets", "{flops: [1e11], range: {min: 1e11, max: 1e12, count: 3}}"));

        assertEquals(new SpecError("budgets",
                "expected exactly one of flops (a list) or range ({min, max, count}), got both"), error);
    }

    @Test
    void neitherBudgetFormIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("budgets", "{}"));

        assertEquals(new SpecError("budgets",
                "expected exactly one of flops (a list) or range ({min, max, count}), got neither"), error);
    }

    @Test
    void bothModelFormsAreRejected() {
        SpecError error = onlyError(SpecText.minimal().with("models",
                "{parameters: {min: 4000, max: 8000}, tokens_per_parameter: {min: 20, max: 2000}}"));

        assertEquals("models", error.path());
        assertTrue(error.message().endsWith("got both"), error.message());
    }

    @Test
    void tooFewModelsPerBudgetIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("models",
                "{per_budget: 2, parameters: {min: 4000, max: 8000}}"));

        assertEquals(new SpecError("models.per_budget", "expected a whole number in [3, 1000], got '2'"), error);
    }

    @Test
    void budgetRangeIsGeometricWithInclusiveEnds() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("budgets", "{range: {min: 1e11, max: 1e13, count: 5}}").parse();

        assertEquals(List.of(1e11, 3.16e11, 1e12, 3.16e12, 1e13),
                spec.budgets().points().stream().map(Budget::flops).toList());
        assertTrue(spec.budgets().points().stream().allMatch(b -> b.field().equals("budgets.range")));
    }

    @Test
    void budgetListIsPlannedInAscendingOrderKeepingItsFieldNames() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("budgets", "{flops: [1e12, 1e11]}").parse();

        assertEquals(List.of(new Budget(1e11, "budgets.flops[1]"), new Budget(1e12, "budgets.flops[0]")),
                spec.budgets().points());
    }

    @Test
    void badConventionListsTheKnownOnes() {
        SpecError error = onlyError(SpecText.minimal().with("flops", "{convention: 7N}"));

        assertEquals(new SpecError("flops.convention", "expected one of 6N, kaplan, deepseek, got '7N'"), error);
    }

    @Test
    void everyConventionAndParameterCountIsAccepted() throws Exception {
        assertEquals(FlopConvention.KAPLAN, SpecText.minimal().with("flops", "{convention: kaplan}").parse()
                .flops().convention());
        assertEquals(FlopConvention.DEEPSEEK, SpecText.minimal().with("flops", "{convention: deepseek}").parse()
                .flops().convention());
        assertEquals(ParameterCount.TOTAL, SpecText.minimal().with("flops", "{parameters: total}").parse()
                .flops().parameters());
    }

    @Test
    void badParameterCountIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("flops", "{parameters: all}"));

        assertEquals(new SpecError("flops.parameters", "expected one of non_embedding, total, got 'all'"), error);
    }

    @Test
    void filesDatasetNeedsAPath() {
        SpecError error = onlyError(SpecText.minimal().with("dataset", "{source: files}"));

        assertEquals(new SpecError("dataset.path",
                "required when dataset.source is files (a text file or a directory)"), error);
    }

    @Test
    void europarlDatasetTakesNoPath() {
        SpecError error = onlyError(SpecText.minimal().with("dataset", "{source: europarl, path: /tmp/x}"));

        assertEquals("dataset.path", error.path());
        assertTrue(error.message().startsWith("only used when dataset.source is files"), error.message());
    }

    @Test
    void unknownDatasetSourceIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("dataset", "{source: wikipedia}"));

        assertEquals(new SpecError("dataset.source", "expected one of europarl, files, tokens, got 'wikipedia'"), error);
    }

    @Test
    void tokensDatasetDeclaresItsDtypeAndVocabularyWhichTheModelTakes() throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("dataset", "{source: tokens, path: /data/fineweb10B, dtype: uint16, vocab_size: 50257}").parse();

        assertEquals(new BudgetSpec.Dataset(DataSpec.TOKENS, "/data/fineweb10B", DataSpec.UINT16, 50257, 0.01, 8192,
                65536), spec.dataset());
        assertEquals(50257, spec.shape().vocab());
        BudgetSpec wide = SpecText.minimal().with("shape", "{head_dim: 8, vocab: 128256}")
                .with("dataset", "{source: tokens, path: shards, dtype: uint32, vocab_size: 128256}").parse();
        assertEquals(DataSpec.UINT32, wide.dataset().dtype());
        assertEquals(128256, wide.shape().vocab());
    }

    @Test
    void theModelVocabularyMayPadATokensDatasetButNotFallShortOfIt() throws Exception {
        String gpt2 = "{source: tokens, path: shards, dtype: uint16, vocab_size: 50257}";
        BudgetSpec padded = SpecText.minimal().with("shape", "{head_dim: 8, vocab: 50304}").with("dataset", gpt2)
                .parse();
        assertEquals(50304, padded.shape().vocab());

        SpecError error = onlyError(SpecText.minimal().with("shape", "{head_dim: 8, vocab: 256}")
                .with("dataset", gpt2));
        assertEquals(new SpecError("shape.vocab",
                "expected at least dataset.vocab_size (50257), one embedding per token id, got 256"), error);
    }

    @Test
    void tokensDatasetNeedsAPathADtypeAndAVocabulary() {
        SpecValidationException e = invalid(SpecText.minimal().with("dataset", "{source: tokens}").yaml());

        assertEquals(List.of(
                new SpecError("dataset.path",
                        "required when dataset.source is tokens (a directory of token shards, or one shard file)"),
                new SpecError("dataset.dtype",
                        "required when dataset.source is tokens: the shards' token type, uint16 or uint32"),
                new SpecError("dataset.vocab_size", "required when dataset.source is tokens: the tokenizer's"
                        + " vocabulary size (every token id is below it), e.g. 50257 for GPT-2")),
                e.getErrors());
    }

    @Test
    void tokensDtypeIsUint16OrUint32AndUint16HoldsAtMost65536Ids() {
        assertEquals(new SpecError("dataset.dtype", "expected one of uint16, uint32, got 'int64'"),
                onlyError(SpecText.minimal()
                        .with("dataset", "{source: tokens, path: s, dtype: int64, vocab_size: 500}")));
        assertEquals(new SpecError("dataset.vocab_size",
                        "expected at most 65536 with dtype uint16 (ids 0..65535), got 128256; use dtype uint32"),
                onlyError(SpecText.minimal()
                        .with("dataset", "{source: tokens, path: s, dtype: uint16, vocab_size: 128256}")));
        assertEquals(new SpecError("dataset.vocab_size", "expected a whole number >= 2, got '1'"),
                onlyError(SpecText.minimal()
                        .with("dataset", "{source: tokens, path: s, dtype: uint16, vocab_size: 1}")));
    }

    @Test
    void textDatasetsTakeNoDtypeOrVocabulary() {
        SpecError error = onlyError(SpecText.minimal().with("dataset", "{source: europarl, vocab_size: 50257}"));

        assertEquals("dataset.vocab_size", error.path());
        assertTrue(error.message().startsWith("only used when dataset.source is tokens"), error.message());
    }

    @Test
    void evalFractionMustLieStrictlyBetweenZeroAndHalf() {
        SpecError error = onlyError(SpecText.minimal().with("dataset", "{eval_fraction: 0.5}"));

        assertEquals(new SpecError("dataset.eval_fraction", "expected a number in (0, 0.5), got '0.5'"), error);
    }

    @Test
    void wholeNumberFieldRejectsAFraction() {
        SpecError error = onlyError(SpecText.minimal().with("batch", "{sequences: 2.5}"));

        assertEquals(new SpecError("batch.sequences", "expected a whole number >= 1, got '2.5'"), error);
    }

    @Test
    void seedMustBeAWholeNumber() {
        SpecError error = onlyError(SpecText.minimal().with("sweep", "{name: t, seed: one}"));

        assertEquals(new SpecError("sweep.seed", "expected a whole number, got 'one'"), error);
    }

    @Test
    void minLrAboveLrIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("optimizer", "{lr: 1e-3, min_lr: 3.0e-3}"));

        assertEquals(new SpecError("optimizer.min_lr", "expected at most lr (0.001), got 0.003"), error);
    }

    @Test
    void onlyAdamwIsKnown() {
        SpecError error = onlyError(SpecText.minimal().with("optimizer", "{name: sgd}"));

        assertEquals(new SpecError("optimizer.name", "expected adamw (the only optimizer for now), got 'sgd'"),
                error);
    }

    @Test
    void memoryMustBeAQuantity() {
        SpecError error = onlyError(SpecText.minimal().with("resources", "{memory: lots}"));

        assertEquals(new SpecError("resources.memory", "expected a quantity such as 2Gi, 512Mi or 4G, got 'lots'"),
                error);
    }

    @Test
    void sectionOfTheWrongKindIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("shape", "5"));

        assertEquals(new SpecError("shape",
                "expected a mapping with fields vocab, context, aspect_ratio, head_dim, width_multiple, mlp_ratio,"
                        + " min_layers,"
                        + " got '5'"), error);
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        SpecValidationException e = invalid("sweep:\n  name: x\n budgets: 3\n");

        assertEquals(1, e.getErrors().size());
        assertEquals("sweep", e.getErrors().get(0).path(), "the section it was reading");
        assertTrue(e.getErrors().get(0).message().startsWith("YAML syntax error at line 3, column 2: "),
                e.getErrors().get(0).message());
    }

    @Test
    void duplicateKeyIsRejected() {
        SpecValidationException e = invalid("sweep:\n  name: x\n  name: y\n");

        assertEquals(List.of(new SpecError("sweep.name", "duplicate key at line 3, column 7")), e.getErrors());
    }

    @Test
    void duplicateSectionIsNamed() {
        SpecValidationException e = invalid(SpecText.minimal().yaml() + "budgets: {flops: [1e12]}\n");

        assertEquals("budgets", e.getErrors().get(0).path(), e.getMessage());
    }

    @Test
    void yamlNanAndInfinityAreRefusedAtTheirField() {
        SpecError nan = onlyError(SpecText.minimal().with("budgets", "{flops: [1e11, .nan]}"));
        SpecError inf = onlyError(SpecText.minimal().with("optimizer", "{lr: .inf}"));

        assertEquals("budgets.flops[1]", nan.path());
        assertTrue(nan.message().startsWith("expected a finite number, got '.nan'"), nan.message());
        assertEquals("optimizer.lr", inf.path());
        assertTrue(inf.message().startsWith("expected a finite number, got '.inf'"), inf.message());
    }

    @Test
    void yamlAliasesAreRefusedAtTheirFieldRatherThanReadAsText() {
        SpecValidationException defined = invalid(SpecText.minimal()
                .with("optimizer", "{lr: &lr 0.006, min_lr: *lr}").yaml());
        SpecValidationException undefined = invalid(SpecText.minimal().with("optimizer", "{lr: *nowhere}").yaml());

        assertEquals(List.of(new SpecError("optimizer.min_lr", "YAML aliases are not supported (*lr at line 5); write"
                + " the value out")), defined.getErrors());
        assertEquals("optimizer.lr", undefined.getErrors().get(0).path(), undefined.getMessage());
    }

    /** Found by bench/chaos.sh's 20,000 generated specs: an alias outside any field named nothing. */
    @Test
    void anAliasOutsideAnyFieldIsRefusedWithItsLine() {
        SpecValidationException rootAlias = invalid("# a spec\n*a# with a comment\n" + SpecText.minimal().yaml());

        assertTrue(rootAlias.getErrors().stream().allMatch(e -> !e.path().isEmpty() || e.message().contains("line ")),
                rootAlias.getMessage());
        assertTrue(rootAlias.getMessage().contains("line 2"), rootAlias.getMessage());
    }

    @Test
    void aPathThisMachineCannotUseIsRefusedAtItsField() {
        SpecError error = onlyError(SpecText.minimal().with("sweep", "{name: t, output: \"out\\0put\"}"));

        assertEquals("sweep.output", error.path());
        assertTrue(error.message().startsWith("expected a path, got 'out\\u0000put'"), error.message());
    }

    @Test
    void budgetsPastAnyRealRunAreRefused() {
        SpecError error = onlyError(SpecText.minimal().with("budgets", "{flops: [1e11, 1e300]}"));
        SpecError range = onlyError(SpecText.minimal().with("budgets", "{range: {min: 1e11, max: 1e40, count: 3}}"));

        assertEquals("budgets.flops[1]", error.path());
        assertTrue(error.message().startsWith("expected a positive number up to 1e27"), error.message());
        assertEquals("budgets.range.max", range.path());
    }

    @Test
    void resourcesAndShapesNoRunCanUseAreRefused() {
        SpecValidationException e = invalid(SpecText.minimal()
                .with("resources", "{cpu: 1e300, gpus: 1000}")
                .with("shape", "{vocab: 2147483647, context: 100000000}")
                .with("models", "{per_budget: 2000000000, parameters: {min: 4000, max: 120000}}").yaml());

        assertEquals(List.of("models.per_budget", "shape.vocab", "shape.context", "resources.gpus", "resources.cpu"),
                e.getErrors().stream().map(SpecError::path).toList(), e.getMessage());
    }

    @Test
    void emptyDocumentIsRejected() {
        SpecValidationException e = invalid("# nothing here\n");

        assertTrue(e.getErrors().get(0).message().startsWith("the spec is empty"), e.getMessage());
    }

    @Test
    void secondYamlDocumentIsRejected() {
        SpecValidationException e = invalid(SpecText.minimal().yaml() + "---\nsweep: {name: other}\n");

        assertEquals(List.of(new SpecError("", "expected a single YAML document, found another one at line 6")),
                e.getErrors());
    }

    @Test
    void everyProblemIsCollectedAndListedOnePerLine() {
        SpecValidationException e = invalid("""
                sweep: {name: Bad_Name, seeed: 1}
                budgets: {flops: [1e11, x]}
                models: {per_budget: 1, parameters: {min: 10, max: 5}}
                flops: {convention: 12N}
                """);

        assertEquals(List.of(
                "test.yaml: sweep.seeed: unknown field; expected one of: name, output, seed, records (did you mean 'seed'?)",
                "test.yaml: sweep.name: expected 1..40 characters of a-z, 0-9 and '-', starting with a letter,"
                        + " got 'Bad_Name'",
                "test.yaml: budgets.flops[1]: expected a positive number up to 1e27 FLOPs, got 'x'",
                "test.yaml: models.per_budget: expected a whole number in [3, 1000], got '1'",
                "test.yaml: models.parameters.min: expected less than max (5), got 10",
                "test.yaml: flops.convention: expected one of 6N, kaplan, deepseek, got '12N'"),
                e.getMessage().lines().toList());
        assertEquals("test.yaml", e.getSource());
    }

    @Test
    void checkpointSectionIsOptionalAndDefaultsToEveryTenMinutes() throws Exception {
        assertEquals(CheckpointPolicy.DEFAULT, SpecText.minimal().parse().checkpoint());
    }

    @Test
    void checkpointSectionReadsStepsSecondsAndKeep() throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("checkpoint", "{every_steps: 500, every_seconds: 0, keep: true}").parse();

        assertEquals(new CheckpointPolicy(500, 0, true), spec.checkpoint());
    }

    @Test
    void checkpointIntervalsMustBeWholeAndNotNegative() {
        SpecValidationException e = invalid(SpecText.minimal()
                .with("checkpoint", "{every_steps: -1, every_seconds: 2.5}").yaml());

        assertEquals(List.of(
                        new SpecError("checkpoint.every_steps", "expected a whole number >= 0, got '-1'"),
                        new SpecError("checkpoint.every_seconds", "expected a whole number >= 0, got '2.5'")),
                e.getErrors());
    }

    @Test
    void checkpointKeepMustBeABoolean() {
        SpecError error = onlyError(SpecText.minimal().with("checkpoint", "{keep: 1}"));

        assertEquals(new SpecError("checkpoint.keep", "expected true or false, got '1'"), error);
    }

    @Test
    void checkpointUnknownKeyIsRejected() {
        SpecError error = onlyError(SpecText.minimal().with("checkpoint", "{interval: 100}"));

        assertEquals("checkpoint.interval", error.path());
        assertTrue(error.message().contains("every_steps, every_seconds, keep"), error.message());
    }

    @Test
    void missingFileIsReportedAsASpecError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        SpecValidationException e = assertThrows(SpecValidationException.class, () -> BudgetSpecLoader.load(missing));

        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, SpecText.minimal().yaml());

        assertEquals(SpecText.minimal().parse().sweep(), BudgetSpecLoader.load(file).sweep());
    }

    private static SpecValidationException invalid(String yaml) {
        return assertThrows(SpecValidationException.class, () -> BudgetSpecLoader.parse(yaml, "test.yaml"));
    }

    private static SpecError onlyError(SpecText spec) {
        SpecValidationException e = invalid(spec.yaml());
        assertEquals(1, e.getErrors().size(), e.getMessage());
        return e.getErrors().get(0);
    }
}
