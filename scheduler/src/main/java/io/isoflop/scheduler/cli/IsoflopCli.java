package io.isoflop.scheduler.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code isoflop} command. */
@Command(
        name = "isoflop",
        mixinStandardHelpOptions = true,
        version = "isoflop 0.1.0",
        description = {
            "Turns a compute budget into a scaling-law study: plans an IsoFLOP grid of training runs, trains"
                    + " them (local worker processes by default) and fits the compute-optimal frontier"
                    + " N_opt(C), D_opt(C).",
            "",
            "Start with:",
            "  isoflop plan examples/quickstart.yaml     # print the grid",
            "  isoflop sweep examples/quickstart.yaml    # train and fit (~6 min on 2 cores)",
            "  isoflop status sweeps/quickstart          # where a sweep stands",
            ""
        },
        subcommands = {PlanCommand.class, SweepCommand.class, FitCommand.class, OvertrainCommand.class,
            StatusCommand.class, SubmitCommand.class, SchedulerCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done", "1:unexpected error", "2:bad input (usage, spec validation, sweep directory)",
            "3:some runs failed after every attempt", "4:the fitter failed",
            "5:another isoflop process drives this sweep",
            "6:the cluster cannot be reached or does not serve IsoFlopSweep"
        })
public final class IsoflopCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new IsoflopCli())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("isoflop: " + e.getMessage());
                    return ExitCodes.INTERNAL;
                });
        return commandLine.execute(args);
    }
}
