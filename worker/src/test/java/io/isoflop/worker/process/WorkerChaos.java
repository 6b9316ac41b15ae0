package io.isoflop.worker.process;

import io.isoflop.contracts.CheckpointPolicy;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.TrainingRecipe;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.worker.TestRuns;
import io.isoflop.worker.sink.MetricFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.example.data.Group;

/**
 * Worker chaos: one run, trained once without interruption for reference, then trained again as its own process
 * that is SIGKILLed or SIGTERMed at random instants (JVM start, loading, mid-step, mid-checkpoint, while writing
 * metrics) and started again with the same run spec each time, until it finishes. The {@link Figures} say how each
 * interruption ended, where each restart resumed, and whether the metrics hold every step exactly once and the
 * same final loss. Used by {@code WorkerProcessIT} (CI size) and {@code bench/chaos.sh} ({@link #main}).
 */
public final class WorkerChaos {
    private static final Pattern RESUMED = Pattern.compile("resuming from the checkpoint at step (\\d+)");
    private static final long STEPS = 1500;
    private static final long CHECKPOINT_EVERY = 100;

    /** What one session saw. {@link #clean()} when nothing was lost, doubled or changed by the interruptions. */
    public record Figures(int sigkills, int sigterms, List<String> unexpectedExits, List<Long> resumedFrom,
            long steps, long rows, long uniqueSteps, long duplicateSteps, long missingSteps, double finalLoss,
            double uninterruptedFinalLoss, int metricParts, boolean checkpointsRemoved, long seconds) {

        public double lossDifference() {
            return Math.abs(finalLoss - uninterruptedFinalLoss);
        }

        public boolean clean() {
            return unexpectedExits.isEmpty() && duplicateSteps == 0 && missingSteps == 0 && lossDifference() <= 1e-3
                    && checkpointsRemoved && metricParts <= maxMetricFiles();
        }

        /** A part per checkpoint (every {@value #CHECKPOINT_EVERY} steps, and one per SIGTERM) and the final file. */
        public long maxMetricFiles() {
            return steps / CHECKPOINT_EVERY + sigterms + 1;
        }

        public String report() {
            return String.format(Locale.ROOT, """
                    worker chaos: %d steps, checkpoint every %d; %d interruptions at random instants: %d SIGKILL, %d SIGTERM; %d s
                    restarts resumed from steps %s
                    metric rows %d, unique steps %d, steps twice %d, steps missing %d, metric files %d (at most %d)
                    final held-out loss %.6f vs %.6f uninterrupted (|diff| %.1e); checkpoints removed: %s
                    exits that were neither the signal's nor the worker's own: %d %s""",
                    steps, CHECKPOINT_EVERY, sigkills + sigterms, sigkills, sigterms, seconds, resumedFrom, rows,
                    uniqueSteps, duplicateSteps, missingSteps, metricParts, maxMetricFiles(), finalLoss, uninterruptedFinalLoss,
                    lossDifference(), checkpointsRemoved, unexpectedExits.size(), unexpectedExits);
        }
    }

    private WorkerChaos() {}

    /** ~1,500 steps of a tiny model: long enough to be interrupted several times, a checkpoint every 100 steps. */
    static RunSpec run(Path metricsDir) {
        RunSpec base = TestRuns.tinyRun(metricsDir, STEPS * 8 * 64, 8);
        // half the tiny run's peak learning rate: at 6e-3 this d_model-32 model sat at the edge of divergence, and
        // one full-suite run (2026-12-04) diverged at step 129 from CPU rounding alone; these runs test resuming
        TrainingRecipe r = base.training();
        TrainingRecipe steady = new TrainingRecipe(r.batchSequences(), r.steps(), r.peakLearningRate() / 2,
                r.minLearningRateRatio(), r.warmupSteps(), r.beta1(), r.beta2(), r.epsilon(), r.weightDecay());
        return new RunSpec(base.schemaVersion(), base.sweep(), base.runId(), base.budgetFlops(), base.flopConvention(),
                base.parameterCount(), base.shape(), base.parameters(), base.tokens(), base.flopsPerToken(),
                steady, base.data(), base.evalIntervalTokens(), base.seed(), base.resources(), base.metricsDir(),
                new CheckpointPolicy(CHECKPOINT_EVERY, 0, false));
    }

