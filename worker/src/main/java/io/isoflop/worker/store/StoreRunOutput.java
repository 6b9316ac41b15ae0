package io.isoflop.worker.store;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A run whose {@code metricsDir} is {@code s3://bucket/prefix}: the worker trains into a temporary local directory
 * laid out as {@link MetricsLayout} says, and this keeps the run's objects ({@code prefix/<runId>/…}) in step with
 * it. An object appears whole or not at all (a PUT), so the final metric file's object, stored after every other
 * file of the run, marks the run finished exactly as the final file does on a disk.
 */
final class StoreRunOutput implements RunOutput {
    private static final String CHECKPOINTS = ".checkpoints/";

    private final S3Client s3;
    private final ObjectStore.Location metrics;
    private final RunSpec local;
    private final Path scratch;
    private final Path runDir;
    private final String runPrefix;
    private final String location;
    /** Names (relative to the run's prefix) of the objects that mirror local files. */
    private final Set<String> kept = new HashSet<>();

    private StoreRunOutput(S3Client s3, ObjectStore.Location metrics, RunSpec spec, Path scratch) {
        this.s3 = s3;
        this.metrics = metrics;
        this.scratch = scratch;
        Path localMetrics = MetricsLayout.workingCopy(scratch);
        this.local = spec.withMetricsDir(localMetrics.toString());
        this.runDir = MetricsLayout.runDir(localMetrics, spec.runId());
        this.runPrefix = metrics.keyOf(spec.runId()) + "/";
        this.location = metrics.uri() + "/" + spec.runId();
    }

    /** @param workDir where the working copy goes; null: a fresh temporary directory */
    static StoreRunOutput open(RunSpec spec, S3Client s3, Path workDir) throws IOException {
        ObjectStore.Location metrics;
        try {
            metrics = ObjectStore.parse(spec.metricsDir());
        } catch (IllegalArgumentException e) {
            s3.close();
            throw new IOException("metricsDir: " + e.getMessage(), e);
        }
        Path scratch = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("isoflop-run-");
        Files.createDirectories(MetricsLayout.workingCopy(scratch));
        return new StoreRunOutput(s3, metrics, spec, scratch);
    }

    @Override
    public RunSpec localSpec() {
        return local;
    }

    @Override
    public String location() {
        return location;
    }

    /**
     * Replaces the working copy's metric files and checkpoints with the store's (a copy left by a worker killed
     * before it published is not what was kept); the caller holds the run's lock.
     */
    @Override
    public void restore() throws IOException {
        for (String name : localNames()) {
            Files.delete(runDir.resolve(name));
        }
        List<String> names = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(metrics.bucket()).prefix(runPrefix))
                    .contents()) {
                names.add(object.key().substring(runPrefix.length()));
            }
        } catch (SdkException e) {
            throw new IOException("cannot list " + location + ": " + e.getMessage(), e);
        }
        String newestCheckpoint = names.stream().filter(StoreRunOutput::isCheckpoint).max(Comparator.naturalOrder())
                .orElse(null);
        for (String name : names) {
            if (isCheckpoint(name)) {
                kept.add(name); // older ones are removed at the next publish, once a newer one is stored
                if (name.equals(newestCheckpoint)) {
                    download(name);
                }
            } else if (isMetricFile(name)) {
                download(name);
                kept.add(name);
            }
        }
    }

    @Override
    public void publish() throws IOException {
        List<String> local = localNames();
        // parts before checkpoints: a checkpoint stored without the part holding its rows would resume past rows
        // that were never stored; the final metric file last: its object says the run is done
        List<String> order = new ArrayList<>(local.stream()
                .filter(n -> isMetricFile(n) && !n.endsWith(MetricsLayout.FINAL_SUFFIX)).toList());
        order.addAll(local.stream().filter(StoreRunOutput::isCheckpoint).toList());
        order.addAll(local.stream().filter(n -> n.endsWith(MetricsLayout.FINAL_SUFFIX)).toList());
        for (String name : order) {
            if (!kept.contains(name)) {
                upload(name);
                kept.add(name);
            }
        }
        for (String name : new ArrayList<>(kept)) {
            if (!local.contains(name)) {
                try {
                    s3.deleteObject(b -> b.bucket(metrics.bucket()).key(runPrefix + name));
                } catch (SdkException e) {
                    throw new IOException("cannot delete " + location + "/" + name + ": " + e.getMessage(), e);
                }
                kept.remove(name);
            }
        }
    }

    /** The run's metric files and checkpoints in the working directory, by name relative to the run's directory. */
    private List<String> localNames() throws IOException {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(runDir, 2)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> runDir.relativize(f).toString().replace('\\', '/'))
                    .filter(n -> isMetricFile(n) || isCheckpoint(n))
                    .sorted()
                    .toList();
        }
    }

    /** A whole metric file of the run's directory (not a temporary, not set aside). */
    private static boolean isMetricFile(String name) {
        return !name.contains("/") && !name.startsWith(".") && name.endsWith(".parquet");
    }

    private static boolean isCheckpoint(String name) {
        String file = name.startsWith(CHECKPOINTS) ? name.substring(CHECKPOINTS.length()) : null;
        return file != null && !file.contains("/") && file.startsWith("step-") && file.endsWith(".ckpt");
    }

    private void upload(String name) throws IOException {
        try {
            s3.putObject(b -> b.bucket(metrics.bucket()).key(runPrefix + name), RequestBody.fromFile(runDir.resolve(name)));
        } catch (SdkException e) {
            throw new IOException("cannot store " + location + "/" + name + ": " + e.getMessage(), e);
        }
    }

    private void download(String name) throws IOException {
        Path target = runDir.resolve(name);
        Files.createDirectories(target.getParent());
        Path temporary = target.resolveSibling("." + target.getFileName() + ".download");
        try {
            Files.deleteIfExists(temporary);
            s3.getObject(b -> b.bucket(metrics.bucket()).key(runPrefix + name), temporary);
            Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot fetch " + location + "/" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the working copy " + scratch, e);
        }
    }
}
