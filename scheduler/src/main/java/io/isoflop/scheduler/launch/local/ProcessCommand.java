package io.isoflop.scheduler.launch.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start the worker and fitter JVMs of an isoflop installation: the same Java, a module's jar plus its
 * {@code lib/} directory as class path, the entrypoint class. The installation root is {@code isoflop.home}
 * (set by the {@code isoflop} launcher script; the repository root after {@code mvn package}).
 */
public record ProcessCommand(String javaBinary, List<String> jvmOptions, String classPath, String mainClass) {

    public static final String WORKER_MAIN = "io.isoflop.worker.WorkerMain";
    public static final String FITTER_MAIN = "io.isoflop.fitter.FitterMain";

    public static ProcessCommand worker(Path home) {
        return new ProcessCommand(currentJava(), List.of("-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true"),
                moduleClassPath(home, "worker", "isoflop-worker.jar"), WORKER_MAIN);
    }

    /** The fitter JVM: the Spark flags its build wrote to {@code fitter/target/jvm.options}, then a 2 GiB heap. */
    public static ProcessCommand fitter(Path home) {
        String classPath = moduleClassPath(home, "fitter", "isoflop-fitter.jar");
        List<String> options = new ArrayList<>(jvmOptions(home.resolve("fitter").resolve("target").resolve(
                "jvm.options")));
        options.add("-Xmx2g");
        return new ProcessCommand(currentJava(), options, classPath, FITTER_MAIN);
    }

    public List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    static String moduleClassPath(Path home, String module, String jar) {
        Path target = home.resolve(module).resolve("target");
        Path jarFile = target.resolve(jar);
        if (!Files.isRegularFile(jarFile) || !Files.isDirectory(target.resolve("lib"))) {
            throw new IllegalStateException("the " + module + " module is not built: " + jarFile + " or "
                    + target.resolve("lib") + " is missing (run `mvn -DskipTests package` in " + home + ")");
        }
        return jarFile + java.io.File.pathSeparator + target.resolve("lib") + "/*";
    }

    static List<String> jvmOptions(Path file) {
        try {
            return List.of(Files.readString(file).strip().split("\\s+"));
        } catch (IOException e) {
            throw new IllegalStateException("the fitter module is not fully built: " + file + " is missing (run"
                    + " `mvn -DskipTests package`)", e);
        }
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
