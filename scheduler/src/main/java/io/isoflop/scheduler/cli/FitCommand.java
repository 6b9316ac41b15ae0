package io.isoflop.scheduler.cli;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.scheduler.launch.FitInput;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.launch.local.LocalProcessLauncher;
import io.isoflop.scheduler.store.SweepStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit the compute-optimal frontier (Spark, local[*]) from a sweep directory's metric Parquet"
                + " files, or from a table of external runs; writes frontier.json, frontier.csv, isoflop.png,"
                + " frontier.png and report.html.")
final class FitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    FitterOptions fitter;

    @Parameters(paramLabel = "SWEEP_DIR", arity = "0..1", description = "a sweep directory (holds metrics/)")
    Path sweepDir;

    @Option(names = "--table", paramLabel = "FILE",
            description = "fit a CSV or Parquet table of runs instead: columns N, D, loss, optional C and run_id")
    Path table;

    @Option(names = "--budgets", paramLabel = "C1,C2,...", description = "with --table: group rows into these"
            + " declared IsoFLOP budgets (each row to the nearest in log C; farther than --budget-tolerance is an error)")
    String budgets;

    @Option(names = "--group-budgets", paramLabel = "RULE", description = "with --table: auto (cluster log10 C,"
            + " split at gaps over --budget-gap decades; each budget the geometric mean of its rows) or"
            + " significant-digits (default: C to 3 significant digits)")
    String groupBudgets;

    @Option(names = "--budget-gap", paramLabel = "DECADES", description = "with --group-budgets auto: the gap in"
            + " log10 C that separates two budgets (default 0.1)")
    String budgetGap;

    @Option(names = "--budget-tolerance", paramLabel = "DECADES", description = "with --budgets or --group-budgets"
            + " auto: how far a row's C may be from its budget (default 0.15)")
    String budgetTolerance;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where to write the results (default: SWEEP_DIR/fit, or fit/ next to the table)")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if ((sweepDir == null) == (table == null)) {
            spec.commandLine().getErr().println("isoflop fit: give either SWEEP_DIR or --table FILE");
            return ExitCodes.BAD_INPUT;
        }
        Path anchor = (sweepDir != null ? sweepDir : table.toAbsolutePath().getParent()).toAbsolutePath();
        SweepStore store = new SweepStore(anchor);
        FitInput input;
        FitTarget target = FitTarget.directory(store.fitDir());
        if (table != null) {
            if (!Files.isRegularFile(table)) {
                spec.commandLine().getErr().println("isoflop: --table " + table + " is not a file");
                return ExitCodes.BAD_INPUT;
            }
            List<String> options = new ArrayList<>(fitter.arguments());
            options.addAll(grouping());
            input = FitInput.table(table.toAbsolutePath()).with(options);
        } else if (Files.isRegularFile(store.planFile())) { // a sweep: its metrics where its plan says (a store, say)
            IsoFlopPlan plan = PlanJson.read(store.planFile());
            input = FitInput.metrics(plan.metricsLocation()).with(fitter.arguments());
            target = plan.fitTarget();
        } else if (!Files.isDirectory(MetricsLayout.ofSweep(anchor))) {
            spec.commandLine().getErr().println("isoflop: " + MetricsLayout.ofSweep(anchor)
                    + " does not exist: SWEEP_DIR must be a sweep directory (e.g. sweeps/quickstart)");
            return ExitCodes.BAD_INPUT;
        } else {
            input = FitInput.metrics(MetricsLayout.ofSweep(anchor).toString()).with(fitter.arguments());
        }
        if (out != null) {
            target = FitTarget.directory(out.toAbsolutePath());
        }
        try {
            LocalProcessLauncher launcher = LocalProcessLauncher.ofInstallation(store, IsoflopHome.resolve());
            return FitStep.run(launcher, input, target, target.localDir().resolve("fitter.log").toString(),
                    spec.commandLine().getOut());
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("isoflop: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    /** The table grouping options given, as fitter arguments (the fitter validates them and names the bad one). */
    private List<String> grouping() {
        List<String> arguments = new ArrayList<>();
        if (budgets != null) {
            arguments.addAll(List.of("--budgets", budgets));
        }
        if (groupBudgets != null) {
            arguments.addAll(List.of("--group-budgets", groupBudgets));
        }
        if (budgetGap != null) {
            arguments.addAll(List.of("--budget-gap", budgetGap));
        }
        if (budgetTolerance != null) {
            arguments.addAll(List.of("--budget-tolerance", budgetTolerance));
        }
        return arguments;
    }
}
