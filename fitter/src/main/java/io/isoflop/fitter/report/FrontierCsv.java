package io.isoflop.fitter.report;

import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.BudgetProfile;
import io.isoflop.fitter.fit.Vertex;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Renders {@code frontier.csv} (RFC 4180, header row): one row per budget with its vertex; cells are empty where
 * a budget has no vertex. N is the declared parameter count, D tokens, loss in nats per token.
 */
public final class FrontierCsv {
    public static final String HEADER =
            "budget_flops,n_opt,d_opt,loss_opt,tokens_per_param,inside_range,used_in_fit,reason";

    private FrontierCsv() {}

    public static String render(Approach2Fit fit) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (BudgetProfile profile : fit.budgets()) {
            Vertex vertex = profile.vertex();
            StringJoiner row = new StringJoiner(",");
            row.add(number(profile.budgetFlops()));
            row.add(vertex == null ? "" : number(vertex.parameters()));
            row.add(vertex == null ? "" : number(vertex.tokens()));
            row.add(vertex == null ? "" : number(vertex.loss()));
            row.add(vertex == null ? "" : number(vertex.tokensPerParameter()));
            row.add(Boolean.toString(profile.insideSampledRange()));
            row.add(Boolean.toString(profile.usedInPowerLaw()));
            row.add(quoted(profile.reason() == null ? "" : profile.reason()));
            csv.append(row).append('\n');
        }
        return csv.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    private static String quoted(String text) {
        boolean needsQuotes = text.contains(",") || text.contains("\"") || text.contains("\n");
        return needsQuotes ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
