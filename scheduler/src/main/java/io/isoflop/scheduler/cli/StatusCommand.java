package io.isoflop.scheduler.cli;

import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitterRun;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.plan.PlanTable;
import io.isoflop.scheduler.store.AttemptRecord;
import io.isoflop.scheduler.store.RunPhase;
import io.isoflop.scheduler.store.RunRecord;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each run of a sweep directory: pending, running, succeeded (final metrics written) or"
                + " failed, with its attempts; and whether the fit exists.")
final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SWEEP_DIR", description = "a sweep directory (holds plan.json)")
    Path sweepDir;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "attempts after which a run counts as failed (as given to sweep; default: ${DEFAULT-VALUE})")
    int maxAttempts;

    @Override
    public Integer call() throws IOException {
        SweepStore store = new SweepStore(sweepDir);
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(store.planFile())) {
            spec.commandLine().getErr().println("isoflop: " + store.planFile()
                    + " does not exist: SWEEP_DIR must be a directory made by `isoflop sweep`");
            return ExitCodes.BAD_INPUT;
        }
        IsoFlopPlan plan = PlanJson.read(store.planFile());
        Map<RunPhase, Integer> counts = new EnumMap<>(RunPhase.class);
        double doneFlops = 0;
        out.printf(Locale.ROOT, "%-26s %10s %10s %-10s %-10s %8s %s%n", "run", "budget", "N", "shape", "state",
                "attempts", "last exit");
        for (RunSpec run : plan.runs()) {
            RunPhase phase = store.phase(run.runId(), maxAttempts);
            RunRecord record = store.load(run.runId());
            counts.merge(phase, 1, Integer::sum);
            if (phase == RunPhase.SUCCEEDED) {
                doneFlops += run.plannedFlops();
            }
            String lastExit = record.last().map(AttemptRecord::exitCode).map(String::valueOf).orElse("-");
            out.printf(Locale.ROOT, "%-26s %10.2e %10d %-10s %-10s %8d %s%n", run.runId(), run.budgetFlops(),
                    run.parameters(), PlanTable.shapeText(run.shape()), phase.name().toLowerCase(Locale.ROOT),
                    record.attempts().size(), lastExit);
        }
        out.printf(Locale.ROOT, "%d runs: %s | FLOPs done %.2e of %.2e (%.0f%%)%n", plan.runs().size(), counts,
                doneFlops, plan.totalFlops(), 100 * doneFlops / plan.totalFlops());
        Path frontier = store.fitDir().resolve(FitterRun.FRONTIER_FILE);
        if (Files.exists(frontier)) {
            FrontierSummary.print(frontier, out);
            out.println("report: " + store.fitDir().resolve("report.html"));
        } else {
            out.println("not fitted yet");
        }
        return counts.getOrDefault(RunPhase.FAILED, 0) > 0 ? ExitCodes.RUNS_FAILED : ExitCodes.OK;
    }
}
