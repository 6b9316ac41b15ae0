package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.Parabola;
import io.isoflop.fitter.fit.PointDecision;
import io.isoflop.fitter.fit.PowerLaw;
import io.isoflop.fitter.fit.Vertex;
import java.util.List;

/**
 * The content of {@code frontier.json}, schema version {@value #SCHEMA_VERSION}. Numbers that do not exist
 * (no vertex, no standard error with two budgets) are null, never NaN.
 *
 * <p>Conventions, also written into the document: N is the runs' declared parameter count, D training tokens,
 * C the nominal budget in FLOPs under {@code flopConvention}, loss in nats per token; each parabola is
 * {@code loss = a·x² + b·x + c} with {@code x = log10(N)}; power laws are {@code y = coefficient·C^exponent}
 * fitted on log10 of both sides, {@code stderr} being the exponent's standard error.
 */
public record FrontierDocument(
        int schemaVersion,
        String method,
        String sweep,
        String flopConvention,
        Conventions conventions,
        List<Budget> budgets,
        PowerLaws powerLaws,
        List<String> diagnostics,
        String generatedAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String METHOD = "approach2-isoflop-profiles";

    public record Conventions(String n, String d, String c, String loss, String parabola, String powerLaw) {
        static final Conventions CURRENT = new Conventions(
                "parameters as each run declares them (n_params)",
                "training tokens",
                "nominal budget_flops of the IsoFLOP budget",
                "final held-out cross-entropy, nats per token",
                "loss = a*x^2 + b*x + c, x = log10(N)",
                "y = coefficient * C^exponent, least squares on log10 y vs log10 C; stderr is the exponent's");
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
                input.diagnostics(),
                input.generatedAt().toString());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
