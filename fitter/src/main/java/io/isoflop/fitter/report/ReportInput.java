package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.Approach1Fit;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.Forecasts;
import io.isoflop.contracts.RepeatedData;
import io.isoflop.fitter.fit.DataConstrainedFit;
import io.isoflop.fitter.fit.KaplanFit;
import io.isoflop.fitter.fit.PointDecision;
import io.isoflop.fitter.fit.Projection;
import io.isoflop.fitter.fit.RunResult;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a report shows.
 *
 * @param sweep the sweep name
 * @param flopConvention the FLOP convention the budgets are counted in
 * @param approach1 the Approach 1 result (the envelope of training curves; not fitted for a table of final losses)
 * @param fit the Approach 2 result
 * @param approach3 the Approach 3 result (fitted or not, with the reason in its diagnostics)
 * @param kaplan Kaplan et al. (2020)'s one-variable laws L(N), L(D) and L(C_min), fitted or not
 * @param bootstrap the bootstrap over runs; null when none was run
 * @param forecasts the held-out check, projections to target budgets and the inference-aware optimum
 * @param diagnostics notes from reading and fitting, in that order
 * @param generatedAt when the report was made
 * @param dataConstrained the data-constrained law (Muennighoff et al. 2023), fitted when runs repeat data
 * @param stages an adaptive sweep's stages, each with why it ran; empty for a sweep run at once
 */
public record ReportInput(String sweep, String flopConvention, Approach1Fit approach1, Approach2Fit fit, Approach3Fit approach3,
        KaplanFit kaplan, BootstrapResult bootstrap, Forecasts forecasts, List<String> diagnostics,
        Instant generatedAt, DataConstrainedFit dataConstrained, List<AdaptiveStage> stages) {

    /** A sweep that was not run in stages. */
    public ReportInput(String sweep, String flopConvention, Approach1Fit approach1, Approach2Fit fit,
            Approach3Fit approach3, KaplanFit kaplan, BootstrapResult bootstrap, Forecasts forecasts,
            List<String> diagnostics, Instant generatedAt, DataConstrainedFit dataConstrained) {
        this(sweep, flopConvention, approach1, fit, approach3, kaplan, bootstrap, forecasts, diagnostics, generatedAt,
                dataConstrained, List.of());
    }

    /** Runs that repeat no data: no data-constrained law. */
    public ReportInput(String sweep, String flopConvention, Approach1Fit approach1, Approach2Fit fit,
            Approach3Fit approach3, KaplanFit kaplan, BootstrapResult bootstrap, Forecasts forecasts,
            List<String> diagnostics, Instant generatedAt) {
        this(sweep, flopConvention, approach1, fit, approach3, kaplan, bootstrap, forecasts, diagnostics, generatedAt,
                DataConstrainedFit.notFitted(Double.NaN, 0, RepeatedData.CHINCHILLA_TOKENS_PER_PARAMETER,
                        "no run repeats data", List.of()), List.of());
    }

    public ReportInput {
        Objects.requireNonNull(dataConstrained, "dataConstrained");
        Objects.requireNonNull(sweep, "sweep");
        Objects.requireNonNull(flopConvention, "flopConvention");
        Objects.requireNonNull(approach1, "approach1");
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(approach3, "approach3");
        Objects.requireNonNull(kaplan, "kaplan");
        Objects.requireNonNull(forecasts, "forecasts");
        Objects.requireNonNull(generatedAt, "generatedAt");
        diagnostics = List.copyOf(diagnostics);
        stages = List.copyOf(stages);
    }

    /** Every run the fits saw, in budget and N order. */
    public List<RunResult> runs() {
        return fit.budgets().stream().flatMap(b -> b.points().stream()).map(PointDecision::run).toList();
    }

    /** The budgets the forecasts project to. */
    public List<Double> targetBudgets() {
        return forecasts.projections().stream().map(Projection::budgetFlops).toList();
    }
}
