package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import java.awt.Color;
import java.util.ArrayList;
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
 * Contours of Approach 3's fitted L(N, D) on log-log axes of N and D, with the efficient frontier (N_opt(C),
 * D_opt(C)) over them and the runs as dots. The law's level sets are drawn exactly, not interpolated from a grid:
 * on {@code L(N, D) = ℓ}, {@code D = (B / (ℓ − E − A/N^α))^(1/β)}. Levels are spaced evenly between the lowest and
 * highest observed losses; iso-FLOP lines (C = 6ND) of the sampled budgets are dotted grey.
 */
public final class ContourChart {
    private static final int LEVELS = 8;
    private static final int SAMPLES = 120;
    /** Axes extend this factor beyond the runs' N and D. */
    private static final double MARGIN = 3;
    private static final int MAX_ISOFLOP_LINES = 8;

    private ContourChart() {}

    public static XYChart build(ParametricLaw law, List<RunResult> runs, List<Double> budgets, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(650).title(title)
                .xAxisTitle("N (parameters)").yAxisTitle("D (tokens)").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setXAxisDecimalPattern("0.#E0").setYAxisDecimalPattern("0.#E0");
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        List<RunResult> usable = runs.stream()
                .filter(r -> r.parameters() > 0 && r.tokens() > 0 && Double.isFinite(r.finalLoss())).toList();
        if (law == null || usable.isEmpty()) {
            chart.setTitle(title + " (Approach 3 not fitted)");
            XYSeries placeholder = chart.addSeries(" ", new double[] {1}, new double[] {1});
            placeholder.setMarker(SeriesMarkers.NONE).setShowInLegend(false);
            return chart;
        }
        double nLo = usable.stream().mapToDouble(RunResult::parameters).min().orElseThrow() / MARGIN;
        double nHi = usable.stream().mapToDouble(RunResult::parameters).max().orElseThrow() * MARGIN;
        double dLo = usable.stream().mapToDouble(RunResult::tokens).min().orElseThrow() / MARGIN;
        double dHi = usable.stream().mapToDouble(RunResult::tokens).max().orElseThrow() * MARGIN;
        double lossLo = usable.stream().mapToDouble(RunResult::finalLoss).min().orElseThrow();
        double lossHi = usable.stream().mapToDouble(RunResult::finalLoss).max().orElseThrow();
        double[] n = FrontierChart.logSpaced(nLo, nHi, SAMPLES);

        for (int k = 0; k < LEVELS; k++) {
            double level = LEVELS == 1 || lossHi == lossLo ? lossLo : lossLo + (lossHi - lossLo) * k / (LEVELS - 1);
            List<double[]> points = new ArrayList<>();
            for (double parameters : n) {
                double gap = level - law.e() - law.a() / Math.pow(parameters, law.alpha());
                double tokens = gap > 0 ? Math.pow(law.b() / gap, 1 / law.beta()) : Double.NaN;
                if (tokens >= dLo && tokens <= dHi) {
                    points.add(new double[] {parameters, tokens});
                }
            }
            if (points.size() >= 2) {
                XYSeries series = chart.addSeries(String.format(Locale.ROOT, "L = %.3f", level),
                        points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1])
                                .toArray());
                series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(contourColour(k));
            }
        }
        List<Double> shown = budgets.stream().distinct().sorted().toList();
        int step = Math.max(1, (int) Math.ceil(shown.size() / (double) MAX_ISOFLOP_LINES));
        for (int i = 0; i < shown.size(); i += step) {
            double c = shown.get(i);
            List<double[]> points = new ArrayList<>();
            for (double parameters : n) {
                double tokens = c / (6 * parameters);
                if (tokens >= dLo && tokens <= dHi) {
                    points.add(new double[] {parameters, tokens});
                }
            }
            if (points.size() >= 2) {
                XYSeries series = chart.addSeries("C = " + IsoFlopChart.budgetLabel(c),
                        points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1])
                                .toArray());
                series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(ChartPalette.EXCLUDED);
                series.setLineStyle(SeriesLines.DOT_DOT);
                series.setShowInLegend(false);
            }
        }
        if (law.hasOptimalAllocation()) {
            List<double[]> frontier = new ArrayList<>();
            for (double c : FrontierChart.logSpaced(6 * nLo * dLo, 6 * nHi * dHi, SAMPLES)) {
                double parameters = law.optimalParameters(c);
                double tokens = law.optimalTokens(c);
                if (parameters >= nLo && parameters <= nHi && tokens >= dLo && tokens <= dHi) {
                    frontier.add(new double[] {parameters, tokens});
                }
            }
            if (frontier.size() >= 2) {
                XYSeries series = chart.addSeries("efficient frontier (N_opt, D_opt)",
                        frontier.stream().mapToDouble(p -> p[0]).toArray(),
                        frontier.stream().mapToDouble(p -> p[1]).toArray());
                series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(Color.BLACK);
                series.setLineWidth(3f);
            }
        }
        XYSeries runsSeries = chart.addSeries("runs", usable.stream().mapToDouble(RunResult::parameters).toArray(),
                usable.stream().mapToDouble(RunResult::tokens).toArray());
        runsSeries.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        runsSeries.setMarker(SeriesMarkers.CIRCLE);
        runsSeries.setMarkerColor(Color.DARK_GRAY);
        return chart;
    }

    /** Low losses dark blue, high losses yellow (viridis-like ends). */
    private static Color contourColour(int level) {
        float t = LEVELS == 1 ? 0 : level / (float) (LEVELS - 1);
        return new Color(0.27f + 0.72f * t, 0.0f + 0.9f * t, 0.33f - 0.2f * t);
    }
}
