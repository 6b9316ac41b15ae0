package io.isoflop.fitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.fitter.fit.Approach1;
import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.Approach2Settings;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.Bootstrap;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.Forecasts;
import io.isoflop.fitter.fit.Forecaster;
import io.isoflop.fitter.fit.KaplanFit;
import io.isoflop.fitter.fit.KaplanLaws;
import io.isoflop.fitter.fit.KnownLaw;
import io.isoflop.fitter.fit.RunResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Chart rendering can spin forever on a bad axis setting: fail instead of hanging the build. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReportWriterTest {
    private static final KnownLaw LAW = KnownLaw.EPOCH_CHINCHILLA;
    private static final Instant GENERATED_AT = Instant.parse("2025-01-02T03:04:05Z");

    @TempDir
    Path out;

    private final Random random = new Random(7);

    @Test
    void writesEveryFileWithOneCsvRowPerBudgetAndEscapedHtml() throws IOException {
        List<RunResult> runs = new ArrayList<>();
        for (double budget : new double[] {1e18, 1e19, 1e20}) {
            runs.addAll(LAW.grid(budget, 6, 0.2, 0.0, 0.0, random));
        }
        runs.addAll(LAW.grid(1e21, 6, 0.2, 1.0, 0.0, random)); // vertex outside the sampled range
        Approach2Fit fit = new Approach2().fit(runs);
        String sweep = "tiny <sweep> & \"friends\"";

        Approach3Fit parametric = new Approach3().fit(runs);

        ReportFiles files = new ReportWriter().write(input(sweep, fit, parametric), out);

        JsonNode json = new ObjectMapper().readTree(files.frontierJson().toFile());
        assertEquals(FrontierDocument.SCHEMA_VERSION, json.get("schemaVersion").asInt());
        assertEquals(sweep, json.get("sweep").asText());
        assertEquals("6N", json.get("flopConvention").asText());
        assertEquals(GENERATED_AT.toString(), json.get("generatedAt").asText());
        assertEquals(4, json.get("budgets").size());
        JsonNode outside = json.get("budgets").get(3);
        assertFalse(outside.get("insideSampledRange").asBoolean());
        assertFalse(outside.get("usedInPowerLaw").asBoolean());
        assertTrue(outside.get("nOpt").isNumber(), "the flagged vertex is still reported");
        assertEquals(3, json.at("/powerLaws/nOpt/budgets").asInt());
        assertEquals(fit.nOpt().exponent(), json.at("/powerLaws/nOpt/exponent").asDouble(), 1e-12);
        assertTrue(json.at("/powerLaws/dOpt/stderr").isNumber());
        JsonNode approach3 = json.get("approach3");
        assertTrue(approach3.get("fitted").asBoolean(), approach3.toString());
        assertEquals("approach3-parametric-huber", approach3.get("method").asText());
        assertEquals(LAW.e(), approach3.get("E").asDouble(), 1e-3 * LAW.e(), approach3.toString());
        assertEquals(LAW.a(), approach3.get("A").asDouble(), 1e-3 * LAW.a());
        assertEquals(LAW.b(), approach3.get("B").asDouble(), 1e-3 * LAW.b());
        assertEquals(LAW.alpha(), approach3.get("alpha").asDouble(), 1e-3 * LAW.alpha());
        assertEquals(LAW.beta(), approach3.get("beta").asDouble(), 1e-3 * LAW.beta());
        assertEquals(LAW.exponentA(), approach3.get("a").asDouble(), 1e-3);
        assertEquals(LAW.exponentB(), approach3.get("b").asDouble(), 1e-3);
        assertEquals(parametric.law().g(), approach3.get("G").asDouble(), 1e-12 * parametric.law().g());
        assertEquals(parametric.objective(), approach3.get("objective").asDouble());
        assertEquals(4500, approach3.get("starts").asInt());
        assertEquals(parametric.startsNearBest(), approach3.get("startsNearBest").asInt());
        assertTrue(approach3.get("startsNearBest").asInt() >= 1);
        assertEquals(24, approach3.get("runsUsed").asInt());
        assertEquals(1e-3, approach3.get("huberDelta").asDouble());
        assertTrue(approach3.get("reason").isNull());
        assertEquals(4, approach3.get("budgets").size(), "the law's optimum at every sampled budget");
        JsonNode optimum = approach3.at("/budgets/1");
        assertEquals(1e19, optimum.get("budgetFlops").asDouble());
        assertEquals(LAW.optimalParameters(1e19), optimum.get("nOpt").asDouble(), 1e-2 * LAW.optimalParameters(1e19));
        assertEquals(1e19, 6 * optimum.get("nOpt").asDouble() * optimum.get("dOpt").asDouble(), 1e7);
        assertTrue(json.at("/conventions/parametric").asText().contains("Huber"));

        List<String> csv = Files.readAllLines(files.frontierCsv());
        assertEquals(FrontierCsv.HEADER, csv.get(0));
        assertEquals(1 + 4, csv.size());
        assertTrue(csv.get(4).endsWith(",false,false,\"" + fit.budgets().get(3).reason() + "\""), csv.get(4));

        assertImage(files.isoflopPng());
        assertImage(files.frontierPng());
        assertImage(files.contourPng());
        assertImage(files.residualsPng());
        assertTrue(json.at("/forecasts/holdOut/checked").asBoolean(), json.get("forecasts").toString());
        assertEquals(3, json.at("/forecasts/targets").size());
        assertTrue(json.get("bootstrap").isNull());
        JsonNode kaplan = json.get("kaplan");
        assertEquals("kaplan-one-variable-power-laws", kaplan.get("method").asText());
        assertEquals(200, kaplan.get("resamples").asInt());
        JsonNode lossOfN = kaplan.get("parameters");
        assertEquals("N", lossOfN.get("variable").asText());
        assertTrue(lossOfN.get("fitted").asBoolean(), lossOfN.toString());
        assertEquals(0.076, lossOfN.get("publishedExponent").asDouble());
        assertEquals(8.8e13, lossOfN.get("publishedConstant").asDouble());
        assertEquals(runs.stream().mapToLong(RunResult::parameters).distinct().count(), lossOfN.get("points").size());
        assertTrue(lossOfN.at("/exponentInterval/lower").isNumber() && lossOfN.get("stderr").isNumber(),
                lossOfN.toString());
        assertEquals(4, kaplan.at("/compute/points").size(), "one point per budget without curves");
        assertEquals(3.1e8 * 86_400e15, kaplan.at("/compute/publishedConstant").asDouble(), 1e15);
        assertTrue(kaplan.at("/data/source").asText().contains("no training curves"), kaplan.toString());
        assertTrue(json.at("/conventions/kaplan").asText().startsWith("kaplan: Kaplan et al. 2020's"));

        String html = Files.readString(files.reportHtml());
        assertTrue(html.contains("src=\"contours.png\"") && html.contains("src=\"residuals.png\""), html);
        assertTrue(html.contains("data-images-ok"), "the page marks whether its images loaded");
        assertTrue(html.contains("<h3>Held-out check</h3>") && html.contains("id=\"targets\""), html);
        assertFalse(html.contains("Approach 3 allocates a budget by C = 6·N·D, but"), "these runs are counted 6N");
        assertTrue(html.contains("tiny &lt;sweep&gt; &amp; &quot;friends&quot;"));
        assertFalse(html.contains("<sweep>"));
        assertTrue(html.contains("src=\"isoflop.png\"") && html.contains("src=\"frontier.png\""));
        assertTrue(html.contains("<h2>Parametric fit (Approach 3)</h2>"), html);
        assertTrue(html.contains("<h2 id=\"kaplan\">Kaplan's one-variable laws</h2>"), html);
        assertTrue(html.contains("α_N ≈ 0.076"), "the published exponents for reference");
        assertTrue(html.contains("<td class=\"text\">L(N)</td><td>" + String.format(java.util.Locale.ROOT, "%.4f",
                json.at("/kaplan/parameters/exponent").asDouble()) + "</td>"), html);
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "Approach 3: N_opt = %.3g · (C/6)^%.3f",
                parametric.law().g(), parametric.law().exponentA())), html);
        assertTrue(html.contains("<td class=\"text\">α</td><td>" + String.format(java.util.Locale.ROOT, "%.4f",
                parametric.law().alpha()) + "</td>"), html);
    }

    @Test
    void withABootstrapTheReportCarriesIntervalsBandsAndTheInferenceTable() throws IOException {
        List<RunResult> runs = LAW.noisySweep(new double[] {1e18, 1e19, 1e20}, 0.005, random);
        Approach2Fit fit = new Approach2().fit(runs);
        Approach3Fit parametric = new Approach3().fit(runs);
        BootstrapResult bootstrap = new BootstrapResult(20, 1, 109, new Bootstrap(runs, 1, Approach2Settings.defaults(),
                Approach3Settings.defaults().forResamples(parametric.law().toLogParameters())).fitAll(20));
        Forecasts forecasts = new Forecaster(new Approach2(), new Approach3()).forecast(runs, fit, parametric,
                bootstrap, List.of(1e22), 1e12);

        ReportFiles files = new ReportWriter().write(new ReportInput("boot", "6N",
                new Approach1().notFitted("no curves"), fit, parametric, kaplan(runs), bootstrap, forecasts,
                List.of(), GENERATED_AT), out);

        JsonNode json = new ObjectMapper().readTree(files.frontierJson().toFile());
        assertEquals(20, json.at("/bootstrap/resamples").asInt());
        JsonNode alpha = json.at("/bootstrap/approach3/alpha");
        assertEquals(parametric.law().alpha(), alpha.get("estimate").asDouble(), 1e-12);
        assertTrue(alpha.get("lower").asDouble() < alpha.get("upper").asDouble(), alpha.toString());
        assertEquals(1e22, json.at("/forecasts/targets/0/budgetFlops").asDouble());
        assertTrue(json.at("/forecasts/targets/0/loss/upper").isNumber());
        assertTrue(json.at("/forecasts/inferenceAware/0/n").asDouble() < json.at("/forecasts/targets/0/nOpt/estimate")
                .asDouble());
        assertImage(files.frontierPng());
        String html = Files.readString(files.reportHtml());
        assertTrue(html.contains("<th>2.5%</th><th>97.5%</th>"), html);
        assertTrue(html.contains("id=\"inference\""), html);
    }

    @Test
    void aSingleBudgetStillGetsApproach3sLineAndOptimum() throws IOException {
        List<RunResult> runs = LAW.grid(1e20, 6, 0.2, 0.0, 0.0, random);
        Approach2Fit fit = new Approach2().fit(runs);
        Approach3Fit parametric = new Approach3().fit(runs);

        ReportFiles files = new ReportWriter().write(input("one budget", fit, parametric), out);

        JsonNode json = new ObjectMapper().readTree(files.frontierJson().toFile());
        assertTrue(json.get("powerLaws").isNull());
        assertTrue(json.at("/approach3/fitted").asBoolean());
        assertEquals(1, json.at("/approach3/budgets").size());
        assertImage(files.frontierPng());
    }

    @Test
    void withoutAnyVertexStillWritesTheReportAndNullPowerLaws() throws IOException {
        List<RunResult> runs = LAW.grid(1e20, 2, 0.2, 0.0, 0.0, random);
        Approach2Fit fit = new Approach2().fit(runs);
        Approach3Fit parametric = new Approach3().fit(runs);

        ReportFiles files = new ReportWriter().write(input("sparse", fit, parametric), out);

        JsonNode json = new ObjectMapper().readTree(files.frontierJson().toFile());
        assertTrue(json.get("powerLaws").isNull());
        JsonNode approach3 = json.get("approach3");
        assertFalse(approach3.get("fitted").asBoolean());
        assertEquals("2 run(s) with a finite loss, at least 5 needed", approach3.get("reason").asText());
        assertTrue(approach3.get("E").isNull() && approach3.get("a").isNull() && approach3.get("objective").isNull());
        assertEquals(2, approach3.get("runsUsed").asInt());
        assertEquals(0, approach3.get("budgets").size());
        assertTrue(json.get("diagnostics").toString().contains("approach 3 not fitted"), json.toString());
        assertTrue(json.at("/budgets/0/nOpt").isNull());
        assertTrue(json.at("/budgets/0/parabola").isNull());
        assertTrue(json.get("diagnostics").toString().contains("power laws not fitted"));
        assertEquals(2, Files.readAllLines(files.frontierCsv()).size());
        assertImage(files.isoflopPng());
        assertImage(files.frontierPng());
        assertImage(files.contourPng());
        assertImage(files.residualsPng());
        String html = Files.readString(files.reportHtml());
        assertTrue(html.contains("No Approach 2 power law"));
        assertTrue(html.contains("Not fitted: 2 run(s) with a finite loss, at least 5 needed."), html);
        JsonNode compute = json.at("/kaplan/compute");
        assertFalse(compute.get("fitted").asBoolean());
        assertTrue(compute.get("exponent").isNull() && compute.get("exponentInterval").isNull(), compute.toString());
        assertEquals("1 budget with a finite final loss, at least 2 needed", compute.get("reason").asText());
        assertTrue(html.contains("not fitted: 1 budget with a finite final loss, at least 2 needed"), html);
    }

    private static ReportInput input(String sweep, Approach2Fit fit, Approach3Fit parametric) {
        List<String> diagnostics = new ArrayList<>(fit.diagnostics());
        diagnostics.addAll(parametric.diagnostics());
        List<RunResult> runs = fit.budgets().stream().flatMap(b -> b.points().stream()).map(p -> p.run()).toList();
        return new ReportInput(sweep, "6N", new Approach1().notFitted("no curves in this test"), fit, parametric,
                kaplan(runs), null, new Forecaster(new Approach2(), new Approach3()).forecast(runs, fit, parametric, null, List.of(),
                        null), diagnostics, GENERATED_AT);
    }

    private static KaplanFit kaplan(List<RunResult> runs) {
        return new KaplanLaws(200, 5).fit(runs, List.of(), new Approach1().notFitted("no curves in this test"));
    }

    private static void assertImage(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a readable image");
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, png + " is too small");
    }
}
