package io.isoflop.fitter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.isoflop.fitter.fit.Approach3;
import io.isoflop.fitter.fit.Approach3Fit;
import io.isoflop.fitter.fit.Approach3Settings;
import io.isoflop.fitter.fit.ChinchillaSurface;
import io.isoflop.fitter.fit.ParametricLaw;
import io.isoflop.fitter.fit.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Java side of {@code bench/approach3_vs_scipy.sh} (test sources: a benchmark, not part of the fitter).
 *
 * <pre>
 *   write-csv FILE            the 1%-noise Chinchilla surface of the Approach 3 tests, as n,d,loss
 *   fit CSV JSON [REPEATS]    Approach 3 with the default settings; the first fit in this JVM is timed as "cold",
 *                             then REPEATS (at least 1, default 2) warm fits each sequential and parallel, the
 *                             best time kept
 * </pre>
 */
public final class Approach3Bench {
    private static final String HEADER = "n,d,loss";

    private Approach3Bench() {}

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("write-csv")) {
            writeCsv(ChinchillaSurface.points(ChinchillaSurface.ONE_PERCENT), Path.of(args[1]));
        } else if (args.length >= 3 && args[0].equals("fit")) {
            fit(readCsv(Path.of(args[1])), Path.of(args[2]), args.length > 3 ? Math.max(1, Integer.parseInt(args[3])) : 2);
        } else {
            System.err.println("usage: Approach3Bench write-csv FILE | fit CSV JSON [REPEATS]");
            System.exit(2);
        }
    }

    private static void writeCsv(List<RunResult> runs, Path file) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (RunResult run : runs) {
            csv.append(run.parameters()).append(',').append(run.tokens()).append(',')
                    .append(Double.toString(run.finalLoss())).append('\n');
        }
        Files.writeString(file, csv);
    }

    private static List<RunResult> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ": expected the header " + HEADER);
        }
        List<RunResult> runs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            long n = Long.parseLong(cells[0]);
            long d = Long.parseLong(cells[1]);
            runs.add(new RunResult("n" + n + "-d" + d, 6.0 * n * d, n, d, 6.0 * n * d, Double.parseDouble(cells[2])));
        }
        return runs;
    }

    private static void fit(List<RunResult> runs, Path json, int repeats) throws IOException {
        Approach3Settings parallel = Approach3Settings.defaults().withParallel(true);
        Approach3Settings sequential = parallel.withParallel(false);

        long start = System.nanoTime();
        Approach3Fit fit = new Approach3(parallel).fit(runs);
        double cold = seconds(start);
        double warmSequential = Double.POSITIVE_INFINITY;
        double warmParallel = Double.POSITIVE_INFINITY;
        for (int i = 0; i < repeats; i++) {
            start = System.nanoTime();
            Approach3Fit again = new Approach3(sequential).fit(runs);
            warmSequential = Math.min(warmSequential, seconds(start));
            start = System.nanoTime();
            new Approach3(parallel).fit(runs);
            warmParallel = Math.min(warmParallel, seconds(start));
            if (again.objective() != fit.objective()) {
                throw new IllegalStateException("sequential and parallel fits differ: " + again + " vs " + fit);
            }
        }
        if (!fit.fitted()) {
            throw new IllegalStateException("not fitted: " + fit.reason());
        }
        ParametricLaw law = fit.law();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fitter", "java ddogleg BFGS, analytic gradient");
        out.put("points", fit.runsUsed());
        out.put("starts", fit.starts());
        out.put("E", law.e());
        out.put("A", law.a());
        out.put("B", law.b());
        out.put("alpha", law.alpha());
        out.put("beta", law.beta());
        out.put("a", law.exponentA());
        out.put("objective", fit.objective());
        out.put("startsNearBest", fit.startsNearBest());
        out.put("startsFailed", fit.startsFailed());
        out.put("seconds", cold);
        out.put("secondsWarmSequential", warmSequential);
        out.put("secondsWarmParallel", warmParallel);
        out.put("threads", Runtime.getRuntime().availableProcessors());
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        System.out.printf(Locale.ROOT, "java: %d points, %d starts, objective %.12g, cold %.2f s, warm sequential"
                + " %.2f s, warm parallel %.2f s%n", fit.runsUsed(), fit.starts(), fit.objective(), cold,
                warmSequential, warmParallel);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
