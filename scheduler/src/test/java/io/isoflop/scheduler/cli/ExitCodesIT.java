package io.isoflop.scheduler.cli;

import io.isoflop.contracts.MetricsLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.ProcessLock;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecText;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.sweep.RetryPolicy;
import io.isoflop.scheduler.sweep.SweepPolicy;
import io.isoflop.scheduler.sweep.SweepSetup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every exit code the README documents, each produced the way a user meets it. */
class ExitCodesIT {

    private record Result(int code, String output) {}

    private static Result isoflop(String... args) {
        StringWriter out = new StringWriter();
        int code = IsoflopCli.execute(args, new PrintWriter(out, true), new PrintWriter(out, true));
        return new Result(code, out.toString());
    }

    @Test
    void zeroWhenDone(@TempDir Path dir) throws Exception {
        Path spec = TinySweep.writeSpec(dir, "plan", "[4e9, 8e9]");
        assertEquals(ExitCodes.OK, isoflop("plan", spec.toString()).code());
    }

    @Test
    void oneForAnUnexpectedError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("plan.json"), "{ not json");
        Result result = isoflop("status", dir.toString());
        assertEquals(ExitCodes.INTERNAL, result.code(), result.output());
        assertTrue(result.output().contains("plan.json"), result.output());
    }

    @Test
    void twoForUsageAndSpecErrors(@TempDir Path dir) throws Exception {
        assertEquals(ExitCodes.BAD_INPUT, isoflop("sweep", "--no-such-option").code());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, SpecText.minimal().with("budgets", "{flops: [-1]}").yaml());
        Result result = isoflop("plan", bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, result.code());
        assertTrue(result.output().contains("budgets.flops[0]"), result.output());
    }

    @Test
    void twoForASweepDirectoryHoldingAnotherPlan(@TempDir Path dir) throws Exception {
        Path first = TinySweep.writeSpec(dir, "same", "[4e9, 8e9]");
        SweepStore store = new SweepStore(dir.resolve("sweeps/same"));
        SweepSetup.bind(IsoFlopPlanner.plan(BudgetSpecLoader.load(first), store.sweepDir()),
                SweepPolicy.local(2, RetryPolicy.immediate(3)), store, first);
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(first).replace("[4e9, 8e9]", "[4e9, 1.6e10]"));

        Result result = isoflop("sweep", other.toString(), "--no-fit");

        assertEquals(ExitCodes.BAD_INPUT, result.code(), result.output());
        assertTrue(result.output().contains("holds a different plan"), result.output());
    }

    @Test
    void twoForASweepOutputThatCannotBeCreated(@TempDir Path dir) throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        Path spec = TinySweep.writeSpec(dir, "nowhere", "[4e9, 8e9]");
        Files.writeString(spec, Files.readString(spec).replace(dir.resolve("sweeps").toString(),
                notADirectory.resolve("sweeps").toString()));
        Result result = isoflop("sweep", spec.toString(), "--no-fit");
        assertEquals(ExitCodes.BAD_INPUT, result.code(), result.output());
        assertTrue(result.output().contains("sweep.output"), result.output());
    }

    @Test
    void threeWhenRunsFailAfterEveryAttempt(@TempDir Path dir) throws Exception {
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "far too little text to train on\n");
        Path spec = TinySweep.writeSpec(dir, "failing", "[4e9]");
        Files.writeString(spec, Files.readString(spec).replace("dataset: {",
                "dataset: {source: files, path: '" + tiny + "', "));
        Result result = isoflop("sweep", spec.toString(), "--no-fit", "--heartbeat", "5");
        assertEquals(ExitCodes.RUNS_FAILED, result.code(), result.output());
        assertTrue(result.output().contains("failed after every attempt"), result.output());
    }

    @Test
    void fourWhenTheFitterFails(@TempDir Path dir) throws Exception {
        SweepStore store = new SweepStore(dir);
        Files.createDirectories(MetricsLayout.ofSweep(store.sweepDir())); // a sweep directory with no metrics at all: nothing to fit
        Result result = isoflop("fit", dir.toString(), "--bootstrap", "0");
        assertEquals(ExitCodes.FIT_FAILED, result.code(), result.output());
        assertTrue(result.output().contains("isoflop-fitter: no metric files"), "the fitter's own words, not only"
                + " a pointer to its log: " + result.output());
    }

    @Test
    void fiveWhileAnotherProcessDrivesTheSweep(@TempDir Path dir) throws Exception {
        Path spec = TinySweep.writeSpec(dir, "busy", "[4e9, 8e9]");
        SweepStore store = new SweepStore(dir.resolve("sweeps/busy"));
        try (ProcessLock held = store.tryLock().orElseThrow()) {
            Result result = isoflop("sweep", spec.toString(), "--no-fit");
            assertEquals(ExitCodes.BUSY, result.code(), result.output());
            assertTrue(result.output().contains("another isoflop process"), result.output());
        }
    }
}
