package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StartGridTest {
    private static final int LOG_A = HuberLogLossObjective.LOG_A;
    private static final int LOG_B = HuberLogLossObjective.LOG_B;
    private static final int LOG_E = HuberLogLossObjective.LOG_E;
    private static final int ALPHA = HuberLogLossObjective.ALPHA;
    private static final int BETA = HuberLogLossObjective.BETA;

    @Test
    void epochGridHas4500DistinctStartsOverTheRecipesValues() {
        StartGrid grid = StartGrid.epoch();

        assertEquals(4500, grid.size());
        Set<List<Double>> distinct = new HashSet<>();
        List<Set<Double>> values = List.of(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(),
                new TreeSet<>());
        for (int i = 0; i < grid.size(); i++) {
            double[] x = grid.start(i);
            distinct.add(Arrays.stream(x).boxed().toList());
            for (int k = 0; k < x.length; k++) {
                values.get(k).add(x[k]);
            }
        }
        assertEquals(4500, distinct.size());
        assertEquals(Set.of(0.0, 5.0, 10.0, 15.0, 20.0, 25.0), values.get(LOG_A));
        assertEquals(Set.of(0.0, 5.0, 10.0, 15.0, 20.0, 25.0), values.get(LOG_B));
        assertEquals(Set.of(-1.0, -0.5, 0.0, 0.5, 1.0), values.get(LOG_E));
        assertEquals(Set.of(0.0, 0.5, 1.0, 1.5, 2.0), values.get(ALPHA));
        assertEquals(Set.of(0.0, 0.5, 1.0, 1.5, 2.0), values.get(BETA));
    }

    @Test
    void startsAreNumberedAsEpochsProductOfAlphaBetaEAB() {
        StartGrid grid = StartGrid.epoch();

        assertArrayEquals(point(0, 0, -1, 0, 0), grid.start(0));
        assertArrayEquals(point(0, 5, -1, 0, 0), grid.start(1), "logB varies fastest");
        assertArrayEquals(point(5, 0, -1, 0, 0), grid.start(6), "then logA");
        assertArrayEquals(point(0, 0, -0.5, 0, 0), grid.start(36), "then logE");
        assertArrayEquals(point(0, 0, -1, 0, 0.5), grid.start(180), "then beta");
        assertArrayEquals(point(0, 0, -1, 0.5, 0), grid.start(900), "alpha slowest");
        assertArrayEquals(point(25, 25, 1, 2, 2), grid.start(4499));
        assertThrows(IndexOutOfBoundsException.class, () -> grid.start(4500));
    }

    @Test
    void singleGridHoldsJustItsStart() {
        double[] x = point(1, 2, 3, 4, 5);
        StartGrid grid = StartGrid.single(x);
        assertEquals(1, grid.size());
        assertArrayEquals(x, grid.start(0));
    }

    private static double[] point(double logA, double logB, double logE, double alpha, double beta) {
        double[] x = new double[HuberLogLossObjective.DIMENSION];
        x[LOG_A] = logA;
        x[LOG_B] = logB;
        x[LOG_E] = logE;
        x[ALPHA] = alpha;
        x[BETA] = beta;
        return x;
    }

    @Test
    void extraStartsComeBeforeTheCartesianOnes() {
        double[] optimum = {6.0, 6.1, 0.5, 0.34, 0.28};
        StartGrid grid = StartGrid.coarse().withExtraStarts(optimum);

        assertEquals(108, StartGrid.coarse().size());
        assertEquals(109, grid.size());
        assertArrayEquals(optimum, grid.start(0));
        assertArrayEquals(StartGrid.coarse().start(0), grid.start(1));
        assertArrayEquals(StartGrid.coarse().start(107), grid.start(108));
        assertThrows(IllegalArgumentException.class, () -> StartGrid.coarse().withExtraStarts(new double[] {1, 2}));
    }
}
