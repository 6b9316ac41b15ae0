package io.isoflop.fitter;

import io.isoflop.fitter.fit.Approach1;
import io.isoflop.fitter.fit.Approach1Fit;
import io.isoflop.fitter.fit.Approach2;
import io.isoflop.fitter.fit.Approach2Fit;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.report.ReportFiles;
import io.isoflop.fitter.report.ReportInput;
import io.isoflop.fitter.report.ReportWriter;
import io.isoflop.fitter.spark.CurveReader;
import io.isoflop.fitter.spark.MetricsException;
import io.isoflop.fitter.spark.MetricsReader;
import io.isoflop.fitter.spark.SweepMetrics;
import io.isoflop.fitter.spark.TableException;
import io.isoflop.fitter.spark.TableReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Read → fit → write, on a SparkSession the caller owns: the whole fitter minus argument parsing and exit codes. */
public final class FitterJob {
    private final MetricsReader reader;
    private final TableReader tableReader;
    private final CurveReader curveReader;
    private final Approach1 approach1;
    private final Approach2 approach2;
    private final Approach3 approach3;
    private final ReportWriter writer;
    private final Clock clock;

    public FitterJob(SparkSession spark, Approach2 approach2, Approach3 approach3, Clock clock) {
        this.reader = new MetricsReader(spark);
        this.tableReader = new TableReader(spark);
        this.curveReader = new CurveReader(spark);
        this.approach1 = new Approach1();
        this.approach2 = approach2;
        this.approach3 = approach3;
        this.writer = new ReportWriter();
        this.clock = clock;
    }

    public FitterJob(SparkSession spark) {
        this(spark, new Approach2(), new Approach3(), Clock.systemUTC());
    }

    /**
     * Fits the finished runs under {@code metricsDir} with Approaches 1 (their training curves), 2 and 3 and writes the report into
     * {@code outDir}, also when no power law or no parametric law could be fitted (the report then says why).
     *
     * @throws MetricsException when there is nothing to fit: no directory, no metric files, no finished run
     */
    public Outcome run(Path metricsDir, Path outDir) throws MetricsException, IOException {
        SweepMetrics metrics = reader.read(metricsDir);
        return fitAndWrite(metrics, approach1.fit(curveReader.read(metricsDir)), outDir);
    }

    /**
     * Like {@link #run}, over a CSV or Parquet table of runs ({@link TableReader}) instead of a sweep's metrics.
     *
     * @throws TableException when the table cannot be read as runs: wrong kind, missing column, bad value
     */
    public Outcome runTable(Path table, Path outDir) throws TableException, IOException {
        return fitAndWrite(tableReader.read(table),
                approach1.notFitted("a table holds final losses only, no training curves"), outDir);
    }

    private Outcome fitAndWrite(SweepMetrics metrics, Approach1Fit envelope, Path outDir) throws IOException {
        Approach2Fit fit = approach2.fit(metrics.runs());
        Approach3Fit parametric = approach3.fit(metrics.runs());
        List<String> diagnostics = new ArrayList<>(metrics.notes());
        diagnostics.addAll(envelope.diagnostics());
        diagnostics.addAll(fit.diagnostics());
        diagnostics.addAll(parametric.diagnostics());
        ReportInput input = new ReportInput(metrics.sweep(), metrics.flopConvention(), envelope, fit, parametric, diagnostics,
                clock.instant());
        return new Outcome(input, writer.write(input, outDir));
    }

    /** What was fitted and where it was written. */
    public record Outcome(ReportInput report, ReportFiles files) {}
}
