package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import java.awt.Color;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Approach 3's residuals {@code ln L_obs − ln L̂(N, D)} (what its Huber loss sees) against each run's compute C on a
 * log axis, with the zero line: a trend with C means the law bends away from the runs where it will be extrapolated.
 */
public final class ResidualChart {
    private ResidualChart() {}

    /** The residual of one run. */
    public static double residual(ParametricLaw law, RunResult run) {
        return Math.log(run.finalLoss()) - Math.log(law.loss(run.parameters(), run.tokens()));
    }

    public static XYChart build(ParametricLaw law, List<RunResult> runs, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(450).title(title)
                .xAxisTitle("C (FLOPs)").yAxisTitle("ln L_obs − ln L_fit").build();
        chart.getStyler().setXAxisLogarithmic(true).setXAxisDecimalPattern("0.#E0").setYAxisDecimalPattern("0.0000");
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        List<RunResult> usable = runs.stream()
                .filter(r -> r.flops() > 0 && r.finalLoss() > 0 && Double.isFinite(r.finalLoss())).toList();
        if (law == null || usable.isEmpty()) {
            chart.setTitle(title + " (Approach 3 not fitted)");
            chart.getStyler().setXAxisLogarithmic(false);
            XYSeries placeholder = chart.addSeries(" ", new double[] {0}, new double[] {0});
            placeholder.setMarker(SeriesMarkers.NONE).setShowInLegend(false);
            return chart;
        }
        double[] c = usable.stream().mapToDouble(RunResult::flops).toArray();
        double[] residuals = usable.stream().mapToDouble(run -> residual(law, run)).toArray();
        XYSeries points = chart.addSeries("runs", c, residuals);
        points.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(new Color(0x1f77b4));
        double min = usable.stream().mapToDouble(RunResult::flops).min().orElseThrow();
        double max = usable.stream().mapToDouble(RunResult::flops).max().orElseThrow();
        XYSeries zero = chart.addSeries("zero", new double[] {min, max == min ? min * 1.01 : max}, new double[] {0, 0});
        zero.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.GRAY);
        zero.setLineStyle(SeriesLines.DASH_DASH);
        zero.setShowInLegend(false);
        return chart;
    }
}
