package io.isoflop.fitter.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Approach 3 of Hoffmann et al. (2022), the parametric fit, as Besiroglu et al. (2024) replicated it: fit
 * {@code L(N, D) = E + A/N^α + B/D^β} to the final (N, D, loss) of every finished run by minimising the sum of
 * Huber losses (δ = 1e-3) on {@code log L_obs − LSE(logA − α·log N, logB − β·log D, logE)} with BFGS and
 * analytic gradients from each of the 4,500 starts of {@link StartGrid#epoch()}, keeping the best. With more than
 * {@link Approach3Settings#searchPoints()} runs the starts search on a spread sample of them and the best minima are
 * refined on all ({@link MultiStartMinimizer}).
 *
 * <p>Conventions: N is each run's declared parameter count, D its training tokens, loss in nats per token, logs
 * natural. Every run with a finite positive loss is used, including runs that Approach 2 excludes as stalled (the
 * Huber loss bounds their pull). With fewer than {@link Approach3Settings#minRuns()} such runs nothing is fitted
 * and a diagnostic says why.
 */
public final class Approach3 {
    private final Approach3Settings settings;
    private final MultiStartMinimizer minimizer;

    public Approach3(Approach3Settings settings) {
        this.settings = settings;
        this.minimizer = new MultiStartMinimizer(settings);
    }

    public Approach3() {
        this(Approach3Settings.defaults());
    }

    public Approach3Settings settings() {
        return settings;
    }

    public Approach3Fit fit(List<RunResult> runs) {
        List<RunResult> usable = runs.stream().filter(Approach3::usable).toList();
        List<String> diagnostics = new ArrayList<>();
        int leftOut = runs.size() - usable.size();
        if (leftOut > 0) {
            diagnostics.add(String.format(Locale.ROOT, "approach 3: %d run(s) without a finite positive loss left out",
                    leftOut));
        }
        if (usable.size() < settings.minRuns()) {
            String reason = String.format(Locale.ROOT, "%d run(s) with a finite loss, at least %d needed",
                    usable.size(), settings.minRuns());
            diagnostics.add("approach 3 not fitted: " + reason);
            return Approach3Fit.notFitted(usable.size(), settings, reason, diagnostics);
        }
        HuberLogLossObjective objective = new HuberLogLossObjective(
                usable.stream().mapToDouble(RunResult::parameters).toArray(),
                usable.stream().mapToDouble(RunResult::tokens).toArray(),
                usable.stream().mapToDouble(RunResult::finalLoss).toArray(),
                settings.huberDelta());
        MultiStartMinimizer.Result result = minimizer.minimize(objective);
        if (result.searchedPoints() < usable.size()) {
            diagnostics.add(String.format(Locale.ROOT, "approach 3: the %d starts searched on %d of the %d runs,"
                    + " spread through (N, D); the best %d distinct minima were refined on all runs", result.starts(),
                    result.searchedPoints(), usable.size(), settings.refinedMinima()));
        }
        if (result.failed() > 0) {
            diagnostics.add(String.format(Locale.ROOT, "approach 3: %d of %d starts failed (optimiser error or"
                    + " non-finite objective)", result.failed(), result.starts()));
        }
        if (result.atStepLimit() > 0) {
            diagnostics.add(String.format(Locale.ROOT, "approach 3: %d of %d starts stopped at the step limit of %d",
                    result.atStepLimit(), result.starts(), settings.maxIterations()));
        }
        if (result.best() == null) {
            String reason = "every start failed";
            diagnostics.add("approach 3 not fitted: " + reason);
            return Approach3Fit.notFitted(usable.size(), settings, reason, diagnostics);
        }
        ParametricLaw law = ParametricLaw.fromLogParameters(result.best().parameters());
        if (!law.hasOptimalAllocation()) {
            diagnostics.add(String.format(Locale.ROOT, "approach 3: fitted alpha = %.4g, beta = %.4g: without two"
                    + " positive exponents the law has no compute-optimal allocation", law.alpha(), law.beta()));
        }
        return new Approach3Fit(law, result.best().objective(), result.starts(), result.nearBest(), result.failed(),
                usable.size(), settings.huberDelta(), settings.nearBestTolerance(), null, diagnostics);
    }

    private static boolean usable(RunResult run) {
        return run.parameters() > 0 && run.tokens() > 0 && run.finalLoss() > 0 && Double.isFinite(run.finalLoss());
    }
}
