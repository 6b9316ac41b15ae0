package io.isoflop.scheduler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code isoflop scheduler}: the long-running service (for a cluster). */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "The scheduler as a service on a Kubernetes cluster (see k8s/scheduler.yaml).",
        subcommands = {ServeCommand.class})
final class SchedulerCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
