package io.isoflop.scheduler.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the deployment-artefact tests: where the repository is, YAML parsing, external tools. */
final class DeployFiles {
    /** The repository root: failsafe sets isoflop.home; surefire runs in scheduler/. */
    static final Path HOME = Path.of(System.getProperty("isoflop.home", "..")).toAbsolutePath().normalize();
    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {}

    static Path repo(String relative) {
        return HOME.resolve(relative);
    }

    static JsonNode yaml(String relative) throws IOException {
        return YAML.readTree(repo(relative).toFile());
    }

    /** Every document of a multi-document YAML file. */
    static List<JsonNode> yamlDocuments(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode node = iterator.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }

    /** The executable on PATH (or in the extra folders), if any. */
    static Optional<Path> findExecutable(String name, String... extraDirs) {
        List<String> dirs = new ArrayList<>(List.of(extraDirs));
        dirs.addAll(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Skips the calling test when a tool is missing, or fails it when {@code requiredFlag} (an environment
     * variable CI sets once it installed the tool) is {@code true}.
     */
    static void assumeTool(boolean present, String requiredFlag, String message) {
        if (!present && "true".equals(System.getenv(requiredFlag))) {
            throw new IllegalStateException(message + " (and " + requiredFlag + "=true)");
        }
        assumeTrue(present, message + "; set " + requiredFlag + "=true to make this a failure");
    }

    record Result(int exitCode, String output) {}

    /** Runs a command in the repository root and returns its exit code and merged output (killed on timeout). */
    static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("isoflop-deploy-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
