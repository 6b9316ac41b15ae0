package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.fitter.fit.Approach2Settings;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.Bootstrap;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.ChinchillaSurface;
import io.isoflop.fitter.fit.RunResult;
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
    void noResamplesGiveAnEmptyResult() {
        BootstrapResult none = new SparkBootstrap(spark).run(ChinchillaSurface.points(0), 0, 1,
                Approach2Settings.defaults(), Approach3Settings.defaults(), null);

        assertEquals(0, none.estimates().size());
    }
}
