package io.isoflop.fitter.report;

import io.isoflop.contracts.AtomicFiles;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.ParametricLaw;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;

/**
 * Writes a report into one directory ({@link ReportFiles}): frontier.json, frontier.csv, isoflop.png,
 * frontier.png, contours.png, residuals.png and report.html. Each file appears complete or not at all (temporary name, then rename).
 * Rendering needs no display: {@code java.awt.headless} is set before the first chart.
 */
public final class ReportWriter {

    public ReportFiles write(ReportInput input, Path outDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(outDir);
        ReportFiles files = ReportFiles.in(outDir);
        AtomicFiles.writeString(files.frontierJson(), FrontierJson.render(FrontierDocument.of(input)));
        AtomicFiles.writeString(files.frontierCsv(), FrontierCsv.render(input.fit()));
        writePng(IsoFlopChart.build(input.fit(), "IsoFLOP profiles: " + input.sweep()), files.isoflopPng());
        ParametricLaw law = input.approach3().law();
        writePng(FrontierChart.build(input.approach1(), input.fit(), law, input.bootstrap(), input.targetBudgets(),
                "Compute-optimal frontier: " + input.sweep()), files.frontierPng());
        List<Double> budgets = input.fit().budgets().stream().map(BudgetProfile::budgetFlops).toList();
        writePng(ContourChart.build(law, input.runs(), budgets, "Approach 3: L(N, D) and the efficient frontier: "
                + input.sweep()), files.contourPng());
        writePng(ResidualChart.build(law, input.runs(), "Approach 3 residuals: " + input.sweep()),
                files.residualsPng());
        AtomicFiles.writeString(files.reportHtml(), HtmlReport.render(input, files));
        return files;
    }

    private static void writePng(XYChart chart, Path target) throws IOException {
        AtomicFiles.write(target, temporary -> {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
            }
        });
    }
}
