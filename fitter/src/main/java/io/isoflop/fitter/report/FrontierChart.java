package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.Approach1Fit;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.EnvelopePoint;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.PowerLaw;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
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
 * N_opt and D_opt against C on log-log axes, from every approach: Approach 1's envelope points (triangles) and power
 * laws (dotted, over the compute values they used); Approach 2's vertices (filled markers; grey crosses for unused
 * budgets) and power laws (solid); Approach 3's compute-optimal N_opt(C) and D_opt(C) (dashed). Lines of Approaches
 * 2 and 3 run from the smallest sampled budget to the largest target budget, each with its bootstrap's 95% band
 * (2.5th to 97.5th percentile of the resamples' lines at each C) as a translucent area.
 */
public final class FrontierChart {
    private static final Color N_COLOUR = new Color(0x1f77b4);
    private static final Color D_COLOUR = new Color(0xd62728);
    /** Approach 3 gets its own hues: where both approaches agree its dashes must still show on top. */
    private static final Color N_PARAMETRIC_COLOUR = new Color(0x17becf);
    private static final Color D_PARAMETRIC_COLOUR = new Color(0xff7f0e);
    private static final Color N_ENVELOPE_COLOUR = new Color(0x2ca02c);
    private static final Color D_ENVELOPE_COLOUR = new Color(0x9467bd);
    private static final int BAND_ALPHA = 50;
    private static final int LINE_SAMPLES = 30;
    /** A single sampled budget has no range: lines then span this factor either side of it. */
    private static final double SINGLE_BUDGET_SPAN = 3;

    private FrontierChart() {}

    /**
     * @param bootstrap the resamples for the bands; null for none
     * @param targetBudgets budgets the forecasts project to: the lines of Approaches 2 and 3 reach the largest
     */
    public static XYChart build(Approach1Fit approach1, Approach2Fit fit, ParametricLaw law, BootstrapResult bootstrap,
            List<Double> targetBudgets, String title) {
        XYChart chart = new XYChartBuilder().width(1000).height(650).title(title)
                .xAxisTitle("C (FLOPs)").yAxisTitle("N_opt (parameters), D_opt (tokens)").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setXAxisDecimalPattern("0.#E0").setYAxisDecimalPattern("0.#E0");
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);

        List<BudgetProfile> withVertex = fit.budgets().stream().filter(b -> b.vertex() != null).toList();
        List<BudgetProfile> used = withVertex.stream().filter(BudgetProfile::usedInPowerLaw).toList();
        List<BudgetProfile> unused = withVertex.stream().filter(b -> !b.usedInPowerLaw()).toList();
        scatter(chart, "N_opt, Approach 2 vertices", used, BudgetProfile::budgetFlops, b -> b.vertex().parameters(),
                N_COLOUR, SeriesMarkers.CIRCLE);
        scatter(chart, "D_opt, Approach 2 vertices", used, BudgetProfile::budgetFlops, b -> b.vertex().tokens(),
                D_COLOUR, SeriesMarkers.SQUARE);
        scatter(chart, "N_opt (not used)", unused, BudgetProfile::budgetFlops, b -> b.vertex().parameters(),
                ChartPalette.EXCLUDED, SeriesMarkers.CROSS);
        scatter(chart, "D_opt (not used)", unused, BudgetProfile::budgetFlops, b -> b.vertex().tokens(),
                ChartPalette.EXCLUDED, SeriesMarkers.CROSS);

        List<EnvelopePoint> envelope = approach1.usedPoints();
        scatter(chart, "N_opt, Approach 1 envelope", envelope, EnvelopePoint::flops, p -> p.parameters(),
                N_ENVELOPE_COLOUR, SeriesMarkers.TRIANGLE_UP);
        scatter(chart, "D_opt, Approach 1 envelope", envelope, EnvelopePoint::flops, EnvelopePoint::tokens,
                D_ENVELOPE_COLOUR, SeriesMarkers.TRIANGLE_DOWN);
        if (approach1.hasPowerLaws()) {
            double from = envelope.stream().mapToDouble(EnvelopePoint::flops).min().orElseThrow();
            double to = envelope.stream().mapToDouble(EnvelopePoint::flops).max().orElseThrow();
            if (bootstrap != null && bootstrap.approach1Fitted() > 0) {
                double[] span = {from, to};
                band(chart, "Approach 1 N_opt, 95% band", c -> bootstrap.approach1(approach1.nOpt(), approach1.dOpt(),
                        (n, d) -> n.valueAt(c)), span, N_ENVELOPE_COLOUR);
                band(chart, "Approach 1 D_opt, 95% band", c -> bootstrap.approach1(approach1.nOpt(), approach1.dOpt(),
                        (n, d) -> d.valueAt(c)), span, D_ENVELOPE_COLOUR);
            }
            line(chart, format("Approach 1: N_opt ∝ C^a, a = %.3f", approach1.nOpt().exponent()),
                    approach1.nOpt()::valueAt, from, to, N_ENVELOPE_COLOUR, SeriesLines.DOT_DOT);
            line(chart, format("Approach 1: D_opt ∝ C^b, b = %.3f", approach1.dOpt().exponent()),
                    approach1.dOpt()::valueAt, from, to, D_ENVELOPE_COLOUR, SeriesLines.DOT_DOT);
        }

        double[] range = range(fit, envelope, targetBudgets);
        if (fit.hasPowerLaws()) {
            if (bootstrap != null) {
                band(chart, "Approach 2 N_opt, 95% band", c -> bootstrap.approach2(fit.nOpt(), fit.dOpt(),
                        (n, d) -> n.valueAt(c)), range, N_COLOUR);
                band(chart, "Approach 2 D_opt, 95% band", c -> bootstrap.approach2(fit.nOpt(), fit.dOpt(),
                        (n, d) -> d.valueAt(c)), range, D_COLOUR);
            }
            PowerLaw nOpt = fit.nOpt();
            PowerLaw dOpt = fit.dOpt();
            line(chart, format("Approach 2: N_opt ∝ C^a, a = %.3f", nOpt.exponent()), nOpt::valueAt, range[0],
                    range[1], N_COLOUR, SeriesLines.SOLID);
            line(chart, format("Approach 2: D_opt ∝ C^b, b = %.3f", dOpt.exponent()), dOpt::valueAt, range[0],
                    range[1], D_COLOUR, SeriesLines.SOLID);
        }
        if (law != null && law.hasOptimalAllocation()) {
            if (bootstrap != null) {
                band(chart, "Approach 3 N_opt, 95% band", c -> bootstrap.approach3(law,
                        l -> l.hasOptimalAllocation() ? l.optimalParameters(c) : Double.NaN), range,
                        N_PARAMETRIC_COLOUR);
                band(chart, "Approach 3 D_opt, 95% band", c -> bootstrap.approach3(law,
                        l -> l.hasOptimalAllocation() ? l.optimalTokens(c) : Double.NaN), range,
                        D_PARAMETRIC_COLOUR);
            }
            line(chart, format("Approach 3: N_opt = G·(C/6)^a, a = %.3f", law.exponentA()), law::optimalParameters,
                    range[0], range[1], N_PARAMETRIC_COLOUR, SeriesLines.DASH_DASH);
            line(chart, format("Approach 3: D_opt = (C/6)^b / G, b = %.3f", law.exponentB()), law::optimalTokens,
                    range[0], range[1], D_PARAMETRIC_COLOUR, SeriesLines.DASH_DASH);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.setTitle(title + " (nothing fitted)");
            // XChart needs a series with positive values to lay out log axes.
            XYSeries placeholder = chart.addSeries(" ", new double[] {1}, new double[] {1});
            placeholder.setMarker(SeriesMarkers.NONE).setShowInLegend(false);
        }
        return chart;
    }

    /** From the smallest sampled budget (or envelope C) to the largest target or sampled budget. */
    private static double[] range(Approach2Fit fit, List<EnvelopePoint> envelope, List<Double> targets) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (BudgetProfile budget : fit.budgets()) {
            min = Math.min(min, budget.budgetFlops());
            max = Math.max(max, budget.budgetFlops());
        }
        for (EnvelopePoint point : envelope) {
            min = Math.min(min, point.flops());
            max = Math.max(max, point.flops());
        }
        for (double target : targets) {
            max = Math.max(max, target);
        }
        if (!(min < max)) {
            return new double[] {min / SINGLE_BUDGET_SPAN, max * SINGLE_BUDGET_SPAN};
        }
        return new double[] {min, max};
    }

    private static <T> void scatter(XYChart chart, String name, List<T> items, ToDoubleFunction<T> x,
            ToDoubleFunction<T> y, Color colour, Marker marker) {
        if (items.isEmpty()) {
            return;
        }
        double[][] points = onLogAxes(items.stream().mapToDouble(x).toArray(), items.stream().mapToDouble(y).toArray());
        if (points[0].length == 0) {
            return;
        }
        XYSeries series = chart.addSeries(name, points[0], points[1]);
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        series.setMarker(marker);
        series.setMarkerColor(colour);
    }

    /**
     * The points a log-log chart can draw: both coordinates finite and positive. A fit from few, noisy runs can give
     * a law whose values underflow to 0 or overflow over the plotted range; those points are left out, not drawn as
     * an error that stops the report.
     */
    static double[][] onLogAxes(double[] x, double[] y) {
        int[] keep = java.util.stream.IntStream.range(0, x.length)
                .filter(i -> x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])).toArray();
        double[][] points = new double[2][keep.length];
        for (int k = 0; k < keep.length; k++) {
            points[0][k] = x[keep[k]];
            points[1][k] = y[keep[k]];
        }
        return points;
    }

    static double[] logSpaced(double from, double to, int samples) {
        double[] c = new double[samples];
        for (int i = 0; i < samples; i++) {
            c[i] = Math.pow(10, Math.log10(from) + (Math.log10(to) - Math.log10(from)) * i / (samples - 1));
        }
        return c;
    }

    private static void line(XYChart chart, String name, DoubleUnaryOperator valueAt, double from, double to,
            Color colour, BasicStroke style) {
        double[] c = logSpaced(from, to, LINE_SAMPLES);
        double[] y = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            y[i] = valueAt.applyAsDouble(c[i]);
        }
        double[][] points = onLogAxes(c, y);
        if (points[0].length < 2) {
            return; // a law that leaves the drawable range (an extreme exponent underflows to 0): no line
        }
        XYSeries series = chart.addSeries(name, points[0], points[1]);
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(colour);
        series.setLineStyle(style);
    }

    /** The area between the 2.5th and 97.5th percentiles at each C, as a closed polygon. */
    private static void band(XYChart chart, String name, DoubleFunction<Interval> intervalAt, double[] range,
            Color colour) {
        double[] c = logSpaced(range[0], range[1], LINE_SAMPLES);
        double[] x = new double[2 * c.length];
        double[] y = new double[2 * c.length];
        for (int i = 0; i < c.length; i++) {
            Interval interval = intervalAt.apply(c[i]);
            if (!(interval.lower() > 0) || !(interval.upper() > 0)) {
                return; // no resample had this quantity: no band
            }
            x[i] = c[i];
            y[i] = interval.lower();
            x[x.length - 1 - i] = c[i];
            y[y.length - 1 - i] = interval.upper();
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        series.setMarker(SeriesMarkers.NONE);
        Color translucent = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), BAND_ALPHA);
        series.setFillColor(translucent);
        series.setLineColor(translucent);
        series.setShowInLegend(false);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
