package io.isoflop.scheduler.sweep;

import io.isoflop.contracts.RunSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints one line per event: runs done/total, FLOPs done/total and an ETA from the token rate of runs that
 * finished since this invocation started (runs finished earlier count as done but not toward the rate).
 * Tokens, not FLOPs, set the pace: small models process tokens at nearly the same speed as larger ones but
 * far fewer FLOPs per second, so a FLOP-based ETA would be badly optimistic.
 */
public final class SweepProgress implements SweepObserver {
    private final PrintWriter out;
    private final int totalRuns;
    private final double totalFlops;
    private final long totalTokens;
    private final long startNanos = System.nanoTime();
    private int doneRuns;
    private int failedRuns;
    private double doneFlops;
    private long doneTokens;
    private long tokensThisInvocation;

    public SweepProgress(PrintWriter out, int totalRuns, double totalFlops, long totalTokens) {
        this.out = out;
        this.totalRuns = totalRuns;
        this.totalFlops = totalFlops;
        this.totalTokens = totalTokens;
    }

    @Override
    public void alreadyDone(RunSpec run) {
        doneRuns++;
        doneFlops += run.plannedFlops();
        doneTokens += run.tokens();
    }

    @Override
    public void following(RunSpec run) {
        event("following " + run.runId() + ", still running from an earlier start");
    }

    @Override
    public void setAside(RunSpec run, List<String> files) {
        event("set aside unreadable metrics of " + run.runId() + ": " + files + " (not whole Parquet files; the run"
                + " is trained again unless another final file is whole)");
    }

    @Override
    public void lost(RunSpec run) {
        event("restart " + run.runId() + " (its earlier attempt did not finish)");
    }

    @Override
    public void succeeded(RunSpec run) {
        alreadyDone(run);
        tokensThisInvocation += run.tokens();
        event("done   " + run.runId());
    }

    @Override
    public void retrying(RunSpec run, String log) {
        event("retry  " + run.runId() + " (attempt failed; see " + log + ")");
    }

    @Override
    public void failed(RunSpec run, String log) {
        failedRuns++;
        if (log != null) {
            event("FAILED " + run.runId() + " (see " + log + ")");
        }
    }

    @Override
    public void stopped(String reason) {
        event("STOPPED " + reason);
    }

    @Override
    public void snapshot(int running) {
        out.println(timestamp() + line(running));
    }

    private void event(String message) {
        out.println(timestamp() + message);
    }

    String line(int running) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "runs %d/%d done, %d running", doneRuns,
                totalRuns, running));
        if (failedRuns > 0) {
            line.append(", ").append(failedRuns).append(" failed");
        }
        line.append(String.format(Locale.ROOT, " | FLOPs %.2e/%.2e (%.0f%%) | elapsed %s | ETA %s", doneFlops,
                totalFlops, 100 * doneFlops / totalFlops, format(elapsed()), eta()));
        return line.toString();
    }

    private String eta() {
        long remaining = totalTokens - doneTokens;
        if (remaining <= 0) {
            return "0s";
        }
        if (tokensThisInvocation <= 0) {
            return "after the first run";
        }
        double rate = (double) tokensThisInvocation / elapsed().toMillis();
        return format(Duration.ofMillis((long) (remaining / rate)));
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private String timestamp() {
        return "[" + format(elapsed()) + "] ";
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
