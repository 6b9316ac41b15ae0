package io.isoflop.fitter;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Wall-clock seconds of the fitter's stages, in the order they ran, for the summary and the benchmarks. */
public final class StageTimes {
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    /** Runs {@code stage}, adds its time under {@code name} and returns its result. */
    <T> T time(String name, Supplier<T> stage) {
        long start = System.nanoTime();
        try {
            return stage.get();
        } finally {
            seconds.merge(name, (System.nanoTime() - start) / 1e9, Double::sum);
        }
    }

    void add(String name, long startNanos) {
        seconds.merge(name, (System.nanoTime() - startNanos) / 1e9, Double::sum);
    }

    public Map<String, Double> seconds() {
        return Map.copyOf(seconds);
    }

    /** E.g. {@code read 12.3 s, approach 3 4.1 s}. */
    @Override
    public String toString() {
        return seconds.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
