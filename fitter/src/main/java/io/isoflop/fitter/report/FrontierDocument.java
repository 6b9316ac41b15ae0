package io.isoflop.fitter.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.isoflop.fitter.fit.Approach1Fit;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.BootstrapResult;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.DataConstrainedFit;
import io.isoflop.fitter.fit.EnvelopePoint;
import io.isoflop.fitter.fit.Forecasts;
import io.isoflop.fitter.fit.HoldOut;
import io.isoflop.fitter.fit.InferenceForecast;
import io.isoflop.fitter.fit.InferenceOptimum;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.KaplanFit;
import io.isoflop.fitter.fit.KaplanLaw;
import io.isoflop.fitter.fit.KaplanPoint;
import io.isoflop.fitter.fit.Parabola;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.PointDecision;
import io.isoflop.fitter.fit.PowerLaw;
import io.isoflop.fitter.fit.Projection;
import io.isoflop.fitter.fit.Vertex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code frontier.json}, schema version {@value #SCHEMA_VERSION}. Numbers that do not exist
 * (no vertex, no standard error with two budgets) are null, never NaN.
 *
 * <p>Conventions, also written into the document: N is the runs' declared parameter count, D training tokens,
 * C the nominal budget in FLOPs under {@code flopConvention}, loss in nats per token; each parabola is
 * {@code loss = a·x² + b·x + c} with {@code x = log10(N)}; power laws are {@code y = coefficient·C^exponent}
 * fitted on log10 of both sides, {@code stderr} being the exponent's standard error.
 *
 * <p>Version 2 adds {@code approach3} (the parametric fit, {@link ParametricFit}) and {@code conventions.parametric};
 * every version-1 field is unchanged.
 *
 * <p>Version 3 adds {@code approach1} (the envelope of training curves, {@link EnvelopeFit}),
 * {@code bootstrap} (intervals from the bootstrap over runs, {@link BootstrapSummary}; null when none was run) and
 * {@code forecasts} (held-out check, projections to target budgets, inference-aware optimum, {@link ForecastsValue}),
 * {@code conventions.envelope}, {@code conventions.bootstrap} and {@code conventions.forecasts}; every version-2
 * field is unchanged.
 *
 * <p>Version 4 adds {@code stages} (an adaptive sweep's stages: index, budgets, runs, planned FLOPs and the reason;
 * empty for a sweep run at once), {@code dataConstrained} (the data-constrained law of Muennighoff et al. 2023 when runs repeat
 * data, {@link DataConstrainedValue}), {@code kaplan} (Kaplan et al. 2020's one-variable laws L(N), L(D) and L(C_min) fitted to the
 * same runs, each with its exponent, constant, regression standard error, points and a bootstrap interval over the
 * points, beside Kaplan's published values; {@link KaplanValue}) and {@code conventions.kaplan}. For a table of
 * runs ({@code --table}) the diagnostics also say how rows were grouped into budgets: the rule, and per budget its
 * C, its rows and the range of their C. Every version-3 field is unchanged.
 */
public record FrontierDocument(
        int schemaVersion,
        String method,
        String sweep,
        String flopConvention,
        Conventions conventions,
        List<Budget> budgets,
        PowerLaws powerLaws,
        EnvelopeFit approach1,
        ParametricFit approach3,
        BootstrapSummary bootstrap,
        ForecastsValue forecasts,
        KaplanValue kaplan,
        List<String> diagnostics,
        String generatedAt,
        DataConstrainedValue dataConstrained,
        List<AdaptiveStage> stages) {

    public static final int SCHEMA_VERSION = 4;
    public static final String METHOD = "approach2-isoflop-profiles";

    public record Conventions(String n, String d, String c, String loss, String parabola, String powerLaw,
            String parametric, String envelope, String bootstrap, String forecasts, String kaplan) {
        static final Conventions CURRENT = new Conventions(
                "parameters as each run declares them (n_params)",
                "training tokens",
                "nominal budget_flops of the IsoFLOP budget",
                "final held-out cross-entropy, nats per token",
                "loss = a*x^2 + b*x + c, x = log10(N)",
                "y = coefficient * C^exponent, least squares on log10 y vs log10 C; stderr is the exponent's",
                "approach3: loss = E + A/N^alpha + B/D^beta fitted to every finished run by minimising the sum of"
                        + " Huber(huberDelta) losses of ln(loss) - LSE(ln A - alpha ln N, ln B - beta ln D, ln E),"
                        + " BFGS from each start, best kept; a = beta/(alpha+beta), b = alpha/(alpha+beta),"
                        + " G = (alpha A/(beta B))^(1/(alpha+beta)), nOpt = G (C/6)^a, dOpt = (C/6)^b / G under"
                        + " C = 6 N D; startsNearBest counts starts within nearBestTolerance (absolute) of the"
                        + " best objective",
                "approach1: at log-spaced C (pointsPerDecade per decade), the run whose held-out loss curve is lowest"
                        + " at C (loss linear in ln C between evaluations; latest attempt per run and step) gives"
                        + " nOpt = its N and dOpt = its tokens at C; points won by the smallest or largest model"
                        + " reaching C are not used; powerLaws over the used points as for approach 2",
                "bootstrap: resample i draws as many runs as there are, with replacement, from a stream seeded by"
                        + " (seed, i); approaches 2 and 3 are refitted on each; estimate is the fit to all runs,"
                        + " stderr the standard deviation over resamples, lower/upper their 2.5th/97.5th percentiles"
                        + " (linear interpolation); resamples without the quantity are left out (resamples counts"
                        + " those used)",
                "forecasts: holdOut refits approaches 2 and 3 without the largest budget and predicts its best loss"
                        + " and nOpt (observed: that budget's parabola vertex if approach 2 used it, else its"
                        + " lowest-loss run; errors are predicted - observed, nOpt errors in log10 decades);"
                        + " targets evaluate approach 3's compute-optimal allocation and approach 2's power laws at"
                        + " each target budget, with bootstrap intervals; inferenceAware minimises 6 N D + 2 N T"
                        + " (T = inferenceTokens) subject to L(N, D) = approach 3's compute-optimal loss at the"
                        + " target budget (Sardana & Frankle 2024); approach 3's allocations (here and in"
                        + " approach3.budgets) assume C = 6 N D whatever flopConvention says, approach 2's power laws"
                        + " are in the sweep's own C",
                "kaplan: Kaplan et al. 2020's L(X) = (X_c/X)^exponent for X = N (parameters), D (data) and C_min"
                        + " (compute), least squares on ln loss = exponent ln X_c - exponent ln X over points: for"
                        + " N, the final loss of the run with the most tokens at each model size; for D, the lowest"
                        + " held-out loss any training curve reaches at log-spaced D (pointsPerDecade of approach1;"
                        + " without curves, the lowest final loss of the runs at each such D); for C_min, approach1's"
                        + " used envelope points (without curves, the lowest final loss of each budget at its C);"
                        + " stderr is the regression's standard error of the exponent, exponentInterval the"
                        + " bootstrap over the law's points (resample i draws as many points as there are, with"
                        + " replacement, seeded by (seed, i); estimate, stderr, 2.5th/97.5th percentiles; null when"
                        + " resamples is 0); envelope points share curves, so for D and C_min both understate the"
                        + " uncertainty; constant in parameters, tokens or FLOPs (published C_c = 3.1e8 PF-days);"
                        + " N as the runs declare it (Kaplan counted non-embedding parameters), C the compute"
                        + " spent, not Kaplan's C_min at the critical batch size; the laws have no irreducible loss,"
                        + " so their exponents are far smaller than approach3's alpha and beta");
    }

    public record Point(String runId, long n, long d, double flops, Double loss, boolean excluded, String reason) {
        static Point of(PointDecision decision) {
            var run = decision.run();
            return new Point(run.runId(), run.parameters(), run.tokens(), run.flops(), finite(run.finalLoss()),
                    decision.excluded(), decision.reason());
        }
    }

    public record ParabolaCoefficients(double a, double b, double c) {
        static ParabolaCoefficients of(Parabola parabola) {
            return parabola == null ? null : new ParabolaCoefficients(parabola.a(), parabola.b(), parabola.c());
        }
    }

    public record Budget(
            double budgetFlops,
            List<Point> points,
            ParabolaCoefficients parabola,
            Double nOpt,
            Double dOpt,
            Double lossOpt,
            Double tokensPerParam,
            Double sampledNMin,
            Double sampledNMax,
            boolean insideSampledRange,
            boolean usedInPowerLaw,
            String reason) {
        static Budget of(BudgetProfile profile) {
            Vertex vertex = profile.vertex();
            return new Budget(
                    profile.budgetFlops(),
                    profile.points().stream().map(Point::of).toList(),
                    ParabolaCoefficients.of(profile.parabola()),
                    vertex == null ? null : vertex.parameters(),
                    vertex == null ? null : vertex.tokens(),
                    vertex == null ? null : vertex.loss(),
                    vertex == null ? null : vertex.tokensPerParameter(),
                    finite(profile.sampledMinParameters()),
                    finite(profile.sampledMaxParameters()),
                    profile.insideSampledRange(),
                    profile.usedInPowerLaw(),
                    profile.reason());
        }
    }

    public record Law(double exponent, double coefficient, Double stderr, Double log10CoefficientStderr, double r2,
            int budgets) {
        static Law of(PowerLaw law) {
            return law == null ? null : new Law(law.exponent(), law.coefficient(), finite(law.exponentStdErr()),
                    finite(law.log10CoefficientStdErr()), law.r2(), law.points());
        }
    }

    /** {@code nOpt = k_N·C^a} and {@code dOpt = k_D·C^b}. */
    public record PowerLaws(Law nOpt, Law dOpt) {}

    /** A bootstrap interval; numbers that do not exist are null. */
    public record IntervalValue(Double estimate, Double stderr, Double lower, Double upper, int resamples) {
        static IntervalValue of(Interval interval) {
            return new IntervalValue(finite(interval.estimate()), finite(interval.stdErr()), finite(interval.lower()),
                    finite(interval.upper()), interval.resamples());
        }

        static Map<String, IntervalValue> of(Map<String, Interval> intervals) {
            Map<String, IntervalValue> values = new LinkedHashMap<>();
            intervals.forEach((name, interval) -> values.put(name, of(interval)));
            return values;
        }
    }

    /**
     * The bootstrap over runs: {@code approach1} holds a and b of the envelope's power laws (refitted on the drawn
     * runs' training curves; empty without curves), {@code approach2} a and b of the IsoFLOP power laws,
     * {@code approach3} E, A, B, alpha, beta, a, b and G of the parametric law. Each resample's Approach 3 fit starts from the full fit's
     * optimum and a coarse grid ({@code approach3StartsPerResample} starts, {@code approach3Starts} says which).
     */
    public record BootstrapSummary(int resamples, long seed, String resampling, int approach3StartsPerResample,
            String approach3Starts, long approach1Fitted, long approach2Fitted, long approach3Fitted,
            double lowerPercentile, double upperPercentile, Map<String, IntervalValue> approach1,
            Map<String, IntervalValue> approach2, Map<String, IntervalValue> approach3) {
        static final String RESAMPLING = "runs drawn with replacement, as many as there are";
        static final String STARTS = "the full fit's optimum, then alpha, beta in {0.5, 1.5}, ln E in {-1, 0, 1},"
                + " ln A, ln B in {0, 10, 20}";

        static BootstrapSummary of(BootstrapResult result, Approach1Fit envelope, Approach2Fit fit,
                ParametricLaw law) {
            return result == null ? null : new BootstrapSummary(result.resamples(), result.seed(), RESAMPLING,
                    result.approach3Starts(), STARTS, result.approach1Fitted(), result.approach2Fitted(),
                    result.approach3Fitted(), Interval.LOWER_PERCENTILE, Interval.UPPER_PERCENTILE,
                    result.approach1Fitted() == 0 ? Map.of()
                            : IntervalValue.of(result.approach1Intervals(envelope.nOpt(), envelope.dOpt())),
                    IntervalValue.of(result.approach2Intervals(fit.nOpt(), fit.dOpt())),
                    IntervalValue.of(result.approach3Intervals(law)));
        }
    }

    /** The held-out extrapolation check ({@link HoldOut}); numbers are null when it was not made. */
    public record HoldOutValue(boolean checked, Double budgetFlops, int runsHeldOut, int runsFitted,
            Double observedLoss, Double observedNOpt, String observedFrom, Double approach2NOpt,
            Double approach2NOptErrorDecades, Double approach3Loss, Double approach3LossError, Double approach3NOpt,
            Double approach3NOptErrorDecades, String reason) {
        static HoldOutValue of(HoldOut h) {
            return new HoldOutValue(h.checked(), finite(h.budgetFlops()), h.runsHeldOut(), h.runsFitted(),
                    finite(h.observedLoss()), finite(h.observedParameters()), h.observedFrom(),
                    finite(h.approach2Parameters()), finite(h.approach2ParametersErrorDecades()),
                    finite(h.approach3Loss()), finite(h.approach3LossError()), finite(h.approach3Parameters()),
                    finite(h.approach3ParametersErrorDecades()), h.reason());
        }
    }

    /** The compute-optimal model at one target budget. */
    public record TargetValue(double budgetFlops, IntervalValue nOpt, IntervalValue dOpt, IntervalValue tokensPerParam,
            IntervalValue loss, IntervalValue approach2NOpt, IntervalValue approach2DOpt) {
        static TargetValue of(Projection p) {
            return new TargetValue(p.budgetFlops(), IntervalValue.of(p.parameters()), IntervalValue.of(p.tokens()),
                    IntervalValue.of(p.tokensPerParameter()), IntervalValue.of(p.loss()),
                    IntervalValue.of(p.approach2Parameters()), IntervalValue.of(p.approach2Tokens()));
        }
    }

    /** The inference-aware optimum at one target budget; null numbers when Approach 3 has no allocation. */
    public record InferenceValue(double budgetFlops, Double targetLoss, Double n, Double d, Double tokensPerParam,
            Double trainingFlops, Double inferenceFlops, Double totalFlops, Double computeOptimalTotalFlops,
            IntervalValue nInterval, IntervalValue dInterval, IntervalValue totalFlopsInterval) {
        static InferenceValue of(InferenceForecast f) {
            InferenceOptimum o = f.estimate();
            return new InferenceValue(f.budgetFlops(), o == null ? null : o.targetLoss(),
                    o == null ? null : o.parameters(), o == null ? null : o.tokens(),
                    o == null ? null : o.tokens() / o.parameters(), o == null ? null : o.trainingFlops(),
                    o == null ? null : o.inferenceFlops(), o == null ? null : o.totalFlops(),
                    o == null ? null : o.computeOptimalTotalFlops(), IntervalValue.of(f.parameters()),
                    IntervalValue.of(f.tokens()), IntervalValue.of(f.totalFlops()));
        }
    }

    /** What the fits say beyond the sampled budgets ({@link Forecasts}). */
    public record ForecastsValue(HoldOutValue holdOut, List<TargetValue> targets, Double inferenceTokens,
            List<InferenceValue> inferenceAware) {
        static ForecastsValue of(Forecasts f) {
            return new ForecastsValue(HoldOutValue.of(f.holdOut()), f.projections().stream().map(TargetValue::of)
                    .toList(), f.inferenceTokens(), f.inference().stream().map(InferenceValue::of).toList());
        }
    }

    /** One point of Approach 1's envelope. */
    public record EnvelopeValue(double flops, String runId, long nOpt, double dOpt, double loss, int curvesCompared,
            boolean used, String reason) {
        static EnvelopeValue of(EnvelopePoint point) {
            return new EnvelopeValue(point.flops(), point.runId(), point.parameters(), point.tokens(), point.loss(),
                    point.curvesCompared(), point.used(), point.reason());
        }
    }

    /**
     * Approach 1, the envelope of training curves: {@code powerLaws} null when not fitted ({@code reason} says why);
     * there each law's {@code budgets} counts the envelope's used compute values, not IsoFLOP budgets, and its
     * {@code stderr} understates the uncertainty (neighbouring values share curves; see
     * {@code bootstrap.approach1}). {@code envelope} lists every compute value some curve reaches.
     */
    public record EnvelopeFit(boolean fitted, String method, int curves, int pointsPerDecade, PowerLaws powerLaws,
            List<EnvelopeValue> envelope, String reason) {
        public static final String METHOD = "approach1-training-curve-envelope";

        static EnvelopeFit of(Approach1Fit fit) {
            return new EnvelopeFit(fit.hasPowerLaws(), METHOD, fit.curves(), fit.pointsPerDecade(),
                    fit.hasPowerLaws() ? new PowerLaws(Law.of(fit.nOpt()), Law.of(fit.dOpt())) : null,
                    fit.envelope().stream().map(EnvelopeValue::of).toList(), fit.reason());
        }
    }

    /** One point a Kaplan law was fitted through: x is N, D or C; {@code n} the N of the run the loss is from. */
    public record KaplanPointValue(double x, double loss, String runId, long n) {
        static KaplanPointValue of(KaplanPoint point) {
            return new KaplanPointValue(point.x(), point.loss(), point.runId(), point.parameters());
        }
    }

    /**
     * One of Kaplan's one-variable laws, {@code loss = (constant/x)^exponent}: numbers are null when not fitted
     * ({@code fitted: false}, {@code reason} says why); {@code constant} also when it is not a finite number (an
     * exponent near 0), {@code stderr} with only two points, {@code exponentInterval} without resamples.
     * {@code published*} are Kaplan et al.'s values; {@code points} lists every point the law was (or would have
     * been) fitted through, in increasing x.
     */
    public record KaplanLawValue(boolean fitted, String variable, String law, String source, Double exponent,
            Double constant, Double stderr, Double r2, IntervalValue exponentInterval, double publishedExponent,
            double publishedConstant, List<KaplanPointValue> points, String reason) {
        static KaplanLawValue of(KaplanLaw law) {
            boolean fitted = law.fitted();
            return new KaplanLawValue(fitted, law.variable().symbol(), law.variable().law(), law.source(),
                    fitted ? finite(law.exponent()) : null, fitted ? finite(law.constant()) : null,
                    fitted ? finite(law.exponentStdErr()) : null, fitted ? finite(law.r2()) : null,
                    law.exponentInterval() == null ? null : IntervalValue.of(law.exponentInterval()),
                    law.variable().publishedExponent(), law.variable().publishedConstant(),
                    law.points().stream().map(KaplanPointValue::of).toList(), law.reason());
        }
    }

    /**
     * Kaplan et al. (2020)'s one-variable laws fitted to the same runs: {@code parameters} is L(N), {@code data}
     * L(D), {@code compute} L(C_min). Each law's {@code exponentInterval} comes from {@code resamples} resamples of
     * its points (seed {@code seed}), the {@code lowerPercentile} and {@code upperPercentile} of their exponents.
     */
    public record KaplanValue(String method, int resamples, long seed, double lowerPercentile, double upperPercentile,
            KaplanLawValue parameters, KaplanLawValue data, KaplanLawValue compute) {
        public static final String METHOD = "kaplan-one-variable-power-laws";

        static KaplanValue of(KaplanFit fit) {
            return new KaplanValue(METHOD, fit.resamples(), fit.seed(), Interval.LOWER_PERCENTILE,
                    Interval.UPPER_PERCENTILE, KaplanLawValue.of(fit.parameters()), KaplanLawValue.of(fit.data()),
                    KaplanLawValue.of(fit.compute()));
        }
    }

    /** Approach 3's law evaluated at one sampled budget. */
    public record ParametricOptimum(double budgetFlops, double nOpt, double dOpt, double lossOpt) {
        static ParametricOptimum of(ParametricLaw law, double budgetFlops) {
            return new ParametricOptimum(budgetFlops, law.optimalParameters(budgetFlops),
                    law.optimalTokens(budgetFlops), law.optimalLoss(budgetFlops));
        }
    }

    /**
     * The parametric fit. Numbers are null when not fitted ({@code fitted: false}, {@code reason} says why); a, b, G
     * and {@code budgets} also when alpha or beta is not positive. {@code budgets} holds the law's optimum at every
     * sampled budget, for comparison with the Approach 2 vertices.
     */
    public record ParametricFit(
            boolean fitted,
            String method,
            @JsonProperty("E") Double E,
            @JsonProperty("A") Double A,
            @JsonProperty("B") Double B,
            @JsonProperty("alpha") Double alpha,
            @JsonProperty("beta") Double beta,
            @JsonProperty("a") Double a,
            @JsonProperty("b") Double b,
            @JsonProperty("G") Double G,
            Double objective,
            double huberDelta,
            int starts,
            int startsNearBest,
            double nearBestTolerance,
            int startsFailed,
            int runsUsed,
            List<ParametricOptimum> budgets,
            String reason) {

        public static final String METHOD = "approach3-parametric-huber";

        static ParametricFit of(Approach3Fit fit, List<Double> budgetFlops) {
            ParametricLaw law = fit.law();
            boolean fitted = fit.fitted();
            boolean allocation = fit.hasOptimalAllocation();
            return new ParametricFit(
                    fitted,
                    METHOD,
                    fitted ? law.e() : null,
                    fitted ? law.a() : null,
                    fitted ? law.b() : null,
                    fitted ? law.alpha() : null,
                    fitted ? law.beta() : null,
                    allocation ? law.exponentA() : null,
                    allocation ? law.exponentB() : null,
                    allocation ? law.g() : null,
                    finite(fit.objective()),
                    fit.huberDelta(),
                    fit.starts(),
                    fit.startsNearBest(),
                    fit.nearBestTolerance(),
                    fit.startsFailed(),
                    fit.runsUsed(),
                    allocation ? budgetFlops.stream().map(c -> ParametricOptimum.of(law, c)).toList() : List.of(),
                    fit.reason());
        }
    }

    public static FrontierDocument of(ReportInput input) {
        var fit = input.fit();
        return new FrontierDocument(
                SCHEMA_VERSION,
                METHOD,
                input.sweep(),
                input.flopConvention(),
                Conventions.CURRENT,
                fit.budgets().stream().map(Budget::of).toList(),
                fit.hasPowerLaws() ? new PowerLaws(Law.of(fit.nOpt()), Law.of(fit.dOpt())) : null,
                EnvelopeFit.of(input.approach1()),
                ParametricFit.of(input.approach3(), fit.budgets().stream().map(BudgetProfile::budgetFlops).toList()),
                BootstrapSummary.of(input.bootstrap(), input.approach1(), fit, input.approach3().law()),
                ForecastsValue.of(input.forecasts()),
                KaplanValue.of(input.kaplan()),
                input.diagnostics(),
                input.generatedAt().toString(),
                DataConstrainedValue.of(input.dataConstrained()),
                input.stages());
    }

    /**
     * The data-constrained law (Muennighoff et al. 2023): {@code L = E + A/N'^alpha + B/D'^beta} with
     * {@code D' = U_D + U_D·rStarD·(1 − e^(−R_D/rStarD))}, {@code R_D = D/U_D − 1}, and N' likewise with rStarN and
     * {@code U_N = min(N, U_D / tokensPerParameter)}. {@code repetition} says whether any run repeated data (then
     * this law, not Approach 3's, describes the runs); numbers are null when not fitted, {@code reason} says why.
     */
    public record DataConstrainedValue(String method, boolean repetition, Double maxEpochs, int repeatingRuns,
            boolean fitted, @JsonProperty("E") Double E, @JsonProperty("A") Double A, @JsonProperty("B") Double B,
            @JsonProperty("alpha") Double alpha, @JsonProperty("beta") Double beta, Double rStarD, Double rStarN,
            double tokensPerParameter, Double objective, Double plainObjective, String reason) {
        public static final String METHOD = "muennighoff-data-constrained-profile";

        static DataConstrainedValue of(DataConstrainedFit fit) {
            ParametricLaw law = fit.law();
            return new DataConstrainedValue(METHOD, fit.repetitionPresent(), finite(fit.maxEpochs()),
                    fit.repeatingRuns(), fit.fitted(), law == null ? null : law.e(), law == null ? null : law.a(),
                    law == null ? null : law.b(), law == null ? null : law.alpha(), law == null ? null : law.beta(),
                    finite(fit.rStarD()), finite(fit.rStarN()), fit.tokensPerParameter(), finite(fit.objective()),
                    finite(fit.plainObjective()), fit.reason());
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
