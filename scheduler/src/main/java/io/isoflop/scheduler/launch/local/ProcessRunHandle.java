package io.isoflop.scheduler.launch.local;

import io.isoflop.scheduler.launch.RunHandle;
import java.util.concurrent.CompletableFuture;

/** A local worker or fitter process; for one adopted from an earlier scheduler the exit code is unknown. */
final class ProcessRunHandle implements RunHandle {
    private final String name;
    private final ProcessHandle process;
    private final CompletableFuture<Integer> exit;

    private ProcessRunHandle(String name, ProcessHandle process, CompletableFuture<Integer> exit) {
        this.name = name;
        this.process = process;
        this.exit = exit;
    }

    static ProcessRunHandle started(String name, Process process) {
        return new ProcessRunHandle(name, process.toHandle(), process.onExit().thenApply(Process::exitValue));
    }

    static ProcessRunHandle adopted(String name, ProcessHandle process) {
        return new ProcessRunHandle(name, process, process.onExit().thenApply(p -> UNKNOWN_EXIT));
    }

    long pid() {
        return process.pid();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public void cancel() {
        process.destroy();
    }
}
