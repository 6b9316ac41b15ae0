package io.isoflop.scheduler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.store.SweepStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isoflop sweep examples/simulated.yaml --backend simulate}: 81 runs drawn in-process from Chinchilla's law
 * with 1% noise, written as workers write them, then fitted by the real fitter process. The fit recovers the law it
 * was drawn from: Approach 3's α and β within 0.02, Approach 2's exponent a within 0.03 of β/(α+β).
 */
class SimulatedSweepIT {
    private static final SimulatedLaw TRUTH = SimulatedLaw.chinchilla(0.01, 0.01);

    @Test
    void aSimulatedSweepIsFittedBackToTheLawItWasDrawnFrom(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("simulated.yaml");
        Files.writeString(spec, Files.readString(Path.of("..", "examples", "simulated.yaml"))
                .replace("output: sweeps", "output: '" + dir.resolve("sweeps") + "'"));
        StringWriter out = new StringWriter();
        long started = System.nanoTime();
        int code = IsoflopCli.execute(new String[] {"sweep", spec.toString(), "--backend", "simulate",
                "--bootstrap", "0", "--heartbeat", "30"}, new PrintWriter(out, true), new PrintWriter(out, true));
        System.out.printf("SimulatedSweepIT: sweep and fit took %.1f s%n%s%n", (System.nanoTime() - started) / 1e9,
                out);
        assertEquals(ExitCodes.OK, code, out.toString());

        SweepStore store = new SweepStore(dir.resolve("sweeps/simulated"));
        IsoFlopPlan plan = PlanJson.read(store.planFile());
        assertEquals(81, plan.runs().size());
        assertTrue(out.toString().contains("runs 81/81 done"), out.toString());
        JsonNode frontier = new ObjectMapper().readTree(store.fitDir().resolve("frontier.json").toFile());
        JsonNode approach3 = frontier.path("approach3");
        assertTrue(approach3.path("fitted").asBoolean(), approach3.toString());
        assertEquals(TRUTH.alpha(), approach3.path("alpha").asDouble(), 0.02, approach3.toString());
        assertEquals(TRUTH.beta(), approach3.path("beta").asDouble(), 0.02, approach3.toString());
        double a = TRUTH.beta() / (TRUTH.alpha() + TRUTH.beta());
        assertEquals(a, frontier.at("/powerLaws/nOpt/exponent").asDouble(), 0.03, frontier.path("powerLaws").toString());
    }

    /**
     * {@code examples/data-constrained.yaml}: the same grid on 3.6e8 unique tokens (up to 50 epochs), drawn from the
     * law in Muennighoff's effective data (R*_D 15, R*_N 5, 1% + 1% noise). The fit says that runs repeat data and
     * fits the data-constrained law: R*_D within a factor 2, β within 0.04.
     */
    @Test
    void aDataConstrainedSweepIsFittedWithTheDataConstrainedLaw(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("data-constrained.yaml");
        Files.writeString(spec, Files.readString(Path.of("..", "examples", "data-constrained.yaml"))
                .replace("output: sweeps", "output: '" + dir.resolve("sweeps") + "'"));
        StringWriter out = new StringWriter();
        int code = IsoflopCli.execute(new String[] {"sweep", spec.toString(), "--backend", "simulate",
                "--bootstrap", "0"}, new PrintWriter(out, true), new PrintWriter(out, true));
        assertEquals(ExitCodes.OK, code, out.toString());
        assertTrue(out.toString().contains("repeat data (up to 50"), out.toString());
        JsonNode constrained = new ObjectMapper().readTree(dir.resolve("sweeps/data-constrained/fit/frontier.json")
                .toFile()).path("dataConstrained");
        assertTrue(constrained.path("repetition").asBoolean() && constrained.path("fitted").asBoolean(),
                constrained.toString());
        double rStarD = constrained.path("rStarD").asDouble();
        assertTrue(rStarD > 7.5 && rStarD < 30, constrained.toString());
        assertEquals(0.28, constrained.path("beta").asDouble(), 0.04, constrained.toString());
    }
}
