package io.isoflop.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts the packaged worker ({@code target/isoflop-worker.jar} and {@code target/lib}) as its own JVM. */
final class WorkerProcess {
    static final Path TARGET = Path.of(System.getProperty("isoflop.worker.target", "target")).toAbsolutePath();

    private WorkerProcess() {}

    static boolean isPackaged() {
        return Files.isRegularFile(TARGET.resolve("isoflop-worker.jar")) && Files.isDirectory(TARGET.resolve("lib"));
    }

    static Process start(Path spec, Path log, Map<String, String> environment) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp",
                TARGET.resolve("isoflop-worker.jar") + ":" + TARGET.resolve("lib") + "/*",
                "io.isoflop.worker.WorkerMain", "--spec", spec.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    static List<String> lines(Path log) throws IOException {
        return Files.readAllLines(log);
    }
}
