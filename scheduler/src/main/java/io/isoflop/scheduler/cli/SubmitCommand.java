package io.isoflop.scheduler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.isoflop.scheduler.launch.k8s.ApiCalls;
import io.isoflop.scheduler.service.IsoFlopSweeps;
import io.isoflop.scheduler.spec.BudgetSpec;
import io.isoflop.scheduler.spec.BudgetSpecLoader;
import io.isoflop.scheduler.spec.SpecValidationException;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Create or update the IsoFlopSweep resource of a budget spec on the cluster; the scheduler"
                + " service (isoflop scheduler serve, the Helm chart's Deployment) drives it.",
            "The spec is validated here first, and the API server refuses what its schema does not allow. The"
                + " resource is named after sweep.name. Watch it with `kubectl get isoflopsweeps` or"
                + " `isoflop status --cluster NAME`."})
final class SubmitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SPEC", description = "the budget spec (YAML)")
    Path specFile;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "isoflop",
            description = "namespace the scheduler service watches (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the pod's service account)")
    Path kubeconfig;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BudgetSpec budget;
        JsonNode tree;
        try {
            budget = BudgetSpecLoader.load(specFile);
            tree = new YAMLMapper().readTree(specFile.toFile());
        } catch (SpecValidationException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        String name = budget.sweep().name();
        JsonObject specJson = JsonParser.parseString(((ObjectNode) tree).toString()).getAsJsonObject();
        IsoFlopSweeps sweeps = new IsoFlopSweeps(KubernetesBackend.client(kubeconfig), new ApiCalls(code -> { }),
                namespace);
        try {
            Optional<JsonObject> existing = sweeps.get(name);
            if (existing.isEmpty()) {
                JsonObject resource = new JsonObject();
                resource.addProperty("apiVersion", IsoFlopSweeps.API_VERSION);
                resource.addProperty("kind", IsoFlopSweeps.KIND);
                JsonObject metadata = new JsonObject();
                metadata.addProperty("name", name);
                metadata.addProperty("namespace", namespace);
                resource.add("metadata", metadata);
                resource.add("spec", specJson);
                sweeps.create(resource);
                out.println("created " + IsoFlopSweeps.KIND + " " + namespace + "/" + name);
                return ExitCodes.OK;
            }
            JsonObject resource = existing.get();
            if (specJson.equals(resource.get("spec"))) {
                out.println(IsoFlopSweeps.KIND + " " + namespace + "/" + name + " unchanged");
                return ExitCodes.OK;
            }
            resource.add("spec", specJson);
            resource.remove("status");
            sweeps.replace(resource);
            out.println("updated " + IsoFlopSweeps.KIND + " " + namespace + "/" + name + " (a changed spec is a new"
                    + " plan: a sweep that already ran keeps its grid, and refuses another under the same name)");
            return ExitCodes.OK;
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                err.println("isoflop: the cluster does not serve " + IsoFlopSweeps.PLURAL + "." + IsoFlopSweeps.GROUP
                        + " in namespace " + namespace + ": install the chart (helm install isoflop k8s/chart) or its"
                        + " CRD (kubectl apply -f k8s/chart/crds/)");
                return ExitCodes.UNAVAILABLE;
            }
            if (e.getCode() == 422 || e.getCode() == 400) {
                err.println("isoflop: the API server refused the " + IsoFlopSweeps.KIND + " " + name + ": "
                        + e.getResponseBody());
                return ExitCodes.BAD_INPUT;
            }
            err.println("isoflop: cannot submit " + name + ": HTTP " + e.getCode() + " " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
    }
}
