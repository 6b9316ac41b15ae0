package io.isoflop.fitter.fit;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * A parabola {@code y = a·x² + b·x + c}. In an IsoFLOP profile {@code x = log10(N)} and {@code y} is the loss
 * in nats, so the vertex {@code x* = -b / 2a} gives {@code N_opt = 10^x*}.
 */
public record Parabola(double a, double b, double c) {

    /** Ordinary least squares through at least three points with at least three distinct x values. */
    public static Parabola fit(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
        if (distinctCount(x) < 3) {
            throw new IllegalArgumentException("a parabola needs 3 distinct x values, got " + distinctCount(x));
        }
        // Centre x for conditioning, solve in the centred frame, then shift the coefficients back.
        double mean = Arrays.stream(x).average().orElseThrow();
        RealMatrix design = new Array2DRowRealMatrix(x.length, 3);
        for (int i = 0; i < x.length; i++) {
            double u = x[i] - mean;
            design.setEntry(i, 0, u * u);
            design.setEntry(i, 1, u);
            design.setEntry(i, 2, 1.0);
        }
        RealVector solution = new QRDecomposition(design).getSolver().solve(new ArrayRealVector(y));
        double ac = solution.getEntry(0);
        double bc = solution.getEntry(1);
        double cc = solution.getEntry(2);
        return new Parabola(ac, bc - 2 * ac * mean, cc - bc * mean + ac * mean * mean);
    }

    /** Fits {@code y(point)} against {@code x(point)} for any list of points. */
    public static <T> Parabola fit(List<T> points, ToDoubleFunction<T> x, ToDoubleFunction<T> y) {
        return fit(points.stream().mapToDouble(x).toArray(), points.stream().mapToDouble(y).toArray());
    }

    public double valueAt(double x) {
        return (a * x + b) * x + c;
    }

    /** True when the parabola opens upwards, so that its vertex is a minimum. */
    public boolean hasMinimum() {
        return a > 0;
    }

    /** The x of the vertex; a minimum only when {@link #hasMinimum()}. */
    public double vertexX() {
        return -b / (2 * a);
    }

    public double vertexValue() {
        return valueAt(vertexX());
    }

    static long distinctCount(double[] values) {
        return Arrays.stream(values).distinct().count();
    }
}
