package io.isoflop.scheduler.cli;

import io.isoflop.scheduler.plan.IsoFlopPlan;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.plan.PlanJson;
import io.isoflop.scheduler.plan.PlanTable;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.nio.file.Path;
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

    @Override
    public Integer call() {
        try {
            BudgetSpec budget = BudgetSpecLoader.load(specFile);
            IsoFlopPlan plan = IsoFlopPlanner.plan(budget, budget.sweep().directory());
            spec.commandLine().getOut().print(json ? PlanJson.render(plan) : PlanTable.render(plan));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (SpecValidationException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
