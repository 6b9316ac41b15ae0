package io.isoflop.worker.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.isoflop.contracts.ArchitectureFlops;
import io.isoflop.contracts.CheckpointPolicy;
import io.isoflop.contracts.DataSpec;
import io.isoflop.contracts.ModelShape;
import io.isoflop.contracts.Resources;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.TrainingRecipe;
import io.isoflop.worker.data.BatchSampler;
import io.isoflop.worker.data.Corpus;
import io.isoflop.worker.data.CorpusLoader;
import io.isoflop.worker.device.ComputeDevice;
import io.isoflop.worker.device.DeviceProbe;
import io.isoflop.worker.device.HostAllocator;
import io.isoflop.worker.sink.MetricRow;
import io.isoflop.worker.train.Checkpoint;
import io.isoflop.worker.train.Precision;
import io.isoflop.worker.train.RunTrainer;
import io.isoflop.worker.train.StopRequest;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The worker's training FLOP/s against DJL's own matrix-multiply rate, measured in one JVM on the same threads:
 * {@code WorkerThroughputBench [THREADS [STEPS]]}. The models are the worker's own decoder at about 100K, 1M and 5M
 * non-embedding parameters (context 128, 32 sequences a step, byte vocabulary), trained by the real
 * {@link RunTrainer} on the Europarl text; the rate is taken between the 5th and the last step, so engine
 * start-up and the final evaluation are left out. FLOPs are counted twice: 6·N per token, and the architecture's
 * own count ({@link ArchitectureFlops}: attention at the context length and the output head included), which
 * is what the hardware computes; the ratio uses the latter.
 */
public final class WorkerThroughputBench {
    private static final int CONTEXT = 128;
    private static final int BATCH = 32;
    private static final int WARMUP_STEPS = 5;

    /** Heads of 64, as the planner's default shape rule ({@code shape.head_dim: 64}) gives them. */
    private record Size(String label, int dModel, int layers, int heads) {}

    private static final List<Size> SIZES = List.of(
            new Size("100K", 64, 2, 1), new Size("1M", 128, 5, 2), new Size("5M", 256, 6, 4));

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        String allocator = HostAllocator.keepFreedMemory(); // as WorkerMain does before training
        ComputeDevice device = DeviceProbe.detect();
        System.out.println(allocator);
        System.out.printf(Locale.ROOT, "device: %s, %d thread(s); PyTorch %s%n", device, threads,
                Engine.getInstance().getVersion());
        double before = matmulFlops(device, 1024);
        Corpus corpus = CorpusLoader.load(new DataSpec(DataSpec.EUROPARL, null, 0.01, CONTEXT, CONTEXT));
        Path metrics = Files.createTempDirectory("isoflop-bench");
        Measured[] measured = new Measured[SIZES.size()];
        for (int i = 0; i < SIZES.size(); i++) {
            measured[i] = train(spec(shape(SIZES.get(i)), steps, metrics), device, corpus);
        }
        double after = matmulFlops(device, 1024);
        // The reference is the better of the two measurements, so that a slow moment flatters no ratio.
        double matmul = Math.max(before, after);
        System.out.printf(Locale.ROOT, "DJL matmul 1024x1024 fp32: %.1f GFLOP/s before the runs, %.1f after"
                + " (median of 20 each); reference %.1f%n", before / 1e9, after / 1e9, matmul / 1e9);
        System.out.printf(Locale.ROOT, "%-5s %10s %6s %10s %12s %14s %16s %6s %12s%n", "size", "N", "shape",
                "tokens/s", "GFLOP/s 6N", "GFLOP/s model", "model / matmul", "steps", "faults/step");
        for (int i = 0; i < SIZES.size(); i++) {
            Size size = SIZES.get(i);
            ModelShape shape = shape(size);
            double tokensPerSecond = measured[i].tokensPerSecond();
            double sixN = 6.0 * shape.nonEmbeddingParameters() * tokensPerSecond;
            double model = ArchitectureFlops.perToken(shape) * tokensPerSecond;
            System.out.printf(Locale.ROOT, "%-5s %10d %6s %10.0f %12.1f %14.1f %15.0f%% %6d %12.0f%n", size.label(),
                    shape.nonEmbeddingParameters(), size.layers() + "x" + size.dModel(), tokensPerSecond,
                    sixN / 1e9, model / 1e9, 100 * model / matmul, steps, measured[i].pageFaultsPerStep());
        }
    }

    private static ModelShape shape(Size size) {
        return new ModelShape(Corpus.BYTES, CONTEXT, size.dModel(), size.layers(), size.heads(), 4);
    }

    /** Median FLOP/s of an n×n by n×n product, 20 times after 3 to warm up. */
    static double matmulFlops(ComputeDevice device, int n) {
        try (NDManager manager = NDManager.newBaseManager(device.djl())) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            double[] seconds = new double[20];
            for (int i = -3; i < seconds.length; i++) {
                long start = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // wait for the result
                double elapsed = (System.nanoTime() - start) / 1e9;
                c.close();
                if (i >= 0) {
                    seconds[i] = elapsed;
                }
            }
            Arrays.sort(seconds);
            return 2.0 * n * n * n / seconds[seconds.length / 2];
        }
    }

    private static RunSpec spec(ModelShape shape, int steps, Path metrics) {
        long tokens = (long) steps * BATCH * CONTEXT;
        long n = shape.nonEmbeddingParameters();
        TrainingRecipe recipe = new TrainingRecipe(BATCH, steps, 1e-3, 0.1, 2, 0.9, 0.95, 1e-8, 0.01);
        return new RunSpec(RunSpec.SCHEMA_VERSION, "bench", "bench-n" + n, 1e12, "6N", "non_embedding", shape, n,
                tokens, 6.0 * n, recipe, new DataSpec(DataSpec.EUROPARL, null, 0.01, CONTEXT, CONTEXT), tokens * 10,
                7, new Resources(null, 0, 1, "1Gi"), metrics.toString(), new CheckpointPolicy(0, 0, false));
    }

    /**
     * Trained tokens per second between the end of warm-up and the last step, and the process's minor page faults
     * per step over the whole run (what {@link HostAllocator} keeps down).
     */
    private record Measured(double tokensPerSecond, double pageFaultsPerStep) {}

    private static Measured train(RunSpec spec, ComputeDevice device, Corpus corpus) throws Exception {
        List<MetricRow> rows = new ArrayList<>();
        long faultsBefore = minorPageFaults();
        try (RunTrainer trainer = new RunTrainer(spec, device, Precision.choose(null, device))) {
            trainer.train(new BatchSampler(corpus, CONTEXT, spec.seed()), new RunTrainer.TrainingListener() {
                @Override
                public void onResume(Checkpoint at) {}

                @Override
                public void onStep(MetricRow row) {
                    rows.add(row);
                }

                @Override
                public void onCheckpoint(long step) {}

                @Override
                public void onFinish(MetricRow summary) {}
            }, StopRequest.never(), new PrintStream(OutputStream.nullOutputStream()));
        }
        MetricRow from = rows.get(WARMUP_STEPS - 1);
        MetricRow to = rows.get(rows.size() - 1);
        double pageFaultsPerStep = (double) (minorPageFaults() - faultsBefore) / rows.size();
        return new Measured((to.tokens() - from.tokens()) / (to.wallSeconds() - from.wallSeconds()), pageFaultsPerStep);
    }

    /** Minor page faults of this process so far: field 10 of /proc/self/stat (-1 where there is none). */
    private static long minorPageFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
