package io.isoflop.scheduler.testing;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.RunSpec;
import io.isoflop.worker.sink.MetricFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.parquet.example.data.Group;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What a sweep's workers stored on an object store, read back as a test checks it. */
public final class StoredRuns {
    private final S3Client s3;
    private final String bucket;
    private final String metricsPrefix;

    /** @param metricsPrefix the key prefix of the sweep's metrics, ending in {@code /} */
    public StoredRuns(S3Client s3, String bucket, String metricsPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.metricsPrefix = metricsPrefix;
    }

    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** The run's final metric objects. */
    public List<String> finals(String runId) {
        return keys(metricsPrefix + runId + "/").stream().filter(k -> k.endsWith(MetricsLayout.FINAL_SUFFIX))
                .toList();
    }

    public boolean hasCheckpoint(String runId) {
        return keys(metricsPrefix + runId + "/.checkpoints/").stream().anyMatch(k -> k.endsWith(".ckpt"));
    }

    /**
     * The problems of the run's stored metrics: steps missing or stored more than once (fetched into {@code local},
     * read with the worker's test reader); empty when every step is there once.
     */
    public List<String> stepProblems(RunSpec run, Path local) throws IOException {
        Path metricsDir = local.resolve(MetricsLayout.METRICS_DIR);
        for (String key : keys(metricsPrefix + run.runId() + "/")) {
            String name = key.substring(metricsPrefix.length());
            if (!name.contains("/.") && name.endsWith(".parquet")) {
                Path file = metricsDir.resolve(name);
                Files.createDirectories(file.getParent());
                Files.deleteIfExists(file);
                s3.getObject(b -> b.bucket(bucket).key(key), file);
            }
        }
        Map<Long, Integer> times = new HashMap<>();
        for (Group row : MetricFiles.rowsOfRun(metricsDir, run.runId())) {
            if (!row.getBoolean(MetricsSchema.IS_FINAL, 0)) {
                times.merge(row.getLong(MetricsSchema.STEP, 0), 1, Integer::sum);
            }
        }
        List<String> problems = new ArrayList<>();
        List<Long> missing = LongStream.rangeClosed(1, run.training().steps()).filter(s -> !times.containsKey(s))
                .boxed().toList();
        if (!missing.isEmpty()) {
            problems.add(run.runId() + " misses steps " + missing);
        }
        times.forEach((step, n) -> {
            if (n > 1) {
                problems.add(run.runId() + " has step " + step + " " + n + " times");
            }
        });
        return problems;
    }
}
