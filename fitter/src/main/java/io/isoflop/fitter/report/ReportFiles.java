package io.isoflop.fitter.report;

import java.nio.file.Path;

/** The files a report consists of, all in one directory. */
public record ReportFiles(Path frontierJson, Path frontierCsv, Path isoflopPng, Path frontierPng, Path contourPng,
        Path residualsPng, Path reportHtml) {

    public static final String FRONTIER_JSON = "frontier.json";
    public static final String FRONTIER_CSV = "frontier.csv";
    public static final String ISOFLOP_PNG = "isoflop.png";
    public static final String FRONTIER_PNG = "frontier.png";
    public static final String CONTOUR_PNG = "contours.png";
    public static final String RESIDUALS_PNG = "residuals.png";
    public static final String REPORT_HTML = "report.html";

    public static ReportFiles in(Path outDir) {
        return new ReportFiles(outDir.resolve(FRONTIER_JSON), outDir.resolve(FRONTIER_CSV),
                outDir.resolve(ISOFLOP_PNG), outDir.resolve(FRONTIER_PNG), outDir.resolve(CONTOUR_PNG),
                outDir.resolve(RESIDUALS_PNG), outDir.resolve(REPORT_HTML));
    }
}
