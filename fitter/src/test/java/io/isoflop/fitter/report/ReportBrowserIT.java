package io.isoflop.fitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.isoflop.fitter.fit.Approach1;
import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach2Settings;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.Bootstrap;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.Forecasts;
import io.isoflop.fitter.fit.Forecaster;
import io.isoflop.fitter.fit.KaplanLaws;
import io.isoflop.fitter.fit.KnownLaw;
import io.isoflop.fitter.fit.RunResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real headless Chromium: after load every image has decoded (the page's own check sets
 * {@code data-images-ok} on its body), the key sections are in the DOM, and a screenshot shows a drawn page.
 * Skipped when {@code /usr/bin/chromium} (or {@code $CHROMIUM}) is absent, unless {@code ISOFLOP_BROWSER_REQUIRED=true}.
 */
class ReportBrowserIT {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 4000;
    private static final long TIMEOUT_SECONDS = 120;
    private static final Pattern IMG_SRC = Pattern.compile("<img[^>]*\\bsrc=\"([^\"]+)\"");

    private Path chromium;

    @TempDir
    Path work;

    @BeforeEach
    void findChromium() {
        Path candidate = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        boolean required = "true".equals(System.getenv("ISOFLOP_BROWSER_REQUIRED"));
        if (!Files.isExecutable(candidate)) {
            if (required) {
                fail("ISOFLOP_BROWSER_REQUIRED=true but " + candidate + " is not an executable Chromium");
            }
            Assumptions.assumeTrue(false, candidate + " not found: browser check skipped");
        }
        chromium = candidate;
    }

    @Test
    void theReportLoadsEveryImageAndShowsItsSections() throws Exception {
        ReportFiles files = writeReport(work.resolve("report"));

        String dom = dumpDom(files.reportHtml());

        assertTrue(dom.contains("data-images-ok=\"true\""), "every image decoded with a nonzero width: "
                + bodyTag(dom));
        assertTrue(dom.contains("data-images=\"4\""), bodyTag(dom));
        Matcher sources = IMG_SRC.matcher(dom);
        Set<String> seen = new HashSet<>();
        while (sources.find()) {
            seen.add(sources.group(1));
            assertTrue(Files.isRegularFile(files.reportHtml().resolveSibling(sources.group(1))), sources.group(1));
        }
        assertEquals(Set.of("isoflop.png", "frontier.png", "contours.png", "residuals.png"), seen);
        for (String id : List.of("laws", "parameters", "forecasts", "holdout", "targets", "inference", "diagnostics")) {
            assertTrue(dom.contains("id=\"" + id + "\""), "section " + id + " in the rendered page");
        }
        assertTrue(dom.contains("<th>2.5%</th><th>97.5%</th>"), "the parameter table has intervals");

        Path screenshot = work.resolve("report.png");
        run(files.reportHtml(), "--screenshot=" + screenshot, "--window-size=" + WIDTH + "," + HEIGHT);
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertNotNull(image, "the screenshot decodes");
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        assertTrue(colours(image) > 50, "a drawn page has many colours, got " + colours(image));
        assertTrue(inkedRows(image) > HEIGHT / 2, "text and plots fill most of the page: " + inkedRows(image)
                + " of " + HEIGHT + " rows hold a non-white pixel");
    }

    @Test
    void aBrokenImageIsReported() throws Exception {
        ReportFiles files = writeReport(work.resolve("broken"));
        Files.delete(files.contourPng());

        String dom = dumpDom(files.reportHtml());

        assertTrue(dom.contains("data-images-ok=\"false\""), "the check can fail: " + bodyTag(dom));
    }

    private static ReportFiles writeReport(Path out) throws IOException {
        KnownLaw law = KnownLaw.EPOCH_CHINCHILLA;
        Random random = new Random(3);
        List<RunResult> runs = law.noisySweep(new double[] {1e18, 1e19, 1e20}, 0.005, random);
        Approach2Fit fit = new Approach2().fit(runs);
        Approach3Fit parametric = new Approach3().fit(runs);
        BootstrapResult bootstrap = new BootstrapResult(20, 1, 109, new Bootstrap(runs, 1, Approach2Settings.defaults(),
                Approach3Settings.defaults().forResamples(parametric.law().toLogParameters())).fitAll(20));
        Forecasts forecasts = new Forecaster(new Approach2(), new Approach3()).forecast(runs, fit, parametric,
                bootstrap, List.of(), 1e12);
        List<String> diagnostics = new ArrayList<>(fit.diagnostics());
        return new ReportWriter().write(new ReportInput("browser <check>", "6N",
                new Approach1().notFitted("a table holds final losses only"), fit, parametric,
                new KaplanLaws(100, 1).fit(runs, List.of(), new Approach1().notFitted("no curves")), bootstrap,
                forecasts, diagnostics, Instant.parse("2025-01-02T03:04:05Z")), out);
    }

    private String dumpDom(Path html) throws Exception {
        return run(html, "--dump-dom", "--virtual-time-budget=5000");
    }

    /** Runs Chromium on {@code html} with a fresh profile; returns its standard output. */
    private String run(Path html, String... arguments) throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        command.add(html.toUri().toString());
        Path stdout = Files.createTempFile(work, "chromium", ".out");
        Path stderr = Files.createTempFile(work, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        String error = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "chromium failed: " + error);
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String bodyTag(String dom) {
        Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
        return body.find() ? body.group() : "no <body> in " + dom.substring(0, Math.min(500, dom.length()));
    }

    private static int colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return colours.size();
    }

    private static int inkedRows(BufferedImage image) {
        int rows = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    rows++;
                    break;
                }
            }
        }
        return rows;
    }
}
