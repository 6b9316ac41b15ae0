package io.isoflop.scheduler.plan;

import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The plan as an aligned text table, one run per line, then a totals line. */
public final class PlanTable {
    private static final String[] HEADER = {
        "run", "budget", "N", "shape", "D", "D/N", "FLOPs", "steps x batch", "peak LR"
    };
    /** Columns aligned left; the others are numbers, aligned right. */
    private static final boolean[] LEFT = {true, false, false, true, false, false, false, false, false};

    private PlanTable() {}

    public static String render(IsoFlopPlan plan) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (RunSpec run : plan.runs()) {
            rows.add(new String[] {
                run.runId(),
                scientific(run.budgetFlops()),
                Long.toString(run.parameters()),
                shapeText(run.shape()),
                Long.toString(run.tokens()),
                String.format(Locale.ROOT, "%.1f", run.tokensPerParameter()),
                scientific(run.plannedFlops()),
                run.training().steps() + " x " + run.training().batchSequences(),
                String.format(Locale.ROOT, "%.2e", run.training().peakLearningRate()),
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = LEFT[i] ? String.format("%-" + widths[i] + "s", row[i])
                        : String.format("%" + widths[i] + "s", row[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        List<Double> budgets = plan.budgets();
        out.append(String.format(Locale.ROOT, "%d runs, %d budgets (%s .. %s), %s FLOPs, %d tokens in total;"
                        + " sweep %s, up to %d in parallel%n",
                plan.runs().size(), budgets.size(),
                budgets.isEmpty() ? "-" : scientific(budgets.get(0)),
                budgets.isEmpty() ? "-" : scientific(budgets.get(budgets.size() - 1)),
                scientific(plan.totalFlops()), plan.totalTokens(), plan.sweep(), plan.maxParallel()));
        return out.toString();
    }

    /** {@code <n_layer>x<d_model> h<n_heads>}, e.g. {@code 2x32 h4}. */
    public static String shapeText(ModelShape shape) {
        return shape.nLayers() + "x" + shape.dModel() + " h" + shape.nHeads();
    }

    /** e.g. {@code 3.00e+11}. */
    static String scientific(double value) {
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
