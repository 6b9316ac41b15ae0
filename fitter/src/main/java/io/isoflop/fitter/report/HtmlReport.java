package io.isoflop.fitter.report;

import io.isoflop.contracts.FlopConvention;
import io.isoflop.fitter.fit.Approach1Fit;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.Forecasts;
import io.isoflop.fitter.fit.HoldOut;
import io.isoflop.fitter.fit.InferenceForecast;
import io.isoflop.fitter.fit.InferenceOptimum;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.DataConstrainedFit;
import io.isoflop.fitter.fit.KaplanFit;
import io.isoflop.fitter.fit.KaplanLaw;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.PointDecision;
import io.isoflop.fitter.fit.PowerLaw;
import io.isoflop.fitter.fit.Projection;
import io.isoflop.fitter.fit.Vertex;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@code report.html}: a self-contained page (inline CSS and script, images by relative path) with the
 * exponents of Approaches 1, 2 and 3, the four plots (IsoFLOP profiles, frontier with bands, loss contours,
 * residuals), Approach 3's parameter table with bootstrap intervals, Kaplan's one-variable laws beside their published
 * exponents, the forecasts (held-out check, target budgets,
 * inference-aware optimum), the per-budget and per-point tables and the diagnostics. Every text from the data is
 * escaped. A small script marks {@code <body data-images-ok>} after load for browser checks ({@link #IMAGE_CHECK}).
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
            td.text,th.text{text-align:left}tr.excluded td{color:#888}img{max-width:100%}
            .law{font-size:1.2em}.warning{color:#a40}code{background:#f4f4f4;padding:0 .2em}
            """;

    private HtmlReport() {}

    /**
     * A script that marks {@code <body data-images-ok="true|false" data-images="n">} once the page has loaded: true
     * when every image decoded with a nonzero natural width. Browser checks read the attribute from the DOM.
     */
    static final String IMAGE_CHECK = """
            window.addEventListener('load',function(){var imgs=document.images,ok=imgs.length>0;
            for(var i=0;i<imgs.length;i++){if(!imgs[i].complete||imgs[i].naturalWidth===0){ok=false;}}
            document.body.setAttribute('data-images',String(imgs.length));
            document.body.setAttribute('data-images-ok',String(ok));});
            """;

    public static String render(ReportInput input, ReportFiles files) {
        Approach2Fit fit = input.fit();
        StringBuilder html = new StringBuilder();
        String title = "IsoFLOP frontier: " + input.sweep();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style>\n<script>")
                .append(IMAGE_CHECK).append("</script>\n</head>\n<body>\n");
        html.append("<h1>").append(escape(title)).append("</h1>\n");
        html.append("<p>Sweep <code>").append(escape(input.sweep())).append("</code>, FLOP convention <code>")
                .append(escape(input.flopConvention())).append("</code>. Approach 1: the envelope of the held-out loss"
                        + " curves over compute; Approach 2: IsoFLOP profiles (a parabola of loss against log10 N per"
                        + " budget); Approach 3: the parametric fit of L(N, D) = E + A/N^α + B/D^β to every finished"
                        + " run. Generated ")
                .append(escape(input.generatedAt().toString())).append(".</p>\n");
        Approach1Fit approach1 = input.approach1();
        html.append("<p class=\"law\" id=\"laws\">");
        if (approach1.hasPowerLaws()) {
            html.append(law("Approach 1: N_opt", "a", approach1.nOpt())).append("<br>")
                    .append(law("Approach 1: D_opt", "b", approach1.dOpt())).append("<br>");
        }
        if (fit.hasPowerLaws()) {
            html.append(law("Approach 2: N_opt", "a", fit.nOpt())).append("<br>")
                    .append(law("Approach 2: D_opt", "b", fit.dOpt()));
        } else {
            html.append("<span class=\"warning\">No Approach 2 power law: fewer than two usable budgets (see"
                    + " diagnostics).</span>");
        }
        html.append("</p>\n");
        Approach3Fit approach3 = input.approach3();
        if (approach3.hasOptimalAllocation()) {
            ParametricLaw law = approach3.law();
            html.append("<p class=\"law\">").append(escape(format("Approach 3: N_opt = %.3g · (C/6)^%.3f,"
                    + " D_opt = %.3g · (C/6)^%.3f", law.g(), law.exponentA(), 1 / law.g(), law.exponentB())))
                    .append("</p>\n");
        }
        if (!approach1.hasPowerLaws()) {
            html.append("<p>Approach 1 not fitted: ").append(escape(approach1.reason())).append(".</p>\n");
        }
        image(html, "IsoFLOP profiles", "isoflop", files.isoflopPng(), "loss against N per budget with fitted parabolas");
        image(html, "Compute-optimal frontier", "frontier", files.frontierPng(), "N_opt and D_opt against C from"
                + " Approaches 1, 2 and 3, with the bootstrap's 95% bands");
        image(html, "Fitted loss surface", "contours", files.contourPng(), "contours of Approach 3's L(N, D) with"
                + " the efficient frontier and the runs");
        image(html, "Residuals", "residuals", files.residualsPng(), "Approach 3's log residuals against C");
        parametricSection(html, approach1, fit, approach3, input.bootstrap());
        kaplanSection(html, input.kaplan());
        dataConstrainedSection(html, input.dataConstrained());
        stagesSection(html, input.stages());
        forecastSection(html, input.forecasts(), input.flopConvention());
        budgetTable(html, fit);
        pointTable(html, fit);
        html.append("<h2 id=\"diagnostics\">Diagnostics</h2>\n");
        if (input.diagnostics().isEmpty()) {
            html.append("<p>None.</p>\n");
        } else {
            html.append("<ul>\n");
            input.diagnostics().forEach(d -> html.append("<li>").append(escape(d)).append("</li>\n"));
            html.append("</ul>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void image(StringBuilder html, String heading, String id, Path file, String alt) {
        html.append("<h2>").append(escape(heading)).append("</h2>\n<img id=\"").append(id).append("\" src=\"")
                .append(escape(file.getFileName().toString())).append("\" alt=\"").append(escape(alt))
                .append("\">\n");
    }

    private static String law(String name, String symbol, PowerLaw law) {
        String stderr = Double.isFinite(law.exponentStdErr()) ? format(" ± %.3f", law.exponentStdErr()) : " (no stderr)";
        return escape(format("%s = %.3g · C^%s, %s = %.3f", name, law.coefficient(), symbol, symbol, law.exponent())
                + stderr + format(", R² = %.4f over %d budgets", law.r2(), law.points()));
    }

    private static void parametricSection(StringBuilder html, Approach1Fit envelope, Approach2Fit fit,
            Approach3Fit approach3, BootstrapResult bootstrap) {
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
        Map<String, Interval> intervals = bootstrap == null ? Map.of() : bootstrap.approach3Intervals(law);
        if (bootstrap != null) {
            html.append("<p>Intervals: bootstrap over runs, ").append(bootstrap.resamples()).append(" resamples (seed ")
                    .append(bootstrap.seed()).append("), each refitted from the full fit's optimum and a coarse grid"
                            + " of ").append(bootstrap.approach3Starts() - 1).append(" starts; standard error and"
                            + " 2.5–97.5 percentiles of the resamples.</p>\n");
        }
        html.append("<table id=\"parameters\">\n<tr><th class=\"text\">parameter</th><th>value</th><th>std. error</th>"
                + "<th>2.5%</th><th>97.5%</th></tr>\n");
        parameterRow(html, "E (irreducible loss)", format("%.4f", law.e()), intervals.get("E"), "%.4f");
        parameterRow(html, "A", format("%.4g", law.a()), intervals.get("A"), "%.4g");
        parameterRow(html, "B", format("%.4g", law.b()), intervals.get("B"), "%.4g");
        parameterRow(html, "α", format("%.4f", law.alpha()), intervals.get("alpha"), "%.4f");
        parameterRow(html, "β", format("%.4f", law.beta()), intervals.get("beta"), "%.4f");
        if (approach3.hasOptimalAllocation()) {
            parameterRow(html, "a = β/(α+β), N_opt ∝ C^a", format("%.4f", law.exponentA()), intervals.get("a"),
                    "%.4f");
            parameterRow(html, "b = α/(α+β), D_opt ∝ C^b", format("%.4f", law.exponentB()), intervals.get("b"),
                    "%.4f");
            parameterRow(html, "G = (αA/(βB))^(1/(α+β))", format("%.4g", law.g()), intervals.get("G"), "%.4g");
        }
        if (bootstrap != null && envelope.hasPowerLaws() && bootstrap.approach1Fitted() > 0) {
            Map<String, Interval> curves = bootstrap.approach1Intervals(envelope.nOpt(), envelope.dOpt());
            parameterRow(html, "Approach 1: a", format("%.4f", envelope.nOpt().exponent()), curves.get("a"), "%.4f");
            parameterRow(html, "Approach 1: b", format("%.4f", envelope.dOpt().exponent()), curves.get("b"), "%.4f");
        }
        if (bootstrap != null && fit.hasPowerLaws()) {
            Map<String, Interval> profiles = bootstrap.approach2Intervals(fit.nOpt(), fit.dOpt());
            parameterRow(html, "Approach 2: a", format("%.4f", fit.nOpt().exponent()), profiles.get("a"), "%.4f");
            parameterRow(html, "Approach 2: b", format("%.4f", fit.dOpt().exponent()), profiles.get("b"), "%.4f");
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

    private static void kaplanSection(StringBuilder html, KaplanFit kaplan) {
        html.append("<h2 id=\"kaplan\">Kaplan's one-variable laws</h2>\n");
        html.append("<p>Kaplan et al. (2020) fitted the loss as a pure power of one resource where the others do not"
                + " limit it: L(N) = (N_c/N)^α_N, L(D) = (D_c/D)^α_D, L(C_min) = (C_c/C_min)^α_C. Fitted here by least"
                + " squares in log space to the same runs; ").append(kaplan.resamples() == 0
                        ? "no intervals (no bootstrap resamples asked for)"
                        : "the intervals are a bootstrap over each law's points (" + kaplan.resamples()
                                + " resamples, seed " + kaplan.seed() + ")")
                .append(". Without an irreducible term, these exponents are much smaller than Approach 3's α and β; Kaplan's"
                        + " published values (α_N ≈ 0.076, α_D ≈ 0.095, α_C ≈ 0.050) are for reference, from"
                        + " non-embedding N and C_min at the critical batch size.</p>\n");
        html.append("<table id=\"kaplan-laws\">\n<tr><th class=\"text\">law</th><th>exponent</th><th>std. error</th>"
                + "<th>2.5%</th><th>97.5%</th><th>constant</th><th>points</th><th>published exponent</th>"
                + "<th class=\"text\">points from</th></tr>\n");
        for (KaplanLaw law : kaplan.laws()) {
            String name = "L(" + law.variable().symbol() + ")";
            html.append(law.fitted() ? "<tr>" : "<tr class=\"excluded\">").append(textCell(name));
            if (law.fitted()) {
                Interval interval = law.exponentInterval();
                html.append(cell(format("%.4f", law.exponent())))
                        .append(cell(number("%.3g", law.exponentStdErr())))
                        .append(cell(interval == null ? "" : number("%.4f", interval.lower())))
                        .append(cell(interval == null ? "" : number("%.4f", interval.upper())))
                        .append(cell(number("%.3g", law.constant())));
            } else {
                html.append(cell("")).append(cell("")).append(cell("")).append(cell("")).append(cell(""));
            }
            html.append(cell(Integer.toString(law.points().size())))
                    .append(cell(format("%.3f", law.variable().publishedExponent())))
                    .append(textCell(law.fitted() ? law.source() : "not fitted: " + law.reason()))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void stagesSection(StringBuilder html, List<AdaptiveStage> stages) {
        if (stages.isEmpty()) {
            return;
        }
        html.append("<h2 id=\"stages\">Stages of the adaptive grid</h2>\n<p>The sweep ran in stages: the smallest"
                + " budgets first, then each larger budget's sizes centred on the N_opt the runs before it predicted,"
                + " until the requested precision was reached or the budgets ran out.</p>\n");
        html.append("<table id=\"adaptive-stages\">\n<tr><th>stage</th><th class=\"text\">budgets</th><th>runs</th>"
                + "<th>FLOPs</th><th class=\"text\">why</th></tr>\n");
        for (AdaptiveStage stage : stages) {
            html.append("<tr>").append(cell(Integer.toString(stage.index())))
                    .append(textCell(stage.budgets().stream().map(b -> format("%.3g", b))
                            .collect(java.util.stream.Collectors.joining(", "))))
                    .append(cell(Integer.toString(stage.runs())))
                    .append(cell(stage.runs() == 0 ? "" : format("%.3g", stage.flops())))
                    .append(textCell(stage.reason())).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void dataConstrainedSection(StringBuilder html, DataConstrainedFit fit) {
        html.append("<h2 id=\"data-constrained\">Repeated data</h2>\n<p>");
        if (!fit.repetitionPresent()) {
            html.append("No run repeats data (each saw at most one epoch of its unique tokens): Approach 3's"
                    + " Chinchilla form is the law used.</p>\n");
            return;
        }
        html.append(escape(String.format(Locale.ROOT, "%d run(s) repeat data, up to %.1f epochs. Repeated tokens are"
                + " worth less than fresh ones (Muennighoff et al. 2023): the data-constrained law L = E + A/N'^α +"
                + " B/D'^β counts D' = U_D + U_D·R*_D·(1 − e^(−R_D/R*_D)) effective tokens (R_D = epochs − 1) and"
                + " N' likewise (R*_N, U_N = min(N, U_D/%.0f)). ", fit.repeatingRuns(), fit.maxEpochs(),
                fit.tokensPerParameter())));
        if (!fit.fitted()) {
            html.append(escape("It was not fitted: " + fit.reason() + "; Approach 3 treats repeated tokens as fresh"
                    + " and is biased.")).append("</p>\n");
            return;
        }
        html.append("This law, not Approach 3's, describes the runs.</p>\n");
        ParametricLaw law = fit.law();
        html.append("<table id=\"data-constrained-law\">\n<tr><th class=\"text\">parameter</th><th>value</th></tr>\n");
        parameterRow(html, "E", format("%.4g", law.e()));
        parameterRow(html, "A", format("%.4g", law.a()));
        parameterRow(html, "B", format("%.4g", law.b()));
        parameterRow(html, "α", format("%.4f", law.alpha()));
        parameterRow(html, "β", format("%.4f", law.beta()));
        parameterRow(html, "R*_D", format("%.3g", fit.rStarD()));
        parameterRow(html, "R*_N", Double.isFinite(fit.rStarN()) ? format("%.3g", fit.rStarN())
                : "not identifiable (no model larger than its unique data can use)");
        parameterRow(html, "Huber objective (Approach 3's)", format("%.4g", fit.objective()) + " ("
                + format("%.4g", fit.plainObjective()) + ")");
        html.append("</table>\n");
    }

    private static void parameterRow(StringBuilder html, String name, String value) {
        html.append("<tr>").append(textCell(name)).append(cell(value)).append("</tr>\n");
    }

    private static void parameterRow(StringBuilder html, String name, String value, Interval interval,
            String pattern) {
        html.append("<tr>").append(textCell(name)).append(cell(value));
        if (interval != null) {
            html.append(cell(number("%.3g", interval.stdErr()))).append(cell(number(pattern, interval.lower())))
                    .append(cell(number(pattern, interval.upper())));
        } else {
            html.append(cell("")).append(cell("")).append(cell(""));
        }
        html.append("</tr>\n");
    }

    private static String number(String pattern, double value) {
        return Double.isFinite(value) ? format(pattern, value) : "";
    }

    /** "estimate [lower, upper]", or the estimate alone without an interval; empty without an estimate. */
    private static String withInterval(String pattern, Interval interval) {
        if (!Double.isFinite(interval.estimate())) {
            return "";
        }
        String estimate = format(pattern, interval.estimate());
        return Double.isFinite(interval.lower()) ? estimate + " [" + format(pattern, interval.lower()) + ", "
                + format(pattern, interval.upper()) + "]" : estimate;
    }

    private static void forecastSection(StringBuilder html, Forecasts forecasts, String flopConvention) {
        html.append("<h2 id=\"forecasts\">Forecasts</h2>\n");
        // "6N", or a table's "6N (derived)": C = 6·N·D like Approach 3's allocation
        if (!flopConvention.startsWith(FlopConvention.SIX_N.id())) {
            html.append("<p class=\"warning\">Approach 3 allocates a budget by C = 6·N·D, but these runs count C as <code>")
                    .append(escape(flopConvention)).append("</code>: its N_opt and D_opt are for 6·N·D FLOPs, while"
                            + " Approach 2's power laws use the runs' own count.</p>\n");
        }
        HoldOut holdOut = forecasts.holdOut();
        html.append("<h3>Held-out check</h3>\n");
        if (!holdOut.checked()) {
            html.append("<p>Not made: ").append(escape(holdOut.reason())).append(".</p>\n");
        } else {
            html.append("<p>Approaches 2 and 3 fitted again without the largest budget (").append(escape(format(
                    "%.3g FLOPs, %d runs", holdOut.budgetFlops(), holdOut.runsHeldOut()))).append("), then that"
                    + " budget predicted. Observed: its ").append(escape(holdOut.observedFrom())).append(".</p>\n");
            html.append("<table id=\"holdout\">\n<tr><th class=\"text\"></th><th>best loss</th><th>error (nats)</th>"
                    + "<th>N_opt</th><th>error (decades)</th></tr>\n");
            html.append("<tr>").append(textCell("observed")).append(cell(format("%.4f", holdOut.observedLoss())))
                    .append(cell("")).append(cell(format("%.4g", holdOut.observedParameters()))).append(cell(""))
                    .append("</tr>\n");
            html.append("<tr>").append(textCell("Approach 3")).append(cell(number("%.4f", holdOut.approach3Loss())))
                    .append(cell(number("%+.4f", holdOut.approach3LossError())))
                    .append(cell(number("%.4g", holdOut.approach3Parameters())))
                    .append(cell(number("%+.3f", holdOut.approach3ParametersErrorDecades()))).append("</tr>\n");
            html.append("<tr>").append(textCell("Approach 2")).append(cell("")).append(cell(""))
                    .append(cell(number("%.4g", holdOut.approach2Parameters())))
                    .append(cell(number("%+.3f", holdOut.approach2ParametersErrorDecades()))).append("</tr>\n");
            html.append("</table>\n");
        }
        html.append("<h3>Compute-optimal models at target budgets</h3>\n<table id=\"targets\">\n<tr><th>C (FLOPs)"
                + "</th><th>N_opt, Approach 3 [95%]</th><th>D_opt, Approach 3 [95%]</th><th>tokens/param</th>"
                + "<th>loss [95%]</th><th>N_opt, Approach 2 [95%]</th></tr>\n");
        for (Projection target : forecasts.projections()) {
            html.append("<tr>").append(cell(format("%.3g", target.budgetFlops())))
                    .append(cell(withInterval("%.3g", target.parameters())))
                    .append(cell(withInterval("%.3g", target.tokens())))
                    .append(cell(withInterval("%.1f", target.tokensPerParameter())))
                    .append(cell(withInterval("%.4f", target.loss())))
                    .append(cell(withInterval("%.3g", target.approach2Parameters()))).append("</tr>\n");
        }
        html.append("</table>\n");
        if (forecasts.inferenceTokens() != null) {
            html.append("<h3>Inference-aware optimum</h3>\n<p>").append(escape(format("With %.3g inference tokens:"
                    + " the least training (6ND) plus inference (2NT) FLOPs that reach the compute-optimal loss of"
                    + " each target budget (Sardana & Frankle 2024).", forecasts.inferenceTokens())))
                    .append("</p>\n<table id=\"inference\">\n<tr><th>C (FLOPs)</th><th>target loss</th><th>N [95%]"
                            + "</th><th>D [95%]</th><th>tokens/param</th><th>total FLOPs [95%]</th>"
                            + "<th>total with the compute-optimal model</th></tr>\n");
            for (InferenceForecast inference : forecasts.inference()) {
                InferenceOptimum o = inference.estimate();
                html.append("<tr>").append(cell(format("%.3g", inference.budgetFlops())))
                        .append(cell(o == null ? "" : format("%.4f", o.targetLoss())))
                        .append(cell(withInterval("%.3g", inference.parameters())))
                        .append(cell(withInterval("%.3g", inference.tokens())))
                        .append(cell(o == null ? "" : format("%.1f", o.tokens() / o.parameters())))
                        .append(cell(withInterval("%.3g", inference.totalFlops())))
                        .append(cell(o == null ? "" : format("%.3g", o.computeOptimalTotalFlops())))
                        .append("</tr>\n");
            }
            html.append("</table>\n");
        }
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
