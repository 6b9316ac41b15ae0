package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.PointDecision;
import io.isoflop.fitter.fit.PowerLaw;
import io.isoflop.fitter.fit.Vertex;
import java.util.Locale;

/**
 * Renders {@code report.html}: a self-contained page (inline CSS, images by relative path) with the exponents of
 * Approaches 2 and 3, both plots, Approach 3's parameter table, the per-budget and per-point tables and the
 * diagnostics. Every text from the data is escaped.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
            td.text,th.text{text-align:left}tr.excluded td{color:#888}img{max-width:100%}
            .law{font-size:1.2em}.warning{color:#a40}code{background:#f4f4f4;padding:0 .2em}
            """;

    private HtmlReport() {}

    public static String render(ReportInput input, String isoflopImage, String frontierImage) {
        Approach2Fit fit = input.fit();
        StringBuilder html = new StringBuilder();
        String title = "IsoFLOP frontier: " + input.sweep();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n");
        html.append("<p>Sweep <code>").append(escape(input.sweep())).append("</code>, FLOP convention <code>")
                .append(escape(input.flopConvention())).append("</code>, Approach 2 (IsoFLOP profiles: parabola of loss"
                        + " against log10 N per budget) and Approach 3 (parametric fit of L(N, D) = E + A/N^α + B/D^β"
                        + " to every finished run). Generated ")
                .append(escape(input.generatedAt().toString())).append(".</p>\n");
        if (fit.hasPowerLaws()) {
            html.append("<p class=\"law\">").append(law("Approach 2: N_opt", "a", fit.nOpt())).append("<br>")
                    .append(law("Approach 2: D_opt", "b", fit.dOpt())).append("</p>\n");
        } else {
            html.append("<p class=\"law warning\">No power law: fewer than two usable budgets (see diagnostics).</p>\n");
        }
        Approach3Fit approach3 = input.approach3();
        if (approach3.hasOptimalAllocation()) {
            ParametricLaw law = approach3.law();
            html.append("<p class=\"law\">").append(escape(format("Approach 3: N_opt = %.3g · (C/6)^%.3f,"
                    + " D_opt = %.3g · (C/6)^%.3f", law.g(), law.exponentA(), 1 / law.g(), law.exponentB())))
                    .append("</p>\n");
        }
        html.append("<h2>IsoFLOP profiles</h2>\n<img src=\"").append(escape(isoflopImage))
                .append("\" alt=\"loss against N per budget with fitted parabolas\">\n");
        html.append("<h2>Compute-optimal frontier</h2>\n<img src=\"").append(escape(frontierImage))
                .append("\" alt=\"N_opt and D_opt against C: Approach 2 vertices and power laws, Approach 3's"
                        + " lines\">\n");
        parametricSection(html, fit, approach3);
        budgetTable(html, fit);
        pointTable(html, fit);
        html.append("<h2>Diagnostics</h2>\n");
        if (input.diagnostics().isEmpty()) {
            html.append("<p>None.</p>\n");
        } else {
            html.append("<ul>\n");
            input.diagnostics().forEach(d -> html.append("<li>").append(escape(d)).append("</li>\n"));
            html.append("</ul>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static String law(String name, String symbol, PowerLaw law) {
        String stderr = Double.isFinite(law.exponentStdErr()) ? format(" ± %.3f", law.exponentStdErr()) : " (no stderr)";
        return escape(format("%s = %.3g · C^%s, %s = %.3f", name, law.coefficient(), symbol, symbol, law.exponent())
                + stderr + format(", R² = %.4f over %d budgets", law.r2(), law.points()));
    }

    private static void parametricSection(StringBuilder html, Approach2Fit fit, Approach3Fit approach3) {
        html.append("<h2>Parametric fit (Approach 3)</h2>\n");
        if (!approach3.fitted()) {
            html.append("<p class=\"warning\">Not fitted: ").append(escape(approach3.reason())).append(".</p>\n");
            return;
        }
        ParametricLaw law = approach3.law();
        html.append("<p>L(N, D) = E + A/N^α + B/D^β, fitted to ").append(approach3.runsUsed())
                .append(" runs: the sum of Huber losses (δ = ").append(format("%.0e", approach3.huberDelta()))
                .append(") of log-loss residuals, minimised by BFGS from each of ").append(approach3.starts())
                .append(" starts; the best is kept.</p>\n");
        html.append("<table>\n<tr><th class=\"text\">parameter</th><th>value</th></tr>\n");
        parameterRow(html, "E (irreducible loss)", format("%.4f", law.e()));
        parameterRow(html, "A", format("%.4g", law.a()));
        parameterRow(html, "B", format("%.4g", law.b()));
        parameterRow(html, "α", format("%.4f", law.alpha()));
        parameterRow(html, "β", format("%.4f", law.beta()));
        if (approach3.hasOptimalAllocation()) {
            parameterRow(html, "a = β/(α+β), N_opt ∝ C^a", format("%.4f", law.exponentA()));
            parameterRow(html, "b = α/(α+β), D_opt ∝ C^b", format("%.4f", law.exponentB()));
            parameterRow(html, "G = (αA/(βB))^(1/(α+β))", format("%.4g", law.g()));
        }
        parameterRow(html, "objective (sum of Huber losses)", format("%.6g", approach3.objective()));
        parameterRow(html, format("starts within %.0e of the best", approach3.nearBestTolerance()),
                approach3.startsNearBest() + "/" + approach3.starts());
        parameterRow(html, "starts failed", Integer.toString(approach3.startsFailed()));
        html.append("</table>\n");
        if (!approach3.hasOptimalAllocation()) {
            html.append("<p class=\"warning\">α or β is not positive: no compute-optimal allocation.</p>\n");
            return;
        }
        html.append("<table>\n<tr><th>C (FLOPs)</th><th>N_opt, Approach 2</th><th>N_opt, Approach 3</th>"
                + "<th>D_opt, Approach 3</th><th>predicted loss, Approach 3</th></tr>\n");
        for (BudgetProfile profile : fit.budgets()) {
            double c = profile.budgetFlops();
            Vertex vertex = profile.vertex();
            html.append("<tr>")
                    .append(cell(format("%.3g", c)))
                    .append(cell(vertex == null ? "" : format("%.4g", vertex.parameters())))
                    .append(cell(format("%.4g", law.optimalParameters(c))))
                    .append(cell(format("%.4g", law.optimalTokens(c))))
                    .append(cell(format("%.4f", law.optimalLoss(c))))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void parameterRow(StringBuilder html, String name, String value) {
        html.append("<tr>").append(textCell(name)).append(cell(value)).append("</tr>\n");
    }

    private static void budgetTable(StringBuilder html, Approach2Fit fit) {
        html.append("<h2>Budgets</h2>\n<table>\n<tr><th>C (FLOPs)</th><th>points kept</th><th>N_opt</th>"
                + "<th>D_opt</th><th>loss at vertex</th><th>tokens/param</th><th>inside range</th>"
                + "<th>used</th><th class=\"text\">reason</th></tr>\n");
        for (BudgetProfile profile : fit.budgets()) {
            Vertex vertex = profile.vertex();
            html.append(profile.usedInPowerLaw() ? "<tr>" : "<tr class=\"excluded\">")
                    .append(cell(format("%.3g", profile.budgetFlops())))
                    .append(cell(profile.keptPoints().size() + "/" + profile.points().size()))
                    .append(cell(vertex == null ? "" : format("%.4g", vertex.parameters())))
                    .append(cell(vertex == null ? "" : format("%.4g", vertex.tokens())))
                    .append(cell(vertex == null ? "" : format("%.4f", vertex.loss())))
                    .append(cell(vertex == null ? "" : format("%.1f", vertex.tokensPerParameter())))
                    .append(cell(vertex == null ? "" : profile.insideSampledRange() ? "yes" : "no"))
                    .append(cell(profile.usedInPowerLaw() ? "yes" : "no"))
                    .append(textCell(profile.reason()))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void pointTable(StringBuilder html, Approach2Fit fit) {
        html.append("<h2>Runs</h2>\n<table>\n<tr><th class=\"text\">run</th><th>C (FLOPs)</th><th>N</th><th>D</th>"
                + "<th>loss</th><th>used</th><th class=\"text\">exclusion reason</th></tr>\n");
        for (BudgetProfile profile : fit.budgets()) {
            for (PointDecision point : profile.points()) {
                var run = point.run();
                html.append(point.excluded() ? "<tr class=\"excluded\">" : "<tr>")
                        .append(textCell(run.runId()))
                        .append(cell(format("%.3g", profile.budgetFlops())))
                        .append(cell(Long.toString(run.parameters())))
                        .append(cell(Long.toString(run.tokens())))
                        .append(cell(format("%.4f", run.finalLoss())))
                        .append(cell(point.excluded() ? "no" : "yes"))
                        .append(textCell(point.reason()))
                        .append("</tr>\n");
            }
        }
        html.append("</table>\n");
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    private static String textCell(String text) {
        return "<td class=\"text\">" + escape(text == null ? "" : text) + "</td>";
    }

    /** Escapes text for HTML element content and double-quoted attribute values. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(ch);
            }
        }
        return escaped.toString();
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