    /**
     * Trains the run uninterrupted in {@code dir/whole}, then again in {@code dir/metrics} with up to
     * {@code interruptions} SIGKILLs and SIGTERMs (alternating, the first chosen at random) at random instants
     * after each start, within 45 % of the uninterrupted run's wall time (less when there are many interruptions:
     * two seconds of start-up and twice the run's time divided by their number), so that they land anywhere from
     * JVM start to the last steps.
     */
    public static Figures session(Path dir, int interruptions, long seed) throws Exception {
        long started = System.nanoTime();
        Random random = new Random(seed);
        RunSpec whole = run(dir.resolve("whole"));
        Path wholeSpec = dir.resolve("whole.json");
        RunSpecCodec.write(whole, wholeSpec);
        long wholeStarted = System.nanoTime();
        Process uninterrupted = WorkerProcess.start(wholeSpec, dir.resolve("whole.log"), Map.of());
        int wholeExit = exit(uninterrupted);
        long wholeMillis = (System.nanoTime() - wholeStarted) / 1_000_000;
        // room for about two interruptions per run's worth of progress, and at most 45 % of the whole run, so that
        // a restarted run always has more left than one window (a second interruption surely lands)
        int windowMillis = (int) Math.max(1000, Math.min(wholeMillis * 45 / 100,
                2 * wholeMillis / Math.max(1, interruptions) + 2000));
        if (wholeExit != 0) {
            throw new IllegalStateException("the uninterrupted run exited " + wholeExit + ":\n"
                    + String.join("\n", WorkerProcess.lines(dir.resolve("whole.log"))));
        }

        RunSpec spec = run(dir.resolve("metrics"));
        Path specFile = dir.resolve("run.json");
        RunSpecCodec.write(spec, specFile);
        Path log = dir.resolve("worker.log");
        Path metrics = Path.of(spec.metricsDir());
        int sigkills = 0;
        int sigterms = 0;
        boolean kill = random.nextBoolean();
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < interruptions; i++, kill = !kill) {
            Process worker = WorkerProcess.start(specFile, log, Map.of());
            if (worker.waitFor(300 + random.nextInt(windowMillis), TimeUnit.MILLISECONDS)) {
                if (worker.exitValue() != 0) {
                    unexpected.add("exit " + worker.exitValue() + " uninterrupted");
                }
                break; // finished before this interruption
            }
            if (kill) {
                worker.destroyForcibly();
                sigkills++;
                int code = exit(worker);
                if (code != 137) {
                    unexpected.add("exit " + code + " after SIGKILL");
                }
            } else {
                worker.destroy();
                sigterms++;
                int code = exit(worker);
                if (code != Exit.PREEMPTED.code() && code != Exit.DONE.code()) {
                    unexpected.add("exit " + code + " after SIGTERM");
                }
            }
        }
        if (!MetricsLayout.isFinished(metrics, spec.runId())) {
            int last = exit(WorkerProcess.start(specFile, log, Map.of()));
            if (last != 0) {
                unexpected.add("exit " + last + " of the last, uninterrupted start: "
                        + String.join("\n", WorkerProcess.lines(log)));
            }
        }

        Map<Long, Integer> timesByStep = new HashMap<>();
        List<Group> rows = MetricFiles.rowsOfRun(metrics, spec.runId());
        long trainingRows = 0;
        for (Group row : rows) {
            if (!row.getBoolean(MetricsSchema.IS_FINAL, 0)) {
                timesByStep.merge(row.getLong(MetricsSchema.STEP, 0), 1, Integer::sum);
                trainingRows++;
            }
        }
        long steps = whole.training().steps();
        long duplicates = timesByStep.values().stream().filter(n -> n > 1).count();
        long missing = java.util.stream.LongStream.rangeClosed(1, steps).filter(s -> !timesByStep.containsKey(s))
                .count();
        return new Figures(sigkills, sigterms, unexpected, resumes(log), steps, trainingRows, timesByStep.size(),
                duplicates, missing, finalLoss(metrics, spec.runId()), finalLoss(dir.resolve("whole"), whole.runId()),
                MetricFiles.ofRun(metrics, spec.runId()).size(),
                Files.notExists(MetricsLayout.checkpointDir(metrics, spec.runId())),
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    private static List<Long> resumes(Path log) throws IOException {
        List<Long> steps = new ArrayList<>();
        Matcher m = RESUMED.matcher(String.join("\n", WorkerProcess.lines(log)));
        while (m.find()) {
            steps.add(Long.parseLong(m.group(1)));
        }
        return steps;
    }

    static double finalLoss(Path metricsDir, String runId) throws IOException {
        return MetricFiles.rowsOfRun(metricsDir, runId).stream().filter(r -> r.getBoolean(MetricsSchema.IS_FINAL, 0))
                .mapToDouble(r -> r.getDouble(MetricsSchema.EVAL_LOSS, 0)).findFirst().orElse(Double.NaN);
    }

    static int exit(Process process) throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the worker did not end within 5 minutes");
        }
        return process.exitValue();
    }

    /** {@code WorkerChaos INTERRUPTIONS [SEED]}: prints the figures; exits 1 unless clean. */
    public static void main(String[] args) throws Exception {
        int interruptions = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        System.out.println("seed " + seed);
        Path dir = Files.createTempDirectory("isoflop-worker-chaos-");
        Figures figures = session(dir, interruptions, seed);
        System.out.println(figures.report());
        System.exit(figures.clean() ? 0 : 1);
    }
}
