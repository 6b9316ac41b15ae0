package io.isoflop.scheduler.cli;

import io.isoflop.contracts.SimulatedLaw;
import io.isoflop.fitter.fit.InferenceOptimum;
import io.isoflop.fitter.fit.Interval;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.isoflop.scheduler.study.ConfirmingSpec;
import io.isoflop.scheduler.study.FrontierResults;
import io.isoflop.scheduler.study.OvertrainPlan;
import io.isoflop.scheduler.study.PriorLaw;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "overtrain", mixinStandardHelpOptions = true,
        description = {"The model that is cheapest over training plus serving (Sardana & Frankle 2024): from a fitted"
                + " law and the tokens the model will serve, the N and D that reach a target loss with the least"
                + " 6·N·D + 2·N·T FLOPs, with 95%% intervals, and a budget spec of the runs that would confirm it.",
            "SWEEP is a sweep directory (its fit/frontier.json and spec.yaml) or a frontier.json (then give --spec)."})
final class OvertrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", description = "a fitted sweep directory, or its frontier.json")
    Path input;

    @Option(names = "--inference-tokens", paramLabel = "T", required = true,
            description = "tokens the model will serve over its life, e.g. 2e13")
    double inferenceTokens;

    @Option(names = "--target-loss", paramLabel = "L", description = "the loss to reach (default: the compute-optimal"
            + " loss at --budget)")
    Double targetLoss;

    @Option(names = "--budget", paramLabel = "FLOPS", description = "reach the loss the compute-optimal model of"
            + " this training budget reaches (default: 100x the sweep's largest budget)")
    Double budget;

    @Option(names = "--spec", paramLabel = "FILE", description = "the spec the confirming runs start from (default:"
            + " the sweep directory's spec.yaml)")
    Path baseSpec;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the confirming runs' spec (default:"
            + " <sweep name>-overtrain.yaml here)")
    Path out;

    @Option(names = "--sizes", defaultValue = "5", description = "confirming model sizes (default ${DEFAULT-VALUE})")
    int sizes;

    @Option(names = "--spread", defaultValue = "0.5", description = "decades either side of N* (default"
            + " ${DEFAULT-VALUE})")
    double spread;

    @Option(names = "--replicates", defaultValue = "200", description = "parametric bootstrap replicates behind the"
            + " intervals (default ${DEFAULT-VALUE})")
    int replicates;

    @Option(names = "--seed", defaultValue = "1", description = "the replicates' seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path frontier = Files.isDirectory(input) ? input.resolve("fit").resolve("frontier.json") : input;
        Path base = baseSpec != null ? baseSpec : Files.isDirectory(input) ? input.resolve("spec.yaml") : null;
        if (!Files.isRegularFile(frontier)) {
            err.println("isoflop overtrain: " + frontier + " is not a file: give a fitted sweep directory or its"
                    + " frontier.json");
            return ExitCodes.BAD_INPUT;
        }
        if (base == null || !Files.isRegularFile(base)) {
            err.println("--spec: expected the budget spec the confirming runs start from" + (base == null ? ""
                    : ", " + base + " is not a file"));
            return ExitCodes.BAD_INPUT;
        }
        if (targetLoss != null && budget != null) {
            err.println("isoflop overtrain: give --target-loss or --budget, not both");
            return ExitCodes.BAD_INPUT;
        }
        if (!(inferenceTokens >= 0) || sizes < 3 || !(spread > 0) || replicates < 2) {
            err.println("isoflop overtrain: expected --inference-tokens ≥ 0, --sizes ≥ 3, --spread > 0 and"
                    + " --replicates ≥ 2");
            return ExitCodes.BAD_INPUT;
        }
        SimulatedLaw law;
        List<RunResult> runs;
        try {
            law = PriorLaw.fromFrontier(frontier);
            runs = FrontierResults.read(frontier);
        } catch (IllegalArgumentException e) {
            err.println("isoflop overtrain: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        ParametricLaw fitted = PriorLaw.parametric(law);
        double largest = runs.stream().mapToDouble(RunResult::budgetFlops).max().orElse(Double.NaN);
        double lossTarget = targetLoss != null ? targetLoss
                : fitted.optimalLoss(budget != null ? budget : 100 * largest);
        OvertrainPlan plan;
        try {
            plan = OvertrainPlan.of(law, runs, lossTarget, inferenceTokens, replicates, seed);
        } catch (IllegalArgumentException e) {
            err.println("isoflop overtrain: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        print(plan, law, frontier, stdout);
        ConfirmingSpec.Rendered confirming;
        try {
            confirming = ConfirmingSpec.render(Files.readString(base, StandardCharsets.UTF_8), base.toString(),
                    plan.estimate(), sizes, spread, Path.of("").toAbsolutePath());
        } catch (SpecValidationException e) {
            err.println("the confirming runs cannot be planned from " + base + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Path target = out != null ? out : Path.of(confirming.sweep() + ".yaml");
        Files.writeString(target, confirming.yaml(), StandardCharsets.UTF_8);
        stdout.println("confirming runs: " + target + " (run: isoflop sweep " + target + ")");
        stdout.flush();
        return ExitCodes.OK;
    }

    private void print(OvertrainPlan plan, SimulatedLaw law, Path frontier, PrintWriter stdout) {
        InferenceOptimum o = plan.estimate();
        stdout.printf(Locale.ROOT, "law from %s: L(N,D) = %.4g + %.4g/N^%.4g + %.4g/D^%.4g (runs scatter %.2f%%)%n",
                frontier, law.e(), law.a(), law.alpha(), law.b(), law.beta(), 100 * law.runNoise());
        stdout.printf(Locale.ROOT, "target loss %.4f (the compute-optimal loss at %.3g FLOPs), %.3g inference tokens%n",
                o.targetLoss(), o.budgetFlops(), o.inferenceTokens());
        stdout.printf(Locale.ROOT, "%-22s %12s %28s%n", "", "estimate", "95% interval (" + plan.replicates()
                + " replicates)");
        row(stdout, "N*", plan.parameters());
        row(stdout, "D*", plan.tokens());
        row(stdout, "train+inference FLOPs", plan.totalFlops());
        stdout.printf(Locale.ROOT, "tokens per parameter %.1f; training %.3g FLOPs, inference %.3g FLOPs; the"
                        + " compute-optimal model (N %.3g) would cost %.3g in all: %.1f%% saved%n",
                o.tokens() / o.parameters(), o.trainingFlops(), o.inferenceFlops(),
                PriorLaw.parametric(law).optimalParameters(o.budgetFlops()),
                o.computeOptimalTotalFlops(), 100 * (1 - o.totalFlops() / o.computeOptimalTotalFlops()));
    }

    private static void row(PrintWriter stdout, String name, Interval interval) {
        stdout.printf(Locale.ROOT, "%-22s %12.4g %13.4g – %-13.4g%n", name, interval.estimate(), interval.lower(),
                interval.upper());
    }
}
