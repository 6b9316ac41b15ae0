package io.isoflop.scheduler.cli;

import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.RunSpec;
import io.isoflop.worker.store.StoreClients;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.isoflop.scheduler.study.AdaptiveGrid;
import io.isoflop.scheduler.study.FrontierResults;
import io.isoflop.scheduler.study.Stage;
import io.isoflop.scheduler.study.StageLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs an adaptive sweep stage by stage: decide the next stage from the last fit ({@link AdaptiveGrid}), record it
 * ({@link StageLog}) before any of its runs starts, run the plan grown by its runs and fit; until a stage ends the
 * sweep. The plan only grows (each stage's runs after the earlier ones), so the backends run it as any plan: runs
 * that finished are skipped, attempts still going are adopted. A restart continues from the stages recorded: it
 * drives the plan of every recorded stage once (finishing what was cut off, and fitting), then decides anew; a sweep
 * whose end is recorded (after its last fit) is only reported.
 */
final class AdaptiveSweep {
    /** Runs a plan to completion and fits it with these extra fitter options; returns an exit code. */
    interface StageDriver {
        int drive(IsoFlopPlan plan, List<String> fitOptions) throws IOException, InterruptedException;
    }

    private final IsoFlopPlan base;
    private final AdaptiveGrid grid;
    private final StageLog log;
    private final PrintWriter out;

    /** @param base the spec's plan, for its sweep, spec hash and directory (its runs are not used) */
    AdaptiveSweep(BudgetSpec spec, IsoFlopPlan base, PrintWriter out) {
        this.base = base;
        this.grid = new AdaptiveGrid(spec, base.sweepDir());
        this.log = new StageLog(base.sweepDir());
        this.out = out;
    }

    int run(StageDriver driver) throws IOException, InterruptedException, SpecValidationException {
        List<Stage> recorded = log.read();
        List<RunSpec> runs = new ArrayList<>();
        recorded.forEach(stage -> runs.addAll(stage.runs()));
        boolean ended = !recorded.isEmpty() && recorded.get(recorded.size() - 1).ends();
        if (ended && Files.exists(planOf(runs).fitTarget().frontier())) { // the end is recorded after the last fit
            out.printf(Locale.ROOT, "adaptive sweep %s already ended after %d stage(s): %s%nreport: %s%n",
                    base.sweep(), recorded.size() - 1, recorded.get(recorded.size() - 1).reason(),
                    planOf(runs).fitTarget().report());
            return ExitCodes.OK;
        }
        if (!recorded.isEmpty()) {
            out.printf(Locale.ROOT, "adaptive sweep %s: %d stage(s) recorded in %s, continuing%n", base.sweep(),
                    recorded.size() - (ended ? 1 : 0), log.file());
            int code = driver.drive(planOf(runs), stagesOption());
            if (code != ExitCodes.OK || ended) {
                return code;
            }
        }
        for (int index = recorded.size() + 1; ; index++) {
            List<RunResult> results = runs.isEmpty() ? List.of() : FrontierResults.read(planOf(runs).fitTarget()
                    .frontier());
            Stage stage = grid.next(index, results);
            log.append(base.sweep(), stage);
            List<String> stagesOption = stagesOption();
            if (stage.ends()) {
                out.printf(Locale.ROOT, "adaptive sweep %s ends after %d stage(s): %s%n", base.sweep(), index - 1,
                        stage.reason());
                return ExitCodes.OK;
            }
            out.printf(Locale.ROOT, "stage %d: %d runs, %.2e FLOPs: %s%n", index, stage.runs().size(),
                    stage.plannedFlops(), stage.reason());
            runs.addAll(stage.runs());
            int code = driver.drive(planOf(runs), stagesOption);
            if (code != ExitCodes.OK) {
                return code;
            }
        }
    }

    /**
     * The fitter option that shows the stages in the report: {@code --stages} with the stage log, or, for a sweep on
     * an object store (whose fitter cannot see this machine's files), its copy beside the sweep's metrics.
     */
    private List<String> stagesOption() throws IOException {
        String metrics = base.metricsLocation();
        if (!ObjectStore.isObjectStore(metrics)) {
            return List.of("--stages", log.file().toString());
        }
        ObjectStore.Location copy = base.besideMetrics(StageLog.FILE);
        try (S3Client s3 = StoreClients.s3(ObjectStore.Settings.fromEnvironment())) {
            s3.putObject(b -> b.bucket(copy.bucket()).key(copy.key()).contentType("application/json"),
                    RequestBody.fromFile(log.file()));
        } catch (SdkException e) {
            throw new IOException("cannot store the stages at " + copy.uri() + ": " + e.getMessage(), e);
        }
        return List.of("--stages", copy.uri());
    }

    private IsoFlopPlan planOf(List<RunSpec> runs) {
        return new IsoFlopPlan(base.sweep(), base.specHash(), base.sweepDir(), base.maxParallel(), runs);
    }
}
