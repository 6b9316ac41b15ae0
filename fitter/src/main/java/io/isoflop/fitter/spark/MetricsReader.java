package io.isoflop.fitter.spark;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.fitter.metrics.RunAssembly;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The finished runs of a sweep's metric files ({@link MetricFiles}; layout {@link MetricsLayout}) as the fit takes
 * them: one {@link io.isoflop.fitter.fit.RunResult} per finished run, from the final row of its latest attempt, and
 * its held-out loss curve ({@link RunAssembly} says which rows count). N is {@code n_params}, the count the run
 * declares; the loss is {@code eval_loss} (NaN where the final row has none).
 */
public final class MetricsReader {
    private static final int UNFINISHED_LISTED = 10;

    /** @throws MetricsException when no file can be read, no run has finished, or runs count FLOPs differently */
    public SweepMetrics read(MetricFiles files) throws MetricsException {
        String metricsDir = files.metricsDir();
        if (files.isEmpty()) {
            throw new MetricsException("no readable metric files in " + metricsDir + ": "
                    + String.join("; ", files.notes()));
        }
        RunAssembly assembled = RunAssembly.of(files.attempts());
        if (assembled.runs().isEmpty()) {
            throw new MetricsException("no finished runs in " + metricsDir + ": " + assembled.unfinished().size()
                    + " run(s) have metrics, none has a final row (attempt-*" + MetricsLayout.FINAL_SUFFIX + ") yet");
        }
        if (assembled.conventions().size() > 1) {
            throw new MetricsException("runs in " + metricsDir + " declare different FLOP conventions "
                    + assembled.conventions() + "; budgets counted differently cannot share one frontier");
        }
        List<String> notes = new ArrayList<>(files.notes());
        if (assembled.sweeps().size() > 1) {
            notes.add("runs in " + metricsDir + " belong to several sweeps: " + assembled.sweeps());
        }
        if (!assembled.unfinished().isEmpty()) {
            notes.add(assembled.unfinished().size() + " run(s) have not finished and are not fitted: "
                    + assembled.unfinished().stream().limit(UNFINISHED_LISTED).collect(Collectors.joining(", "))
                    + (assembled.unfinished().size() > UNFINISHED_LISTED ? ", …" : ""));
        }
        return new SweepMetrics(String.join(", ", assembled.sweeps()), assembled.conventions().first(),
                assembled.runs(), assembled.curves(), notes);
    }
}
