package io.isoflop.scheduler.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonObject;
import io.isoflop.contracts.RunSpec;
import io.isoflop.scheduler.launch.FitTarget;
import io.isoflop.scheduler.launch.FitterRun;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what a drive does into its {@code IsoFlopSweep}: the status (phase, conditions, runs and FLOPs done, the
 * fitted exponents) and events. A phase is written at once; progress at most every {@value #PROGRESS_MILLIS} ms
 * (and at every heartbeat), so a sweep of thousands of runs does not flood the API server.
 */
final class ResourceReporter implements SweepReporter {
    private static final long PROGRESS_MILLIS = 2000;

    private final IsoFlopSweeps sweeps;
    private final String name;
    private final long generation;
    private final SweepStatus status;
    private final SweepEvents events;
    private final PrintWriter out;
    private final Map<String, Double> planned = new HashMap<>();
    private final Map<String, Double> done = new HashMap<>();
    private boolean dirty;
    private long lastWrite;

    ResourceReporter(IsoFlopSweeps sweeps, String name, long generation, SweepStatus status, SweepEvents events,
            PrintWriter out) {
        this.sweeps = sweeps;
        this.name = name;
        this.generation = generation;
        this.status = status;
        this.events = events;
        this.out = out;
    }

    @Override
    public synchronized void planned(List<RunSpec> runs) {
        for (RunSpec run : runs) {
            planned.put(run.runId(), run.plannedFlops());
        }
        progress();
    }

    @Override
    public void alreadyDone(RunSpec run) {
        succeeded(run);
    }

    @Override
    public synchronized void succeeded(RunSpec run) {
        done.put(run.runId(), run.plannedFlops());
        progress();
        if (System.currentTimeMillis() - lastWrite >= PROGRESS_MILLIS) {
            write();
        }
    }

    @Override
    public void retrying(RunSpec run, String log) {
        events.warning("RunRetrying", "run " + run.runId() + ": the attempt failed and is retried; " + lastLine(log));
    }

    @Override
    public void failed(RunSpec run, String log) {
        events.warning("RunFailed", "run " + run.runId() + " failed after every attempt; " + lastLine(log));
    }

    @Override
    public synchronized void snapshot(int running) {
        if (dirty && System.currentTimeMillis() - lastWrite >= PROGRESS_MILLIS) {
            write();
        }
    }

    @Override
    public synchronized void phase(SweepStatus.Phase phase, String reason, String detail) {
        SweepStatus.Phase before = status.phase();
        status.phase(phase, reason, detail, generation, Instant.now());
        write();
        if (before == phase) {
            return;
        }
        switch (phase) {
            case Done -> events.normal("FitDone", detail);
            case Failed, Stopped -> events.warning(reason, detail);
            case Fitting -> events.normal("Fitting", detail);
            case Running -> events.normal("Running", detail);
            default -> { }
        }
    }

    @Override
    public synchronized void fitted(FitTarget target, Path frontier) {
        JsonObject exponents = new JsonObject();
        try {
            JsonNode laws = new ObjectMapper().readTree(frontier.toFile()).path("powerLaws");
            put(exponents, "a", laws.path("nOpt").path("exponent"));
            put(exponents, "aStderr", laws.path("nOpt").path("stderr"));
            put(exponents, "b", laws.path("dOpt").path("exponent"));
            put(exponents, "bStderr", laws.path("dOpt").path("stderr"));
        } catch (IOException e) {
            out.println("sweep " + name + ": cannot read " + frontier + ": " + e.getMessage());
        }
        status.fitted(target.report(), target.onObjectStore() ? target.output() + "/" + FitterRun.FRONTIER_FILE
                : frontier.toString(), exponents);
        dirty = true;
    }

    @Override
    public void unschedulable(Map<String, String> stuck) {
        stuck.forEach((job, reason) -> events.warningOnce("Unschedulable", "Job " + job + " cannot be placed: "
                + reason));
    }

    private static void put(JsonObject into, String key, JsonNode value) {
        if (value.isNumber() && Double.isFinite(value.asDouble())) {
            into.addProperty(key, value.asDouble());
        }
    }

    private void progress() {
        status.progress(done.size(), Math.max(planned.size(), done.size()),
                done.values().stream().mapToDouble(Double::doubleValue).sum(),
                planned.values().stream().mapToDouble(Double::doubleValue).sum());
        dirty = true;
    }

    private void write() {
        try {
            sweeps.patchStatus(name, status.toJson());
            dirty = false;
            lastWrite = System.currentTimeMillis();
        } catch (ApiException e) {
            out.println("sweep " + name + ": cannot write its status: HTTP " + e.getCode() + " " + e.getResponseBody());
        }
    }

    private static String lastLine(String log) {
        if (log == null || log.isBlank()) {
            return "no log";
        }
        String[] lines = log.strip().split("\n");
        return lines[lines.length - 1];
    }
}
