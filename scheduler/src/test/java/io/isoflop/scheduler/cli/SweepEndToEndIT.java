package io.isoflop.scheduler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path through real worker processes (DJL) and a real Spark fitter process. */
class SweepEndToEndIT {

    @Test
    void sweepTrainsEveryRunAndWritesTheFrontierReport(@TempDir Path dir) throws IOException {
        Path spec = TinySweep.writeSpec(dir, "e2e", "[4e9, 8e9]");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IsoflopCli.execute(new String[] {"sweep", spec.toString(), "--heartbeat", "10",
                "--bootstrap", "40", "--seed", "7"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(ExitCodes.OK, code, out + "\n" + err);

        SweepStore store = new SweepStore(dir.resolve("sweeps/e2e"));
        IsoFlopPlan plan = PlanJson.read(store.planFile());
        assertEquals(6, plan.runs().size());
        for (RunSpec run : plan.runs()) {
            assertEquals(1, finalFiles(MetricsLayout.ofSweep(store.sweepDir()), run.runId()), run.runId() + " has one final metrics file");
            assertEquals(1, store.load(run.runId()).attempts().size());
            try (Stream<Path> files = Files.list(MetricsLayout.ofSweep(store.sweepDir()).resolve(run.runId()))) {
                long parquet = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
                assertTrue(parquet <= 4, run.runId() + " left " + parquet + " metric files (parts only at checkpoints)");
            }
        }
        Path fit = store.fitDir();
        JsonNode frontier = new ObjectMapper().readTree(fit.resolve("frontier.json").toFile());
        assertEquals(2, frontier.path("budgets").size());
        assertEquals(40, frontier.path("bootstrap").path("resamples").asInt(), "fitter options are passed through");
        assertEquals(7, frontier.path("bootstrap").path("seed").asLong());
        for (JsonNode budget : frontier.path("budgets")) {
            assertEquals(3, budget.path("points").size());
            for (JsonNode point : budget.path("points")) {
                double loss = point.path("loss").asDouble();
                assertTrue(loss > 1.0 && loss < Math.log(256), "a trained byte model's held-out loss: " + loss);
            }
        }
        for (String file : new String[] {"frontier.csv", "isoflop.png", "frontier.png", "report.html"}) {
            assertTrue(Files.size(fit.resolve(file)) > 100, file);
        }
        assertTrue(out.toString().contains("runs 6/6 done"), out.toString());

        StringWriter status = new StringWriter();
        assertEquals(ExitCodes.OK, IsoflopCli.execute(new String[] {"status", store.sweepDir().toString()},
                new PrintWriter(status, true), new PrintWriter(err, true)));
        assertTrue(status.toString().contains("SUCCEEDED=6"), status.toString());
    }

    static long finalFiles(Path metricsDir, String runId) throws IOException {
        try (Stream<Path> files = Files.list(MetricsLayout.runDir(metricsDir, runId))) {
            return files.filter(f -> f.getFileName().toString().endsWith(MetricsLayout.FINAL_SUFFIX)).count();
        }
    }
}
