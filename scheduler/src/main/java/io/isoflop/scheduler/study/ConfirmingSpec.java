package io.isoflop.scheduler.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.isoflop.fitter.fit.InferenceOptimum;
import io.isoflop.scheduler.plan.IsoFlopPlanner;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The budget spec of the runs that confirm an over-training optimum (N*, D*): the sweep's own spec with one IsoFLOP
 * budget, the optimum's training FLOPs 6·N*·D*, and {@code sizes} model sizes log-spaced within ± {@code spread}
 * decades of N* (N* itself in the middle for an odd count). The middle run checks the predicted loss at (N*, D*);
 * its neighbours on the same budget show the loss the optimum gives up against the compute-optimal size, the price
 * of the cheaper inference. Everything else (data, shape rule, optimizer, resources, simulate) is the sweep's; the
 * {@code adaptive} section is dropped. The result is validated and planned before it is returned.
 */
public final class ConfirmingSpec {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private ConfirmingSpec() {}

    /** The confirming runs' spec: its sweep name and its YAML. */
    public record Rendered(String sweep, String yaml) {}

    /**
     * @param baseYaml the sweep's spec
     * @param workingDir where relative paths of the spec resolve (to plan it)
     * @throws SpecValidationException when the confirming grid cannot be planned (e.g. sizes too close for distinct
     *     shapes), naming the field
     */
    public static Rendered render(String baseYaml, String baseSource, InferenceOptimum optimum, int sizes,
            double spread, Path workingDir) throws IOException, SpecValidationException {
        BudgetSpecLoader.parse(baseYaml, baseSource); // the base must be valid to start with
        ObjectNode root = (ObjectNode) YAML.readTree(baseYaml);
        ObjectNode sweep = (ObjectNode) root.path("sweep");
        String baseName = sweep.path("name").asText();
        String name = baseName + "-overtrain";
        sweep.put("name", name);
        root.remove("adaptive");
        double budget = round(6 * optimum.parameters() * optimum.tokens());
        ObjectNode budgets = root.putObject("budgets");
        budgets.putArray("flops").add(budget);
        ObjectNode models = root.putObject("models");
        models.put("per_budget", sizes);
        ObjectNode parameters = models.putObject("parameters");
        parameters.put("min", round(optimum.parameters() * Math.pow(10, -spread)));
        parameters.put("max", round(optimum.parameters() * Math.pow(10, spread)));
        JsonNode limits = root.path("limits");
        if (limits instanceof ObjectNode limitsNode && limitsNode.path("max_runs").asInt(Integer.MAX_VALUE) < sizes) {
            limitsNode.put("max_runs", sizes);
        }
        String header = String.format(Locale.ROOT, "# Confirming runs for the over-training optimum of sweep %s:"
                        + " N* = %.4g, D* = %.4g (%.1f tokens/parameter) reach loss %.4f with %.3g training and %.3g"
                        + " inference FLOPs for %.3g inference tokens.%n# One IsoFLOP budget at 6·N*·D* with %d sizes"
                        + " within ±%.2f decades of N*; the rest is the sweep's own spec. Run: isoflop sweep <this"
                        + " file>%n", baseName, optimum.parameters(),
                optimum.tokens(), optimum.tokens() / optimum.parameters(), optimum.targetLoss(),
                optimum.trainingFlops(), optimum.inferenceFlops(), optimum.inferenceTokens(), sizes, spread);
        String yaml = header + YAML.writeValueAsString(root);
        IsoFlopPlanner.plan(BudgetSpecLoader.parse(yaml, name + ".yaml"), workingDir.resolve("sweeps").resolve(name));
        return new Rendered(name, yaml);
    }

    /** 3 significant digits: budgets and sizes that read well in run ids. */
    private static double round(double value) {
        return new BigDecimal(value).round(new MathContext(3)).doubleValue();
    }
}
