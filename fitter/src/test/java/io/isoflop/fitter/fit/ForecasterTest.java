package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecasterTest {
    private static final KnownLaw TRUTH = ChinchillaSurface.LAW;

    private final Approach2 approach2 = new Approach2();
    private final Approach3 approach3 = new Approach3();

    @Test
    void holdingOutTheLargestBudgetPredictsItsBestLossAndOptimum() {
        List<RunResult> runs = BootstrapTest.isoFlopSweep(new Random(5));
        Approach2Fit full = approach2.fit(runs);

        HoldOut holdOut = new HoldOutCheck(approach2, approach3).check(runs, full);

        assertTrue(holdOut.checked(), holdOut.reason());
        assertEquals(1e21, holdOut.budgetFlops());
        assertEquals(9, holdOut.runsHeldOut());
        assertEquals(27, holdOut.runsFitted());
        assertEquals(HoldOut.FROM_VERTEX, holdOut.observedFrom());
        assertEquals(full.budgets().get(3).vertex().loss(), holdOut.observedLoss());
        // 1% noise on about 2.2 nats: the prediction from three smaller budgets is good to a few hundredths
        assertEquals(TRUTH.optimalLoss(1e21), holdOut.approach3Loss(), 0.03, holdOut.toString());
        assertEquals(0, holdOut.approach3LossError(), 0.05, holdOut.toString());
        assertEquals(0, holdOut.approach3ParametersErrorDecades(), 0.3, holdOut.toString());
        assertEquals(0, holdOut.approach2ParametersErrorDecades(), 0.3, holdOut.toString());
    }

    @Test
    void aSingleBudgetCannotBeHeldOut() {
        List<RunResult> runs = TRUTH.grid(1e20, 7, 0.2, 0, 0, new Random(1));

        HoldOut holdOut = new HoldOutCheck(approach2, approach3).check(runs, approach2.fit(runs));

        assertFalse(holdOut.checked());
        assertTrue(holdOut.reason().startsWith("fewer than two budgets"), holdOut.reason());
    }

    @Test
    void projectsToTargetBudgetsWithIntervalsAndTheInferenceAwareOptimum() {
        List<RunResult> runs = ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT);
        Approach2Fit profiles = approach2.fit(runs);
        Approach3Fit parametric = approach3.fit(runs);
        Bootstrap bootstrap = new Bootstrap(runs, 1, Approach2Settings.defaults(),
                Approach3Settings.defaults().forResamples(parametric.law().toLogParameters()));
        BootstrapResult resamples = new BootstrapResult(40, 1, 109, bootstrap.fitAll(40));

        Forecasts forecasts = new Forecaster(approach2, approach3).forecast(runs, profiles, parametric, resamples,
                List.of(5.76e23), 1e13);

        Projection chinchilla = forecasts.projections().get(0);
        assertEquals(parametric.law().optimalParameters(5.76e23), chinchilla.parameters().estimate());
        assertTrue(chinchilla.parameters().contains(chinchilla.parameters().estimate()), chinchilla.toString());
        assertTrue(chinchilla.parameters().contains(TRUTH.optimalParameters(5.76e23)), chinchilla.toString());
        assertTrue(chinchilla.loss().contains(TRUTH.optimalLoss(5.76e23)), chinchilla.toString());
        assertEquals(chinchilla.tokens().estimate() / chinchilla.parameters().estimate(),
                chinchilla.tokensPerParameter().estimate(), 1e-9 * chinchilla.tokensPerParameter().estimate());
        assertEquals(40, chinchilla.loss().resamples());
        InferenceForecast inference = forecasts.inference().get(0);
        assertTrue(inference.estimate().parameters() < chinchilla.parameters().estimate());
        assertTrue(inference.parameters().contains(inference.estimate().parameters()), inference.toString());
        assertEquals(1e13, forecasts.inferenceTokens());
    }

    @Test
    void defaultTargetsAreTenHundredAndThousandTimesTheLargestBudget() {
        List<RunResult> runs = BootstrapTest.isoFlopSweep(new Random(1));

        assertEquals(List.of(1e22, 1e23, 1e24), Forecaster.defaultTargets(runs));
        Forecasts forecasts = new Forecaster(approach2, approach3).forecast(runs, approach2.fit(runs),
                approach3.fit(runs), null, List.of(), null);
        assertEquals(3, forecasts.projections().size());
        assertTrue(forecasts.inference().isEmpty());
        assertEquals(0, forecasts.projections().get(0).parameters().resamples(), "no bootstrap, no interval");
        assertTrue(Double.isNaN(forecasts.projections().get(0).parameters().lower()));
    }
}
