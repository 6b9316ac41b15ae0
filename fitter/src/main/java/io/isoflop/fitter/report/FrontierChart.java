package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.ParametricLaw;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * N_opt and D_opt against C on log-log axes: vertices of used budgets as filled markers, of unused budgets as
 * grey crosses, the Approach 2 power laws as solid lines over the used budgets' range, and Approach 3's
 * compute-optimal N_opt(C) and D_opt(C) as dashed lines over the sampled budgets' range.
 */
public final class FrontierChart {
    private static final Color N_COLOUR = new Color(0x1f77b4);
    private static final Color D_COLOUR = new Color(0xd62728);
    /** Approach 3 gets its own hues: where both approaches agree its dashes must still show on top. */
    private static final Color N_PARAMETRIC_COLOUR = new Color(0x17becf);
    private static final Color D_PARAMETRIC_COLOUR = new Color(0xff7f0e);
    private static final int LINE_SAMPLES = 20;
    /** A single sampled budget has no range: Approach 3's lines then span this factor either side of it. */
    private static final double SINGLE_BUDGET_SPAN = 3;

    private FrontierChart() {}

    public static XYChart build(Approach2Fit fit, Approach3Fit approach3, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
                .xAxisTitle("C (FLOPs)").yAxisTitle("N_opt (parameters), D_opt (tokens)").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setXAxisDecimalPattern("0.#E0").setYAxisDecimalPattern("0.#E0");
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);

        List<BudgetProfile> withVertex = fit.budgets().stream().filter(b -> b.vertex() != null).toList();
        List<BudgetProfile> used = withVertex.stream().filter(BudgetProfile::usedInPowerLaw).toList();
        List<BudgetProfile> unused = withVertex.stream().filter(b -> !b.usedInPowerLaw()).toList();
        addVertices(chart, "N_opt", used, b -> b.vertex().parameters(), N_COLOUR, SeriesMarkers.CIRCLE);
        addVertices(chart, "D_opt", used, b -> b.vertex().tokens(), D_COLOUR, SeriesMarkers.SQUARE);
        addVertices(chart, "N_opt (not used)", unused, b -> b.vertex().parameters(), ChartPalette.EXCLUDED,
                SeriesMarkers.CROSS);
        addVertices(chart, "D_opt (not used)", unused, b -> b.vertex().tokens(), ChartPalette.EXCLUDED,
                SeriesMarkers.CROSS);
        if (fit.hasPowerLaws()) {
            double minC = used.stream().mapToDouble(BudgetProfile::budgetFlops).min().orElseThrow();
            double maxC = used.stream().mapToDouble(BudgetProfile::budgetFlops).max().orElseThrow();
            addLine(chart, format("Approach 2: N_opt ∝ C^a, a = %.3f", fit.nOpt().exponent()), fit.nOpt()::valueAt,
                    minC, maxC, N_COLOUR, SeriesLines.SOLID);
            addLine(chart, format("Approach 2: D_opt ∝ C^b, b = %.3f", fit.dOpt().exponent()), fit.dOpt()::valueAt,
                    minC, maxC, D_COLOUR, SeriesLines.SOLID);
        }
        boolean parametric = approach3.hasOptimalAllocation() && !fit.budgets().isEmpty();
        if (parametric) {
            ParametricLaw law = approach3.law();
            double minC = fit.budgets().stream().mapToDouble(BudgetProfile::budgetFlops).min().orElseThrow();
            double maxC = fit.budgets().stream().mapToDouble(BudgetProfile::budgetFlops).max().orElseThrow();
            if (minC == maxC) {
                minC /= SINGLE_BUDGET_SPAN;
                maxC *= SINGLE_BUDGET_SPAN;
            }
            addLine(chart, format("Approach 3: N_opt = G·(C/6)^a, a = %.3f", law.exponentA()),
                    law::optimalParameters, minC, maxC, N_PARAMETRIC_COLOUR, SeriesLines.DASH_DASH);
            addLine(chart, format("Approach 3: D_opt = (C/6)^b / G, b = %.3f", law.exponentB()),
                    law::optimalTokens, minC, maxC, D_PARAMETRIC_COLOUR, SeriesLines.DASH_DASH);
        }
        if (withVertex.isEmpty()) {
            chart.setTitle(title + " (no budget has a vertex)");
            if (!parametric) {
                // XChart needs a series with positive values to lay out log axes.
                XYSeries placeholder = chart.addSeries(" ", new double[] {1}, new double[] {1});
                placeholder.setMarker(SeriesMarkers.NONE).setShowInLegend(false);
            }
        }
        return chart;
    }

    private static void addVertices(XYChart chart, String name, List<BudgetProfile> budgets,
            ToDoubleFunction<BudgetProfile> value, Color colour, Marker marker) {
        if (budgets.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name,
                budgets.stream().mapToDouble(BudgetProfile::budgetFlops).toArray(),
                budgets.stream().mapToDouble(value).toArray());
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        series.setMarker(marker);
        series.setMarkerColor(colour);
    }

    private static void addLine(XYChart chart, String name, DoubleUnaryOperator valueAt, double minC, double maxC,
            Color colour, BasicStroke style) {
        double[] c = new double[LINE_SAMPLES];
        double[] y = new double[LINE_SAMPLES];
        double from = Math.log10(minC);
        double to = Math.log10(maxC);
        for (int i = 0; i < LINE_SAMPLES; i++) {
            c[i] = Math.pow(10, from + (to - from) * i / (LINE_SAMPLES - 1));
            y[i] = valueAt.applyAsDouble(c[i]);
        }
        XYSeries series = chart.addSeries(name, c, y);
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(colour);
        series.setLineStyle(style);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
