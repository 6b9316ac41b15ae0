package io.isoflop.scheduler.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code isoflop} command in a JVM of its own (the packaged scheduler), so that a test can SIGKILL it. */
public final class SchedulerProcess {
    private static final Path HOME = Path.of(System.getProperty("isoflop.home", "..")).toAbsolutePath().normalize();

    private SchedulerProcess() {}

    /** Starts {@code isoflop <arguments>}, its output (both streams) in {@code log}. */
    public static Process start(Path log, String... arguments) throws IOException {
        return start(List.of(), Map.of(), log, arguments);
    }

    /** As {@link #start}, with {@code environment} added to this process's. */
    public static Process start(Path log, Map<String, String> environment, String... arguments) throws IOException {
        return start(List.of(), environment, log, arguments);
    }

    /**
     * As {@link #start}, with SIGINT handled as in a terminal. A build run in the background (CI, {@code nohup})
     * hands its children SIGINT ignored, and an ignored signal stays ignored across exec; coreutils' {@code env}
     * puts it back to the default so that the JVM takes it, as it does when a person presses Ctrl-C.
     */
    public static Process startAsFromATerminal(Path log, String... arguments) throws IOException {
        return start(List.of("env", "--default-signal=INT"), Map.of(), log, arguments);
    }

    private static Process start(List<String> prefix, Map<String, String> environment, Path log, String... arguments)
            throws IOException {
        Path target = HOME.resolve("scheduler/target");
        String classPath = target.resolve("isoflop-scheduler.jar") + File.pathSeparator + target.resolve("lib") + "/*";
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Disoflop.home=" + HOME, "-cp", classPath, IsoflopCli.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }
}
