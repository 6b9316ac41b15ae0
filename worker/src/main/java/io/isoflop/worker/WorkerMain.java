package io.isoflop.worker;

import io.isoflop.contracts.AtomicFiles;
import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ProcessLock;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.WorkerProtocol.Exit;
import io.isoflop.contracts.WorkerProtocol;
import io.isoflop.worker.data.BatchSampler;
import io.isoflop.worker.data.Corpus;
import io.isoflop.worker.data.CorpusLoader;
import io.isoflop.worker.device.ComputeDevice;
import io.isoflop.worker.device.DeviceProbe;
import io.isoflop.worker.device.HostAllocator;
import io.isoflop.worker.metrics.WorkerMetrics;
import io.isoflop.worker.model.ParameterCounts;
import io.isoflop.worker.simulate.SimulatedRun;
import io.isoflop.worker.sink.MetricRow;
import io.isoflop.worker.sink.RunConstants;
import io.isoflop.worker.sink.RunMetricsSink;
import io.isoflop.worker.store.RunOutput;
import io.isoflop.worker.train.Checkpoint;
import io.isoflop.worker.train.DivergedException;
import io.isoflop.worker.train.Precision;
import io.isoflop.worker.train.RunTrainer;
import io.isoflop.worker.train.StopRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The worker entrypoint, the same for every backend: {@code WorkerMain --spec run.json} (or the path in
 * {@value WorkerProtocol#RUN_SPEC_FILE_ENV}, or the run spec document itself in
 * {@value WorkerProtocol#RUN_SPEC_JSON_ENV}, as a Kubernetes Job hands it over). Holds the run's lock while it trains,
 * writes the metrics, and ends with one of the {@link WorkerProtocol.Exit} codes.
 */
public final class WorkerMain {
    static final int EXIT_OK = Exit.DONE.code();
    static final int EXIT_FAILED = Exit.FAILED.code();
    static final int EXIT_BAD_INPUT = Exit.BAD_INPUT.code();
    static final int EXIT_BUSY = Exit.BUSY.code();
    private static final Signal SIGTERM = new Signal("TERM");
    /** Ctrl-C in a terminal signals the whole foreground group, a local sweep's workers included. */
    private static final Signal SIGINT = new Signal("INT");
    /** Kubernetes gives 30 s between SIGTERM and SIGKILL by default; keep some of it for the JVM's exit. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(25);
    /** How long a starting worker waits for its run's lock (a scheduler may be probing it). */
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(2);

    private WorkerMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path specFile = specPath(args, env);
        String specJson = env.get(WorkerProtocol.RUN_SPEC_JSON_ENV);
        if (specFile == null && (specJson == null || specJson.isBlank())) {
            err.println("usage: WorkerMain --spec RUN_SPEC.json   (or set " + WorkerProtocol.RUN_SPEC_FILE_ENV
                    + " to the file, or " + WorkerProtocol.RUN_SPEC_JSON_ENV + " to the document)");
            return EXIT_BAD_INPUT;
        }
        RunSpec spec;
        Corpus corpus;
        try {
            spec = specFile != null ? RunSpecCodec.read(specFile) : RunSpecCodec.fromJson(specJson);
            corpus = spec.simulation() == null ? CorpusLoader.load(spec.data()) : null; // a simulation reads no data
        } catch (IOException | IllegalArgumentException e) {
            err.println("worker: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        RunOutput output;
        try {
            output = RunOutput.of(spec, env);
        } catch (IOException e) {
            err.println("worker: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        try (output) {
            return run(output, corpus, env, out, err);
        }
    }

    /**
     * One run whose files are in {@code output}'s local directory: its lock taken, what a killed writer left removed,
     * then what earlier attempts kept restored from where they are kept.
     */
    private static int run(RunOutput output, Corpus corpus, Map<String, String> env, PrintStream out,
            PrintStream err) {
        RunSpec spec = output.localSpec();
        Optional<ProcessLock> lock;
        try {
            lock = ProcessLock.tryAcquire(MetricsLayout.lockFile(Path.of(spec.metricsDir()), spec.runId()),
                    LOCK_PATIENCE);
        } catch (IOException e) {
            err.println("worker: cannot write under metricsDir " + spec.metricsDir() + ": " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (lock.isEmpty()) {
            err.println("worker: another worker is training run " + spec.runId() + " (lock "
                    + MetricsLayout.lockFile(Path.of(spec.metricsDir()), spec.runId()) + " is held)");
            return EXIT_BUSY;
        }
        try { // what a writer of this run killed part-way left; no one else writes here while the lock is held
            Path metricsDir = Path.of(spec.metricsDir());
            AtomicFiles.removeLeftTemporaries(MetricsLayout.runDir(metricsDir, spec.runId()));
            AtomicFiles.removeLeftTemporaries(MetricsLayout.checkpointDir(metricsDir, spec.runId()));
        } catch (IOException e) {
            err.println("worker: cannot remove temporary files left in " + spec.metricsDir() + ": " + e.getMessage());
        }
        try {
            output.restore();
        } catch (IOException e) {
            lock.get().close();
            err.println("worker: run " + spec.runId() + ": " + e.getMessage());
            return EXIT_FAILED;
        }
        WorkerMetrics metrics;
        try {
            metrics = WorkerMetrics.start(spec.sweep(), spec.runId(), env.get(WorkerProtocol.METRICS_PORT_ENV));
        } catch (IllegalArgumentException | IOException e) {
            lock.get().close();
            err.println("worker: metrics endpoint: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        try (ProcessLock held = lock.get(); metrics) {
            metrics.port().ifPresent(port -> out.println("metrics: http://0.0.0.0:" + port + "/metrics"));
            return spec.simulation() != null ? simulate(output, out, err) : train(output, corpus, metrics, env, out, err);
        }
    }

    /** The simulate mode: the run's rows drawn from its law, written as a training worker writes them. */
    private static int simulate(RunOutput output, PrintStream out, PrintStream err) {
        RunSpec spec = output.localSpec();
        try {
            Path written = SimulatedRun.write(spec, System.currentTimeMillis());
            output.publish();
            String kept = output.location().equals(spec.metricsDir()) ? written.toString() : output.location();
            out.println("run " + spec.runId() + " simulated from " + spec.simulation() + ": metrics " + kept);
            return EXIT_OK;
        } catch (IOException e) {
            err.println("worker: run " + spec.runId() + " failed: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static int train(RunOutput output, Corpus corpus, WorkerMetrics metrics, Map<String, String> env,
            PrintStream out, PrintStream err) {
        RunSpec spec = output.localSpec();
        NativeEngine.configure(spec.resources());
        out.println(HostAllocator.keepFreedMemory());
        long attempt = System.currentTimeMillis();
        out.println("natives: " + NativeEngine.librariesLoaded());
        ComputeDevice device = DeviceProbe.detect();
        String node = nodeName(env);
        out.printf(Locale.ROOT, "device: %s on node %s%n", device, node);
        int gpusAsked = spec.resources() == null ? 0 : spec.resources().gpus();
        if (gpusAsked > 0 && !device.isGpu()) {
            err.printf(Locale.ROOT, "worker: run %s asks for %d GPU(s) but node %s has none the engine can use (%s);"
                    + " refusing to train on the CPU%n", spec.runId(), gpusAsked, node, NativeEngine.librariesLoaded());
            return Exit.NO_GPU.code();
        }
        Precision precision;
        try {
            precision = Precision.choose(env.get(WorkerProtocol.PRECISION_ENV), device);
        } catch (IllegalArgumentException e) {
            err.println("worker: " + WorkerProtocol.PRECISION_ENV + ": " + e.getMessage());
            return Exit.BAD_INPUT.code();
        }
        if (corpus.vocabulary() > spec.shape().vocabSize()) {
            err.printf(Locale.ROOT, "worker: the data's vocabulary (%d) is larger than the model's (%d)%n",
                    corpus.vocabulary(), spec.shape().vocabSize());
            return Exit.BAD_INPUT.code();
        }
        out.printf(Locale.ROOT, "run %s attempt %d: %s, %d tokens, corpus %s (%d train / %d held-out tokens)%n",
                spec.runId(), attempt, spec.shape(), spec.tokens(), corpus.name(), corpus.train().length(),
                corpus.heldOut().length());
        StopRequest stop = new StopRequest();
        SignalHandler previousTerm = Signal.handle(SIGTERM, signal -> stopWithinGrace(stop, err));
        SignalHandler previousInt = Signal.handle(SIGINT, signal -> stopWithinGrace(stop, err));
        out.println("precision: " + precision.id());
        try (RunTrainer trainer = new RunTrainer(spec, device, precision)) {
            ParameterCounts counted = trainer.parameterCounts();
            out.printf(Locale.ROOT, "parameters: total %d, non-embedding %d%n", counted.total(), counted.nonEmbedding());
            RunMetricsSink sink = new RunMetricsSink(Path.of(spec.metricsDir()),
                    RunConstants.of(spec, attempt, counted, device, precision.id()));
            BatchSampler sampler = new BatchSampler(corpus, spec.shape().contextLength(), spec.seed(),
                    spec.data().uniqueTokens());
            RunTrainer.Outcome outcome = trainer.train(sampler, new RunTrainer.TrainingListener() {
                @Override
                public void onResume(Checkpoint at) throws IOException {
                    sink.discardAfter(at.step());
                }

                @Override
                public void onStep(MetricRow row) {
                    sink.add(row);
                    metrics.step(row);
                }

                @Override
                public void onCheckpoint(long step) throws IOException {
                    sink.writePart(step);
                }

                @Override
                public void onCheckpointSaved(long step) throws IOException {
                    output.publish();
                }

                @Override
                public void onFinish(MetricRow summary) throws IOException {
                    out.println("metrics: " + sink.finish(summary));
                }
            }, stop, out);
            output.publish(); // the final file last, after any checkpoint removal
            if (outcome instanceof RunTrainer.Outcome.Stopped) {
                return Exit.PREEMPTED.code();
            }
            return MetricsLayout.isFinished(Path.of(spec.metricsDir()), spec.runId()) ? EXIT_OK : EXIT_FAILED;
        } catch (DivergedException e) {
            err.println("worker: run " + spec.runId() + " diverged: " + e.getMessage());
            return Exit.DIVERGED.code();
        } catch (Exception e) {
            err.println("worker: run " + spec.runId() + " failed: " + e);
            e.printStackTrace(err);
            return EXIT_FAILED;
        } finally {
            stop.ended();
            Signal.handle(SIGTERM, previousTerm);
            Signal.handle(SIGINT, previousInt);
        }
    }

    /**
     * On SIGTERM (preemption, eviction, drain) or SIGINT (Ctrl-C): asks the trainer to checkpoint and stop at its
     * next step, which ends this process with the preempted code through the normal exit. Both are taken over rather
     * than left to the JVM, whose shutdown would run while the training thread still uses native memory. Should
     * the trainer not stop within the grace period, the process ends anyway with the same code; the previous
     * checkpoint stands.
     */
    private static void stopWithinGrace(StopRequest stop, PrintStream err) {
        stop.request();
        Thread watchdog = new Thread(() -> {
            try {
                if (!stop.awaitEnd(STOP_GRACE)) {
                    err.println("worker: no checkpoint within " + STOP_GRACE.toSeconds() + " s of the signal; the next"
                            + " attempt resumes from the previous one");
                    err.flush();
                    Runtime.getRuntime().halt(Exit.PREEMPTED.code());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "isoflop-sigterm-grace");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The node this worker runs on: the Job's downward-API variable, else the host name. */
    static String nodeName(Map<String, String> env) {
        String node = env.get(WorkerProtocol.NODE_NAME_ENV);
        if (node != null && !node.isBlank()) {
            return node;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "(unknown host)";
        }
    }

    private static Path specPath(String[] args, Map<String, String> env) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--spec")) {
                return Path.of(args[i + 1]);
            }
        }
        String fromEnv = env.get(WorkerProtocol.RUN_SPEC_FILE_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }
}
