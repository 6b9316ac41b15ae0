package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.fitter.fit.Approach1Settings;
import io.isoflop.fitter.fit.Approach2Settings;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.Bootstrap;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.ChinchillaSurface;
import io.isoflop.fitter.fit.CurvePoint;
import io.isoflop.fitter.fit.KnownLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.fit.StartGrid;
import io.isoflop.fitter.fit.TrainingCurve;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkBootstrapIT {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.start("isoflop-bootstrap-it", "local[2]");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void executorsFitTheSameResamplesAsOneProcess() {
        List<RunResult> runs = ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT);
        double[] optimum = new Approach3().fit(runs).law().toLogParameters();
        int resamples = 24;

        BootstrapResult distributed = new SparkBootstrap(spark).run(runs, resamples, 11, Approach2Settings.defaults(),
                Approach3Settings.defaults(), optimum);

        assertEquals(resamples, distributed.estimates().size());
        assertEquals(109, distributed.approach3Starts());
        for (int i = 0; i < resamples; i++) {
            assertEquals(i, distributed.estimates().get(i).index());
        }
        Bootstrap local = new Bootstrap(runs, 11, Approach2Settings.defaults(),
                Approach3Settings.defaults().forResamples(optimum));
        assertEquals(local.fitAll(resamples), distributed.estimates());
        assertTrue(distributed.approach3Fitted() == resamples);
    }

    @Test
    void trainingCurvesTravelToTheExecutorsForApproach1() {
        List<TrainingCurve> curves = new ArrayList<>();
        List<RunResult> runs = new ArrayList<>();
        KnownLaw law = KnownLaw.EPOCH_CHINCHILLA;
        for (int i = 0; i < 8; i++) {
            long n = Math.round(Math.pow(10, 6 + 0.3 * i));
            List<CurvePoint> points = new ArrayList<>();
            for (double logD = 7; logD <= 10; logD += 0.1) {
                long d = Math.round(Math.pow(10, logD));
                points.add(new CurvePoint(6.0 * n * d, d, law.loss(n, d)));
            }
            curves.add(new TrainingCurve("r" + i, n, points));
            runs.add(new RunResult("r" + i, 6e10 * n, n, 10_000_000_000L, 6e10 * n, law.loss(n, 1e10)));
        }
        Approach3Settings oneStart = Approach3Settings.defaults().withStarts(StartGrid.single(
                new double[] {6, 7, 0.6, 0.35, 0.37}));

        BootstrapResult distributed = new SparkBootstrap(spark).run(runs, curves, 16, 5, Approach1Settings.defaults(),
                Approach2Settings.defaults(), oneStart, null);

        Bootstrap local = new Bootstrap(runs, curves, 5, Approach1Settings.defaults(), Approach2Settings.defaults(),
                oneStart.forResamples(null));
        assertEquals(local.fitAll(16), distributed.estimates());
        assertTrue(distributed.approach1Fitted() > 0, "resamples with at least two interior winners fit Approach 1");
    }

    @Test
    void noResamplesGiveAnEmptyResult() {
        BootstrapResult none = new SparkBootstrap(spark).run(ChinchillaSurface.points(0), 0, 1,
                Approach2Settings.defaults(), Approach3Settings.defaults(), null);

        assertEquals(0, none.estimates().size());
    }
}
