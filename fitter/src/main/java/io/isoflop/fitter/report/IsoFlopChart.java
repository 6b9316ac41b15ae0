package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.Parabola;
import io.isoflop.fitter.fit.PointDecision;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss against N (log x axis) per budget: kept runs as dots, excluded runs as crosses, the fitted parabola as a
 * line over the sampled range, its vertex as a diamond (hollow-coloured grey when the budget is not used).
 */
public final class IsoFlopChart {
    private static final int CURVE_SAMPLES = 80;

    private IsoFlopChart() {}

    public static XYChart build(Approach2Fit fit, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
                .xAxisTitle("N (parameters)").yAxisTitle("final loss (nats/token)").build();
        chart.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(spansDecades(fit, 2))
                .setXAxisDecimalPattern("0.#E0").setYAxisDecimalPattern("0.000");
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        List<BudgetProfile> budgets = fit.budgets();
        for (int i = 0; i < budgets.size(); i++) {
            addBudget(chart, budgets.get(i), ChartPalette.budget(i));
        }
        if (budgets.stream().allMatch(b -> b.points().isEmpty())) {
            chart.setTitle(title + " (no points)");
        }
        return chart;
    }

    private static void addBudget(XYChart chart, BudgetProfile profile, Color colour) {
        String label = "C=" + budgetLabel(profile.budgetFlops());
        List<PointDecision> kept = profile.keptPoints();
        List<PointDecision> excluded = profile.excludedPoints().stream()
                .filter(p -> Double.isFinite(p.run().finalLoss()))
                .toList();
        if (!kept.isEmpty()) {
            scatter(chart, label, kept, colour).setMarker(SeriesMarkers.CIRCLE);
        }
        if (!excluded.isEmpty()) {
            XYSeries series = scatter(chart, label + " excluded", excluded, colour);
            series.setMarker(SeriesMarkers.CROSS);
        }
        Parabola parabola = profile.parabola();
        if (parabola != null && Double.isFinite(profile.sampledMinParameters())) {
            double from = Math.log10(profile.sampledMinParameters());
            double to = Math.log10(profile.sampledMaxParameters());
            if (profile.vertex() != null) {
                double vertexX = Math.log10(profile.vertex().parameters());
                double margin = 0.5 * (to - from);
                from = Math.min(from, Math.max(vertexX, from - margin));
                to = Math.max(to, Math.min(vertexX, to + margin));
            }
            double[] x = new double[CURVE_SAMPLES];
            double[] y = new double[CURVE_SAMPLES];
            for (int i = 0; i < CURVE_SAMPLES; i++) {
                double logN = from + (to - from) * i / (CURVE_SAMPLES - 1);
                x[i] = Math.pow(10, logN);
                y[i] = parabola.valueAt(logN);
            }
            XYSeries curve = chart.addSeries(label + " parabola", x, y);
            curve.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            curve.setMarker(SeriesMarkers.NONE);
            curve.setLineColor(colour);
            curve.setLineStyle(profile.usedInPowerLaw() ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
            curve.setShowInLegend(false);
        }
        if (profile.vertex() != null) {
            XYSeries vertex = chart.addSeries(label + " vertex",
                    new double[] {profile.vertex().parameters()}, new double[] {profile.vertex().loss()});
            vertex.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            vertex.setMarker(SeriesMarkers.DIAMOND);
            vertex.setMarkerColor(profile.usedInPowerLaw() ? colour : ChartPalette.EXCLUDED);
            vertex.setShowInLegend(false);
        }
    }

    /**
     * The budget in scientific notation with two significant digits, or as many more as it takes to tell it apart
     * from every other budget (series names must be unique): 1.0e+16, but 1.23e+16 next to 1.24e+16.
     */
    static String budgetLabel(double budgetFlops) {
        for (int decimals = 1; decimals < 17; decimals++) {
            String label = String.format(Locale.ROOT, "%." + decimals + "e", budgetFlops);
            if (Double.parseDouble(label) == budgetFlops) {
                return label;
            }
        }
        return String.format(Locale.ROOT, "%.16e", budgetFlops);
    }

    /** Whether the runs' N span at least {@code decades}; narrower sweeps need ticks between the decades. */
    private static boolean spansDecades(Approach2Fit fit, double decades) {
        var sizes = fit.budgets().stream().flatMap(b -> b.points().stream()).mapToDouble(p -> p.run().parameters())
                .summaryStatistics();
        return sizes.getCount() > 0 && Math.log10(sizes.getMax() / sizes.getMin()) >= decades;
    }

    private static XYSeries scatter(XYChart chart, String name, List<PointDecision> points, Color colour) {
        XYSeries series = chart.addSeries(name,
                points.stream().mapToDouble(p -> p.run().parameters()).toArray(),
                points.stream().mapToDouble(p -> p.run().finalLoss()).toArray());
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        series.setMarkerColor(colour);
        return series;
    }
}
