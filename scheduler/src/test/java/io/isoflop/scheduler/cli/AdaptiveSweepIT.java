package io.isoflop.scheduler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.store.SweepStore;
import io.isoflop.scheduler.study.Stage;
import io.isoflop.scheduler.study.StageLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isoflop sweep examples/adaptive.yaml --backend simulate} (on 6 budgets 1e15–1e17.5): stage 1 runs the 3
 * smallest budgets on the spec's sizes, each later stage one budget around the N_opt the previous fit predicts, the
 * real fitter between stages; stages.json records every stage and its reason. A scheduler killed (SIGKILL) after it
 * recorded its second stage, then started again, ends with the same stages and runs as an uninterrupted sweep, and
 * every run has exactly one final metrics file.
 */
class AdaptiveSweepIT {
    /** The spec with its sweep directory at {@code <dir>/<output>/adaptive} (the same name: the same run ids). */
    private static Path spec(Path dir, String output) throws Exception {
        String text = Files.readString(Path.of("..", "examples", "adaptive.yaml"))
                .replace("output: sweeps", "output: '" + dir.resolve(output) + "'")
                .replace("range: {min: 1e15, max: 1e19, count: 9}", "range: {min: 1e15, max: 3.16e17, count: 6}")
                .replace("a_width: 0.05", "a_width: 0.0001"); // never reached: every budget runs
        Path file = dir.resolve(output + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void stagesAreRecordedAndARestartedSweepEndsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        int code = IsoflopCli.execute(new String[] {"sweep", spec(dir, "reference").toString(), "--backend",
                "simulate", "--bootstrap", "0"}, new PrintWriter(out, true), new PrintWriter(out, true));
        assertEquals(ExitCodes.OK, code, out.toString());
        Path referenceDir = dir.resolve("reference/adaptive");
        List<Stage> reference = new StageLog(referenceDir).read();
        assertEquals(5, reference.size(), "3 budgets, then 3 stages of one budget, then the end: " + out);
        assertEquals(27, reference.get(0).runs().size());
        for (Stage stage : reference.subList(1, 4)) {
            assertEquals(3, stage.runs().size(), stage.reason());
            assertTrue(stage.reason().contains("predicted N_opt"), stage.reason());
        }
        assertTrue(reference.get(4).ends() && reference.get(4).reason().startsWith("every budget has run"),
                reference.get(4).reason());
        assertEquals(36, PlanJson.read(referenceDir.resolve("plan.json")).runs().size());
        JsonNode frontier = new ObjectMapper().readTree(referenceDir.resolve("fit/frontier.json").toFile());
        assertEquals(6, frontier.path("budgets").size(), "the last fit saw every stage's budgets");
        assertEquals(4, frontier.path("stages").size(), "the report shows the 4 stages that ran: " + frontier.path("stages"));
        assertTrue(Files.readString(referenceDir.resolve("fit/report.html")).contains(reference.get(1).reason()
                .substring(0, 20)), "the report gives each stage's reason");

        StringWriter ended = new StringWriter();
        long fitted = Files.getLastModifiedTime(referenceDir.resolve("fit/frontier.json")).toMillis();
        assertEquals(ExitCodes.OK, IsoflopCli.execute(new String[] {"sweep", spec(dir, "reference").toString(),
                "--backend", "simulate", "--bootstrap", "0"}, new PrintWriter(ended, true), new PrintWriter(ended, true)));
        assertTrue(ended.toString().contains("already ended after 4 stage(s)"), ended.toString());
        assertEquals(fitted, Files.getLastModifiedTime(referenceDir.resolve("fit/frontier.json")).toMillis(),
                "an ended sweep is not fitted again");

        Path crashed = spec(dir, "crashed");
        Path crashedDir = dir.resolve("crashed/adaptive");
        Process scheduler = SchedulerProcess.start(dir.resolve("first.log"), "sweep", crashed.toString(), "--backend",
                "simulate", "--bootstrap", "0");
        StageLog log = new StageLog(crashedDir);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (readQuietly(log) < 2 && scheduler.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(scheduler.isAlive(), "the first scheduler ended before its second stage: "
                + Files.readString(dir.resolve("first.log")));
        scheduler.descendants().forEach(ProcessHandle::destroyForcibly);
        scheduler.destroyForcibly().waitFor();

        StringWriter again = new StringWriter();
        code = IsoflopCli.execute(new String[] {"sweep", crashed.toString(), "--backend", "simulate", "--bootstrap",
                "0"}, new PrintWriter(again, true), new PrintWriter(again, true));
        assertEquals(ExitCodes.OK, code, again.toString());
        assertTrue(again.toString().contains("stage(s) recorded"), again.toString());
        List<Stage> resumed = log.read();
        assertEquals(reference.stream().map(Stage::reason).toList(), resumed.stream().map(Stage::reason).toList());
        List<String> referenceRuns = PlanJson.read(referenceDir.resolve("plan.json")).runs().stream()
                .map(RunSpec::runId).toList();
        List<RunSpec> runs = PlanJson.read(crashedDir.resolve("plan.json")).runs();
        assertEquals(referenceRuns, runs.stream().map(RunSpec::runId).toList());
        SweepStore store = new SweepStore(crashedDir);
        for (RunSpec run : runs) {
            try (Stream<Path> files = Files.list(MetricsLayout.ofSweep(crashedDir).resolve(run.runId()))) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().endsWith(MetricsLayout.FINAL_SUFFIX)).count(),
                        run.runId() + " has one final metrics file");
            }
        }
        assertTrue(Files.exists(store.fitDir().resolve("frontier.json")));
    }

    private static int readQuietly(StageLog log) {
        try {
            return log.read().size();
        } catch (Exception e) {
            return 0; // being written
        }
    }
}
