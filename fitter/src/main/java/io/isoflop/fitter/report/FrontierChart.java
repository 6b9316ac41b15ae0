package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.PowerLaw;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
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
 * grey crosses, and the fitted power laws as lines over the budgets' range.
 */
public final class FrontierChart {
    private static final Color N_COLOUR = new Color(0x1f77b4);
    private static final Color D_COLOUR = new Color(0xd62728);
    private static final int LINE_SAMPLES = 20;

    private FrontierChart() {}

    public static XYChart build(Approach2Fit fit, String title) {
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
            addLaw(chart, "N_opt ∝ C^a", fit.nOpt(), minC, maxC, N_COLOUR);
            addLaw(chart, "D_opt ∝ C^b", fit.dOpt(), minC, maxC, D_COLOUR);
        }
        if (withVertex.isEmpty()) {
            chart.setTitle(title + " (no budget has a vertex)");
            // XChart needs a series with positive values to lay out log axes.
            XYSeries placeholder = chart.addSeries(" ", new double[] {1}, new double[] {1});
            placeholder.setMarker(SeriesMarkers.NONE).setShowInLegend(false);
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

    private static void addLaw(XYChart chart, String name, PowerLaw law, double minC, double maxC, Color colour) {
        double[] c = new double[LINE_SAMPLES];
        double[] y = new double[LINE_SAMPLES];
        double from = Math.log10(minC);
        double to = Math.log10(maxC);
        for (int i = 0; i < LINE_SAMPLES; i++) {
            c[i] = Math.pow(10, from + (to - from) * i / (LINE_SAMPLES - 1));
            y[i] = law.valueAt(c[i]);
        }
        XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s, exponent %.3f", name, law.exponent()), c, y);
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(colour);
        series.setLineStyle(SeriesLines.SOLID);
    }
}
