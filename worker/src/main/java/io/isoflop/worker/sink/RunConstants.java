package io.isoflop.worker.sink;

import io.isoflop.contracts.RunSpec;
import io.isoflop.worker.model.ParameterCounts;

/** The columns every metric row of one attempt of a run carries. N is counted from the built model. */
public record RunConstants(
        String runId,
        String sweep,
        long attempt,
        double budgetFlops,
        String flopConvention,
        long parameters,
        long parametersTotal,
        long parametersNonEmbedding,
        long plannedTokens) {

    public static RunConstants of(RunSpec spec, long attempt, ParameterCounts counted) {
        long n = "total".equals(spec.parameterCount()) ? counted.total() : counted.nonEmbedding();
        return new RunConstants(spec.runId(), spec.sweep(), attempt, spec.budgetFlops(), spec.flopConvention(), n,
                counted.total(), counted.nonEmbedding(), spec.tokens());
    }
}
