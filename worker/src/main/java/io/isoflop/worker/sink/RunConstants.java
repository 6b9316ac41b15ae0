package io.isoflop.worker.sink;

import io.isoflop.contracts.ArchitectureFlops;
import io.isoflop.contracts.ParameterCount;
import io.isoflop.contracts.RunSpec;
import io.isoflop.worker.device.ComputeDevice;
import io.isoflop.worker.model.ParameterCounts;

/**
 * The columns every metric row of one attempt of a run carries. N is counted from the built model; FLOPs per
 * token are given three ways: the declared convention's, 6·N, and the architecture's own count.
 */
public record RunConstants(
        String runId,
        String sweep,
        long attempt,
        double budgetFlops,
        String flopConvention,
        long parameters,
        long parametersTotal,
        long parametersNonEmbedding,
        long plannedTokens,
        double flopsPerToken,
        double flopsPerToken6n,
        double flopsPerTokenModel,
        double flopsPerTokenEmbedding,
        ComputeDevice device,
        String precision) {

    public static RunConstants of(RunSpec spec, long attempt, ParameterCounts counted, ComputeDevice device,
            String precision) {
        long n = ParameterCount.TOTAL.id().equals(spec.parameterCount()) ? counted.total() : counted.nonEmbedding();
        return new RunConstants(spec.runId(), spec.sweep(), attempt, spec.budgetFlops(), spec.flopConvention(), n,
                counted.total(), counted.nonEmbedding(), spec.tokens(), spec.flopsPerToken(), 6.0 * n,
                ArchitectureFlops.perToken(spec.shape()), ArchitectureFlops.embeddingPerToken(spec.shape()), device,
                precision);
    }
}
