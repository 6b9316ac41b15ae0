package io.isoflop.scheduler.launch.local;

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

    /** JVM options Spark needs on JDK 17 (what spark-submit adds). */
    static final List<String> SPARK_JVM_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions", "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true", "-Djava.awt.headless=true");

    public static ProcessCommand worker(Path home) {
        return new ProcessCommand(currentJava(), List.of("-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true"),
                moduleClassPath(home, "worker", "isoflop-worker.jar"), WORKER_MAIN);
    }

    public static ProcessCommand fitter(Path home) {
        List<String> options = new ArrayList<>(List.of("-Xmx2g"));
        options.addAll(SPARK_JVM_OPTIONS);
        return new ProcessCommand(currentJava(), options, moduleClassPath(home, "fitter", "isoflop-fitter.jar"),
                FITTER_MAIN);
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

    private static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
