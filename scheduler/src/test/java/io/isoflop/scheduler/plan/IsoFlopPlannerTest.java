package io.isoflop.scheduler.plan;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.DataSpec;
import io.isoflop.contracts.FlopConvention;
import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.ParameterCount;
import io.isoflop.contracts.Resources;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecError;
import io.isoflop.scheduler.spec.SpecText;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IsoFlopPlannerTest {
    private static final Path QUICKSTART = Path.of("src", "test", "resources", "fixture-spec.yaml");
    private static final Path SWEEP_DIR = Path.of("build-test", "sweeps", "test");

    @Test
    void quickstartPlansFiveSizesPerBudgetInOrder() throws Exception {
        BudgetSpec spec = BudgetSpecLoader.load(QUICKSTART);

        IsoFlopPlan plan = IsoFlopPlanner.plan(spec, spec.sweep().directory());

        assertEquals(20, plan.runs().size());
        assertEquals(List.of(1e11, 3e11, 1e12, 3e12), plan.budgets());
        for (int b = 0; b < 4; b++) {
            double budgetFlops = plan.budgets().get(b);
            List<RunSpec> budget = plan.runs().subList(5 * b, 5 * b + 5);
            assertTrue(budget.stream().allMatch(r -> r.budgetFlops() == budgetFlops));
            assertEquals(List.of("1x16 h2", "1x24 h3", "2x32 h4", "3x40 h5", "3x56 h7"),
                    budget.stream().map(r -> PlanTable.shapeText(r.shape())).toList());
            assertEquals(List.of(3312L, 7272L, 25472L, 59240L, 115192L),
                    budget.stream().map(RunSpec::parameters).toList());
        }
        assertEquals("quickstart", plan.sweep());
        assertEquals(2, plan.maxParallel());
    }

    @Test
    void planningTwiceGivesIdenticalIdsAndJson() throws Exception {
        String yaml = Files.readString(QUICKSTART);

        IsoFlopPlan first = IsoFlopPlanner.plan(BudgetSpecLoader.parse(yaml, "a.yaml"), SWEEP_DIR);
        IsoFlopPlan second = IsoFlopPlanner.plan(BudgetSpecLoader.parse(yaml, "b.yaml"), SWEEP_DIR);

        assertEquals(first.runs().stream().map(RunSpec::runId).toList(),
                second.runs().stream().map(RunSpec::runId).toList());
        assertEquals(PlanJson.render(first), PlanJson.render(second));
        assertEquals(first, second);
    }

    @Test
    void runIdsAreReadableUniqueAndIndependentOfTheSweepDirectory() throws Exception {
        BudgetSpec spec = BudgetSpecLoader.load(QUICKSTART);

        IsoFlopPlan here = IsoFlopPlanner.plan(spec, SWEEP_DIR);
        IsoFlopPlan there = IsoFlopPlanner.plan(spec, Path.of("/elsewhere/sweeps/quickstart"));

        List<String> ids = here.runs().stream().map(RunSpec::runId).toList();
        assertEquals(ids, there.runs().stream().map(RunSpec::runId).toList());
        assertEquals(ids.size(), new HashSet<>(ids).size());
        for (RunSpec run : here.runs()) {
            String prefix = "c" + RunIds.budgetLabel(run.budgetFlops()) + "-n" + run.parameters() + "-";
            assertTrue(run.runId().startsWith(prefix), run.runId());
            assertTrue(run.runId().matches("c[0-9p]+e[0-9]+-n[0-9]+-[0-9a-f]{6}"), run.runId());
        }
        assertEquals("c3e11-n25472-", here.runs().get(7).runId().substring(0, 13));
    }

    @Test
    void runIdChangesWithWhatIsTrained() throws Exception {
        IsoFlopPlan base = IsoFlopPlanner.plan(SpecText.minimal().parse(), SWEEP_DIR);
        IsoFlopPlan otherLr = IsoFlopPlanner.plan(SpecText.minimal().with("optimizer", "{lr: 5.0e-3}").parse(),
                SWEEP_DIR);

        for (int i = 0; i < base.runs().size(); i++) {
            assertNotEquals(base.runs().get(i).runId(), otherLr.runs().get(i).runId());
        }
    }

    @Test
    void budgetLabelsUseAPForTheDecimalPoint() {
        assertEquals("1e11", RunIds.budgetLabel(1e11));
        assertEquals("3e11", RunIds.budgetLabel(3e11));
        assertEquals("2p5e11", RunIds.budgetLabel(2.5e11));
        assertEquals("3p16e12", RunIds.budgetLabel(3.1623e12));
        assertEquals("1e9", RunIds.budgetLabel(1e9));
        assertEquals("5em1", RunIds.budgetLabel(0.5));
    }

    @ParameterizedTest
    @EnumSource(FlopConvention.class)
    void plannedFlopsAreWithinOneSequenceOfTheBudget(FlopConvention convention) throws Exception {
        for (ParameterCount count : ParameterCount.values()) {
            BudgetSpec spec = SpecText.minimal()
                    .with("budgets", "{flops: [1e11, 3e11, 1e12, 3e12]}")
                    .with("flops", "{convention: " + convention.id() + ", parameters: " + count.id() + "}")
                    .parse();

            for (RunSpec run : IsoFlopPlanner.plan(spec, SWEEP_DIR).runs()) {
                double oneSequence = run.flopsPerToken() * 128;
                assertTrue(Math.abs(run.plannedFlops() - run.budgetFlops()) <= oneSequence / 2 + 1e-6 * oneSequence,
                        run.runId() + ": " + run.plannedFlops() + " vs " + run.budgetFlops());
                assertEquals(0, run.tokens() % 128, "a whole number of sequences");
                assertEquals(convention.flopsPerToken(run.shape(), count), run.flopsPerToken());
                assertEquals(count.of(run.shape()), run.parameters());
                assertEquals(convention.id(), run.flopConvention());
                assertEquals(count.id(), run.parameterCount());
            }
        }
    }

    @Test
    void conventionsGiveDifferentTokensForTheSameShape() throws Exception {
        // 2 layers, d_model 32, 4 heads, context 128, MLP ratio 4, non-embedding N = 25472
        Map<FlopConvention, RunSpec> runs = new java.util.EnumMap<>(FlopConvention.class);
        for (FlopConvention convention : FlopConvention.values()) {
            BudgetSpec spec = SpecText.minimal()
                    .with("budgets", "{flops: [1e12]}")
                    .with("flops", "{convention: " + convention.id() + "}")
                    .parse();
            runs.put(convention, IsoFlopPlanner.plan(spec, SWEEP_DIR).runs().stream()
                    .filter(r -> r.shape().equals(new ModelShape(256, 128, 32, 2, 4, 4)))
                    .findFirst().orElseThrow());
        }
        long n = 2 * (12 * 32 * 32 + 13 * 32) + 2 * 32;
        assertEquals(25472, n);
        double sixN = 6.0 * n;
        double kaplan = 6.0 * n + 6.0 * 2 * 128 * 32;
        double deepseek = 72.0 * 2 * 32 * 32 + 6.0 * 2 * 32 * 128;

        assertAll(
                () -> assertEquals(152832.0, sixN),
                () -> assertEquals(201984.0, kaplan),
                () -> assertEquals(196608.0, deepseek),
                () -> assertEquals(sixN, runs.get(FlopConvention.SIX_N).flopsPerToken()),
                () -> assertEquals(kaplan, runs.get(FlopConvention.KAPLAN).flopsPerToken()),
                () -> assertEquals(deepseek, runs.get(FlopConvention.DEEPSEEK).flopsPerToken()),
                () -> assertEquals(Math.round(1e12 / sixN / 128) * 128, runs.get(FlopConvention.SIX_N).tokens()),
                () -> assertEquals(Math.round(1e12 / kaplan / 128) * 128, runs.get(FlopConvention.KAPLAN).tokens()),
                () -> assertEquals(Math.round(1e12 / deepseek / 128) * 128,
                        runs.get(FlopConvention.DEEPSEEK).tokens()),
                () -> assertEquals(6543104, runs.get(FlopConvention.SIX_N).tokens()),
                () -> assertEquals(3, runs.values().stream().map(RunSpec::tokens).distinct().count()));
    }

    @Test
    void tokensPerParameterModeHitsTheRequestedBounds() throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("budgets", "{flops: [1e13, 1e14]}")
                .with("models", "{per_budget: 5, tokens_per_parameter: {min: 20, max: 2000}}")
                .with("shape", "{head_dim: 1}")
                .parse();

        IsoFlopPlan plan = IsoFlopPlanner.plan(spec, SWEEP_DIR);

        for (double budget : plan.budgets()) {
            List<RunSpec> runs = plan.runs().stream().filter(r -> r.budgetFlops() == budget).toList();
            assertEquals(5, runs.size());
            RunSpec smallest = runs.get(0);
            RunSpec largest = runs.get(4);
            assertEquals(2000, smallest.tokensPerParameter(), 2000 * 0.1, smallest.runId());
            assertEquals(20, largest.tokensPerParameter(), 20 * 0.1, largest.runId());
            assertEquals(Math.sqrt(budget / (6 * 20)), largest.parameters(), Math.sqrt(budget / 120) * 0.05);
            for (int i = 1; i < runs.size(); i++) {
                assertTrue(runs.get(i).tokensPerParameter() < runs.get(i - 1).tokensPerParameter());
            }
        }
        // N grows with the budget at a fixed tokens-per-parameter ratio
        assertTrue(plan.runs().get(9).parameters() > plan.runs().get(4).parameters());
    }

    @Test
    void targetsAreLogSpacedWithExactEnds() throws Exception {
        BudgetSpec spec = SpecText.minimal().parse();

        assertEquals(List.of(4000L, 9361L, 21909L, 51274L, 120000L), IsoFlopPlanner.targets(spec, 1e11));
    }

    @Test
    void duplicateGridPointIsRejectedNamingTheShape() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("models", "{per_budget: 5, parameters: {min: 4000, max: 6000}}")
                .parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        assertEquals(2, e.getErrors().size(), e.getMessage());
        SpecError error = e.getErrors().get(0);
        assertEquals("models.parameters", error.path());
        assertTrue(e.getErrors().get(1).message().startsWith("duplicate grid point at every budget: target sizes"
                + " 5422, 6000 both give shape 1x24 h3 (N=7272)"), e.getErrors().get(1).message());
        assertTrue(error.message().startsWith("duplicate grid point at every budget: target sizes 4000, 4427, 4899"
                + " all give shape 1x16 h2 (N=3312)"), error.message());
        assertTrue(error.message().contains("use fewer models.per_budget (now 5) or a wider parameters range"),
                error.message());
    }

    @Test
    void duplicateGridPointInTokensPerParameterModeNamesTheBudget() throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("budgets", "{flops: [1e11]}")
                .with("models", "{per_budget: 6, tokens_per_parameter: {min: 100, max: 150}}")
                .parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        SpecError error = e.getErrors().get(0);
        assertEquals("models.tokens_per_parameter", error.path());
        assertTrue(error.message().startsWith("duplicate grid point at budget 1e11: "), error.message());
    }

    @Test
    void tooSmallBudgetIsRejectedWithTheNumbers() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("budgets", "{flops: [1e11, 1e9]}").parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        // largest model 3x56: 6·115192 = 691152 FLOPs/token; 1e9 / 691152 / 128 ≈ 11 sequences
        assertEquals(List.of(new SpecError("budgets.flops[1]", "budget 1e9 is too small: model 3x56 h7"
                + " (N=115192) would train on 1408 tokens, 11 sequences of 128, fewer than 100 optimiser steps even"
                + " at 1 sequence per step; it needs at least 8.85e9 FLOPs (12800 tokens x 691152 FLOPs/token)")),
                e.getErrors());
        assertTrue(e.getMessage().startsWith("test.yaml: budgets.flops[1]: budget 1e9 is too small"));
    }

    @Test
    void tooSmallBudgetInARangeNamesTheRange() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("budgets", "{range: {min: 1e9, max: 1e12, count: 4}}").parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        assertEquals(1, e.getErrors().size(), e.getMessage());
        assertEquals("budgets.range", e.getErrors().get(0).path());
        assertTrue(e.getErrors().get(0).message().startsWith("budget 1e9 is too small"));
    }

    @Test
    void moreRunsThanTheCapIsRejected() throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("budgets", "{flops: [1e11, 3e11, 1e12, 3e12]}")
                .with("limits", "{max_runs: 19}")
                .parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        assertEquals(List.of(new SpecError("limits.max_runs", "the plan has 20 runs (4 budgets x 5 models), more"
                + " than max_runs 19; raise limits.max_runs or plan fewer budgets or models.per_budget")),
                e.getErrors());
    }

    @Test
    void batchHalvesUntilTheRunHasEnoughSteps() throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(BudgetSpecLoader.load(QUICKSTART), SWEEP_DIR);
        Map<String, RunSpec> byId = plan.runs().stream()
                .collect(Collectors.toMap(r -> r.runId().substring(0, r.runId().lastIndexOf('-')),
                        Function.identity()));

        // 1e11, 3x40: D = 281344 = 2198 sequences: 8 -> 275 steps < 300, 4 -> 550 steps
        assertEquals(281344, byId.get("c1e11-n59240").tokens());
        assertEquals(4, byId.get("c1e11-n59240").training().batchSequences());
        assertEquals(550, byId.get("c1e11-n59240").training().steps());
        // 1e11, 3x56: D = 144640 = 1130 sequences: 8 -> 142, 4 -> 283, 2 -> 565 steps
        assertEquals(2, byId.get("c1e11-n115192").training().batchSequences());
        assertEquals(565, byId.get("c1e11-n115192").training().steps());
        // 3e11, 3x56: 3391 sequences / 8 = 424 steps, enough
        assertEquals(8, byId.get("c3e11-n115192").training().batchSequences());
        assertEquals(424, byId.get("c3e11-n115192").training().steps());

        for (RunSpec run : plan.runs()) {
            int sequences = run.training().batchSequences();
            long perStep = (long) sequences * 128;
            assertEquals((run.tokens() + perStep - 1) / perStep, run.training().steps(), run.runId());
            assertTrue(sequences == 1 || run.training().steps() >= 300, run.runId());
            assertTrue(sequences == 8 || Math.ceil(run.tokens() / (2.0 * perStep)) < 300, run.runId());
        }
    }

    @Test
    void batchStopsHalvingAtOneSequence() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("batch", "{sequences: 6, min_steps: 1000000}").parse();

        for (RunSpec run : IsoFlopPlanner.plan(spec, SWEEP_DIR).runs()) {
            assertEquals(1, run.training().batchSequences());
            assertEquals(run.tokens() / 128, run.training().steps());
        }
    }

    @Test
    void warmupIsAFractionOfTheStepsButAtLeastOne() throws Exception {
        for (RunSpec run : IsoFlopPlanner.plan(SpecText.minimal().parse(), SWEEP_DIR).runs()) {
            assertEquals(Math.max(1, Math.round(0.05 * run.training().steps())), run.training().warmupSteps());
            assertEquals(0.1, run.training().minLearningRateRatio());
        }
        BudgetSpec noWarmup = SpecText.minimal().with("schedule", "{warmup_fraction: 0, final_lr_ratio: 0}").parse();
        for (RunSpec run : IsoFlopPlanner.plan(noWarmup, SWEEP_DIR).runs()) {
            assertEquals(1, run.training().warmupSteps());
            assertEquals(0.0, run.training().minLearningRateRatio());
        }
    }

    @Test
    void peakLearningRateShrinksWithWidthDownToTheFloor() throws Exception {
        BudgetSpec.Optimizer noFloor = new BudgetSpec.Optimizer("adamw", 6e-3, 64, 0, 0.9, 0.95, 1e-8, 0.01);
        BudgetSpec.Optimizer floor = new BudgetSpec.Optimizer("adamw", 6e-3, 64, 4e-3, 0.9, 0.95, 1e-8, 0.01);

        assertEquals(6e-3, IsoFlopPlanner.peakLearningRate(noFloor, 32));
        assertEquals(6e-3, IsoFlopPlanner.peakLearningRate(noFloor, 64));
        assertEquals(3e-3, IsoFlopPlanner.peakLearningRate(noFloor, 128), 1e-15);
        assertEquals(1.5e-3, IsoFlopPlanner.peakLearningRate(noFloor, 256), 1e-15);
        assertEquals(4e-3, IsoFlopPlanner.peakLearningRate(floor, 128));
        assertEquals(6e-3, IsoFlopPlanner.peakLearningRate(floor, 32));

        BudgetSpec wide = SpecText.minimal()
                .with("budgets", "{flops: [1e14]}")
                .with("models", "{parameters: {min: 1000000, max: 3000000}, per_budget: 3}")
                .with("optimizer", "{lr: 6.0e-3, lr_reference_width: 64, min_lr: 1.0e-3}")
                .parse();
        for (RunSpec run : IsoFlopPlanner.plan(wide, SWEEP_DIR).runs()) {
            double expected = Math.max(1e-3, 6e-3 * Math.min(1, 64.0 / run.shape().dModel()));
            assertEquals(expected, run.training().peakLearningRate(), run.runId());
            assertTrue(run.shape().dModel() > 64, run.runId());
        }
    }

    @Test
    void runSpecsCarryTheSpecsSettings() throws Exception {
        BudgetSpec spec = BudgetSpecLoader.load(QUICKSTART);

        RunSpec run = IsoFlopPlanner.plan(spec, SWEEP_DIR).runs().get(0);

        assertAll(
                () -> assertEquals(RunSpec.SCHEMA_VERSION, run.schemaVersion()),
                () -> assertEquals("quickstart", run.sweep()),
                () -> assertEquals(1e11, run.budgetFlops()),
                () -> assertEquals("6N", run.flopConvention()),
                () -> assertEquals("non_embedding", run.parameterCount()),
                () -> assertEquals(new DataSpec("europarl", null, 0.01, 8192, 65536), run.data()),
                () -> assertEquals(65536, run.evalIntervalTokens()),
                () -> assertEquals(1234, run.seed(), "every run uses the sweep seed"),
                () -> assertEquals(new Resources(null, 0, 1, "2Gi"), run.resources()),
                () -> assertEquals(SWEEP_DIR.resolve("metrics").toAbsolutePath().toString(), run.metricsDir()),
                () -> assertEquals(0.9, run.training().beta1()),
                () -> assertEquals(0.95, run.training().beta2()),
                () -> assertEquals(1e-8, run.training().epsilon()),
                () -> assertEquals(0.01, run.training().weightDecay()),
                () -> assertEquals(6e-3, run.training().peakLearningRate()));
    }

    @Test
    void runSpecsSurviveTheWorkersCodec() throws Exception {
        for (RunSpec run : IsoFlopPlanner.plan(BudgetSpecLoader.load(QUICKSTART), SWEEP_DIR).runs()) {
            assertEquals(run, RunSpecCodec.fromJson(RunSpecCodec.toJson(run)));
        }
    }

    @Test
    void filesDatasetMustExistAndBecomesAbsolute(@TempDir Path dir) throws Exception {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "hello");
        BudgetSpec present = SpecText.minimal().with("dataset", "{source: files, path: '" + corpus + "'}").parse();
        BudgetSpec missing = SpecText.minimal()
                .with("dataset", "{source: files, path: '" + dir.resolve("nope") + "'}").parse();

        RunSpec run = IsoFlopPlanner.plan(present, SWEEP_DIR).runs().get(0);
        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(missing, SWEEP_DIR));

        assertEquals(new DataSpec("files", corpus.toAbsolutePath().toString(), 0.01, 8192, 65536), run.data());
        assertEquals("dataset.path", e.getErrors().get(0).path());
        assertTrue(e.getErrors().get(0).message().startsWith("expected an existing file or directory, got '"),
                e.getErrors().get(0).message());
    }

    @Test
    void aTokensDatasetSetsTheVocabularyOfEveryShapeAndSoItsParametersAndFlops(@TempDir Path dir) throws Exception {
        Path shards = Files.createDirectories(dir.resolve("shards"));
        Files.write(shards.resolve("train.bin"), new byte[64]);
        Files.write(shards.resolve("val.bin"), new byte[16]);
        String tokens = "{source: tokens, path: '" + shards + "', dtype: uint16, vocab_size: 500}";
        BudgetSpec text = SpecText.minimal().with("flops", "{parameters: total}")
                .with("budgets", "{flops: [1e12, 3e12]}")
                .with("models", "{per_budget: 3, parameters: {min: 60000, max: 400000}}").parse();
        BudgetSpec tokenSpec = SpecText.minimal().with("flops", "{parameters: total}")
                .with("budgets", "{flops: [1e12, 3e12]}")
                .with("models", "{per_budget: 3, parameters: {min: 60000, max: 400000}}")
                .with("dataset", tokens).parse();

        List<RunSpec> byteRuns = IsoFlopPlanner.plan(text, SWEEP_DIR).runs();
        List<RunSpec> tokenRuns = IsoFlopPlanner.plan(tokenSpec, SWEEP_DIR).runs();
        assertEquals(6, tokenRuns.size());
        for (RunSpec run : tokenRuns) {
            assertEquals(500, run.shape().vocabSize(), run.runId());
            assertEquals(DataSpec.tokens(shards.toAbsolutePath().toString(), DataSpec.UINT16, 500, 0.01, 8192, 65536),
                    run.data());
            assertEquals(run.shape().totalParameters(), run.parameters(), "N counts the 500-token embeddings");
            assertEquals(FlopConvention.SIX_N.flopsPerToken(run.shape(), ParameterCount.TOTAL), run.flopsPerToken());
            assertEquals(run, RunSpecCodec.fromJson(RunSpecCodec.toJson(run)));
        }
        byteRuns.forEach(run -> assertEquals(256, run.shape().vocabSize()));
        assertNotEquals(byteRuns.stream().map(RunSpec::runId).toList(),
                tokenRuns.stream().map(RunSpec::runId).toList());
    }

    @Test
    void aTokensDatasetDirectoryMustHoldShards(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("meta.pkl"), "not a shard");
        BudgetSpec spec = SpecText.minimal()
                .with("dataset", "{source: tokens, path: '" + dir + "', dtype: uint16, vocab_size: 500}").parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        assertEquals(List.of(new SpecError("dataset.path", "expected a directory of token shards (*.bin files), got '"
                + dir + "' (" + dir.toAbsolutePath().normalize() + " holds none)")), e.getErrors());
    }

    @Test
    void aHugeGridIsRefusedBeforeItIsBuilt() throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("budgets", "{range: {min: 1e11, max: 1e20, count: 1000}}")
                .with("models", "{per_budget: 1000, parameters: {min: 4000, max: 120000}}")
                .parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        assertEquals(List.of("limits.max_runs"), e.getErrors().stream().map(SpecError::path).toList(),
                "only the size: the 1,000,000 runs and their duplicate shapes were never built");
    }

    @Test
    void aBudgetThatWouldTrainOnMoreTokensThanAnyRealRunIsRefused() throws Exception {
        BudgetSpec spec = SpecText.minimal().with("budgets", "{flops: [1e11, 1e25]}").parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        SpecError error = e.getErrors().get(0);
        assertEquals("budgets.flops[1]", error.path(), e.getMessage());
        assertTrue(error.message().startsWith("budget 1e25 is too large for models this small"), error.message());
    }

    @Test
    void everyGridProblemIsReportedAtOnce(@TempDir Path dir) throws Exception {
        BudgetSpec spec = SpecText.minimal()
                .with("budgets", "{flops: [1e8, 1e11]}")
                .with("limits", "{max_runs: 3}")
                .with("dataset", "{source: files, path: '" + dir.resolve("nope") + "'}")
                .parse();

        SpecValidationException e = assertThrows(SpecValidationException.class,
                () -> IsoFlopPlanner.plan(spec, SWEEP_DIR));

        assertEquals(List.of("limits.max_runs", "dataset.path", "budgets.flops[0]"),
                e.getErrors().stream().map(SpecError::path).toList());
    }

    @Test
    void specHashIgnoresFormattingAndDefaultsButNotValues() throws Exception {
        BudgetSpec quickstart = BudgetSpecLoader.load(QUICKSTART);
        BudgetSpec compact = BudgetSpecLoader.parse("""
                sweep: {name: quickstart, seed: 1234}
                budgets: {flops: ['1e11', 3e11, 1.0e12, 3e12]}
                models: {parameters: {min: 4e3, max: 120000}}
                shape: {head_dim: 8}
                optimizer: {min_lr: 0.003}
                """, "other-name.yaml");
        BudgetSpec otherSeed = BudgetSpecLoader.parse(Files.readString(QUICKSTART).replace("seed: 1234", "seed: 1"),
                "x.yaml");

        assertEquals(IsoFlopPlanner.specHash(quickstart), IsoFlopPlanner.specHash(compact));
        assertNotEquals(IsoFlopPlanner.specHash(quickstart), IsoFlopPlanner.specHash(otherSeed));
        assertTrue(IsoFlopPlanner.specHash(quickstart).matches("[0-9a-f]{64}"));
        assertEquals(IsoFlopPlanner.specHash(quickstart), IsoFlopPlanner.plan(quickstart, SWEEP_DIR).specHash());
    }

    @Test
    void planTotalsAddUpTheRuns() throws Exception {
        IsoFlopPlan plan = IsoFlopPlanner.plan(SpecText.minimal().parse(), SWEEP_DIR);

        assertEquals(plan.runs().stream().mapToDouble(RunSpec::plannedFlops).sum(), plan.totalFlops());
        assertEquals(5 * 1e11 + 5 * 3e11, plan.totalFlops(), 2e12 * 0.001);
        assertEquals(plan.runs().stream().mapToLong(RunSpec::tokens).sum(), plan.totalTokens());
        assertEquals(SWEEP_DIR.toAbsolutePath(), plan.sweepDir());
        assertNull(plan.runs().get(0).data().path());
    }
}
