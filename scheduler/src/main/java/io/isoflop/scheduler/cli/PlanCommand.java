package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.plan.PlanTable;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.scheduler.study.AdaptiveGrid;
import io.isoflop.scheduler.study.PrecisionForecast;
import io.isoflop.scheduler.study.PrecisionTable;
import io.isoflop.scheduler.study.PriorLaw;
import io.isoflop.scheduler.study.Stage;
import io.isoflop.scheduler.study.SweepStages;
import io.isoflop.scheduler.study.UniformGrid;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Validate a budget spec and print its IsoFLOP grid (budget, N, shape, D, tokens/param, FLOPs)."
                + " Nothing is trained or written.")
final class PlanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SPEC", description = "the budget spec (YAML), e.g. examples/quickstart.yaml")
    Path specFile;

    @Option(names = "--json", description = "print the plan with every run spec as JSON")
    boolean json;

    @Option(names = "--precision", description = "forecast how precise the fit will be: simulate the sweep"
            + " --repetitions times from the prior law with its noise, fit each, and print the expected 95%% interval"
            + " on a, b, N_opt and the loss at the target budgets, with the FLOPs the sweep costs")
    boolean precision;

    @Option(names = "--prior", paramLabel = "FRONTIER_JSON", description = "with --precision: the prior law and"
            + " noise from a previous sweep's frontier.json (default: the spec's simulate section)")
    Path prior;

    @Option(names = "--target", paramLabel = "FLOPS", description = "with --precision: a target budget (repeatable;"
            + " default 10x, 100x and 1000x the largest budget)")
    List<Double> targets = new ArrayList<>();

    @Option(names = "--repetitions", defaultValue = "200", description = "with --precision: simulated sweeps"
            + " (default ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--seed", defaultValue = "1", description = "with --precision: the simulation's seed"
            + " (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        try {
            BudgetSpec budget = BudgetSpecLoader.load(specFile);
            IsoFlopPlan plan = IsoFlopPlanner.plan(budget, budget.sweep().directory());
            if (precision) {
                return forecast(budget, plan);
            }
            if (budget.adaptive() != null) {
                Stage first = new AdaptiveGrid(budget, plan.sweepDir()).next(1, List.of());
                plan = new IsoFlopPlan(plan.sweep(), plan.specHash(), plan.sweepDir(), plan.maxParallel(), first.runs());
                spec.commandLine().getOut().println("adaptive grid: stage 1 (" + first.reason() + "); each later"
                        + " stage is planned from the results before it (see --precision for what it will cost)");
            }
            spec.commandLine().getOut().print(json ? PlanJson.render(plan) : PlanTable.render(plan));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (SpecValidationException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    private int forecast(BudgetSpec budget, IsoFlopPlan plan) throws SpecValidationException {
        PrintWriter err = spec.commandLine().getErr();
        if (repetitions < 2) {
            err.println("--repetitions: expected at least 2 simulated sweeps, got " + repetitions);
            return ExitCodes.BAD_INPUT;
        }
        SimulatedLaw law;
        String source;
        try {
            law = prior != null ? PriorLaw.fromFrontier(prior) : budget.simulate();
            source = prior != null ? prior.toString() : budget.source() + " (simulate)";
        } catch (IOException | IllegalArgumentException e) {
            err.println("--prior: cannot read a prior law from " + prior + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (law == null) {
            err.println(budget.source() + ": --precision needs a prior law: a simulate section in the spec (law and"
                    + " noise), or --prior with a previous sweep's frontier.json");
            return ExitCodes.BAD_INPUT;
        }
        List<Double> budgets = targets.isEmpty() ? defaultTargets(plan) : targets;
        SweepStages stages = budget.adaptive() != null ? new AdaptiveGrid(budget, plan.sweepDir())
                : new UniformGrid(plan);
        PrecisionForecast forecast = PrecisionForecast.of(stages, law, budgets, repetitions, seed);
        spec.commandLine().getOut().print(PrecisionTable.render(forecast, law, source, seed));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private static List<Double> defaultTargets(IsoFlopPlan plan) {
        double largest = plan.budgets().get(plan.budgets().size() - 1);
        return List.of(10 * largest, 100 * largest, 1000 * largest);
    }
}
