package io.isoflop.scheduler.study;

import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.scheduler.spec.NumberText;
import java.util.Locale;

/** {@link PrecisionForecast} as the table {@code isoflop plan --precision} prints. */
public final class PrecisionTable {
    private PrecisionTable() {}

    public static String render(PrecisionForecast forecast, SimulatedLaw prior, String priorSource, long seed) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "precision forecast: %d simulated sweeps (seed %d) from %s:%n",
                forecast.repetitions(), seed, priorSource));
        out.append(String.format(Locale.ROOT, "  L(N,D) = %.4g + %.4g/N^%.4g + %.4g/D^%.4g, noise %.2f%% per run,"
                        + " %.2f%% per evaluation%n", prior.e(), prior.a(), prior.alpha(), prior.b(), prior.beta(),
                100 * prior.runNoise(), 100 * prior.evalNoise()));
        out.append(String.format(Locale.ROOT, "cost: %s runs, %s stage(s), %s FLOPs (mean %.3g)%n",
                count(forecast.runs()), count(forecast.stages()), flops(forecast.flops()), forecast.meanFlops()));
        out.append(String.format(Locale.ROOT, "%-24s %12s %12s %26s %10s %10s%n", "quantity", "prior",
                "median fit", "expected 95% interval", "width", "std dev"));
        row(out, "a  (N_opt ∝ C^a)", forecast.a(), "%.4f");
        row(out, "b  (D_opt ∝ C^b)", forecast.b(), "%.4f");
        for (PrecisionForecast.Target target : forecast.targets()) {
            String at = NumberText.format(target.budgetFlops());
            row(out, "N_opt at " + at, target.optimalParameters(), "%.4g");
            row(out, "loss at " + at, target.loss(), "%.4f");
        }
        out.append("a, b and N_opt from Approach 2 (IsoFLOP parabolas), the loss from Approach 3, as the fitter"
                + " fits them; the interval is the spread of the fits over the simulated sweeps\n");
        if (forecast.unfitted() > 0) {
            out.append(String.format(Locale.ROOT, "%d of %d simulated sweeps gave no N_opt power law (fewer than 2"
                    + " usable budgets) and are left out%n", forecast.unfitted(), forecast.repetitions()));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, PrecisionForecast.Spread spread, String format) {
        out.append(String.format(Locale.ROOT, "%-24s %12s %12s %26s %10s %10s%n", name,
                value(format, spread.truth()), value(format, spread.median()),
                value(format, spread.lower()) + " – " + value(format, spread.upper()), value(format, spread.width()),
                value(format, spread.stdDev())));
    }

    private static String value(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "-";
    }

    /** A count that may vary between repetitions: "81", or "40 (35–52)". */
    private static String count(PrecisionForecast.Spread spread) {
        return spread.upper() - spread.lower() <= 1e-9 * spread.upper() ? String.format(Locale.ROOT, "%.0f", spread.median())
                : String.format(Locale.ROOT, "%.0f (95%%: %.0f–%.0f)", spread.median(), spread.lower(), spread.upper());
    }

    private static String flops(PrecisionForecast.Spread spread) {
        return spread.upper() - spread.lower() <= 1e-9 * spread.upper() ? String.format(Locale.ROOT, "%.3g", spread.median())
                : String.format(Locale.ROOT, "%.3g (95%%: %.3g–%.3g)", spread.median(), spread.lower(),
                        spread.upper());
    }
}
