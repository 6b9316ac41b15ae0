package io.isoflop.fitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
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

        ReportFiles files = new ReportWriter().write(input(sweep, fit), out);

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

        List<String> csv = Files.readAllLines(files.frontierCsv());
        assertEquals(FrontierCsv.HEADER, csv.get(0));
        assertEquals(1 + 4, csv.size());
        assertTrue(csv.get(4).endsWith(",false,false,\"" + fit.budgets().get(3).reason() + "\""), csv.get(4));

        assertImage(files.isoflopPng());
        assertImage(files.frontierPng());

        String html = Files.readString(files.reportHtml());
        assertTrue(html.contains("tiny &lt;sweep&gt; &amp; &quot;friends&quot;"));
        assertFalse(html.contains("<sweep>"));
        assertTrue(html.contains("src=\"isoflop.png\"") && html.contains("src=\"frontier.png\""));
    }

    @Test
    void withoutAnyVertexStillWritesTheReportAndNullPowerLaws() throws IOException {
        Approach2Fit fit = new Approach2().fit(LAW.grid(1e20, 2, 0.2, 0.0, 0.0, random));

        ReportFiles files = new ReportWriter().write(input("sparse", fit), out);

        JsonNode json = new ObjectMapper().readTree(files.frontierJson().toFile());
        assertTrue(json.get("powerLaws").isNull());
        assertTrue(json.at("/budgets/0/nOpt").isNull());
        assertTrue(json.at("/budgets/0/parabola").isNull());
        assertTrue(json.get("diagnostics").toString().contains("power laws not fitted"));
        assertEquals(2, Files.readAllLines(files.frontierCsv()).size());
        assertImage(files.isoflopPng());
        assertImage(files.frontierPng());
        assertTrue(Files.readString(files.reportHtml()).contains("No power law"));
    }

    private static ReportInput input(String sweep, Approach2Fit fit) {
        return new ReportInput(sweep, "6N", fit, fit.diagnostics(), GENERATED_AT);
    }

    private static void assertImage(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a readable image");
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, png + " is too small");
    }
}
