package io.isoflop.scheduler.store;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.ParquetFiles;
import io.isoflop.worker.store.StoreClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Metric files as objects under {@code s3://bucket/prefix/<runId>/}, as the worker stores them. An object appears
 * whole or not at all, and the worker stores a run's final file last, so a final object that frames whole Parquet
 * (checked with two ranged reads, {@link ParquetFiles#isFrame}) means the run is done, as on a disk.
 */
public final class ObjectMetricsStore implements MetricsStore {
    private final S3Client s3;
    private final ObjectStore.Location metrics;

    public ObjectMetricsStore(S3Client s3, ObjectStore.Location metrics) {
        this.s3 = s3;
        this.metrics = metrics;
    }

    /** The store {@code location} names, with the endpoint and region from the environment ({@link ObjectStore}). */
    static ObjectMetricsStore fromEnvironment(String location) {
        return new ObjectMetricsStore(StoreClients.s3(ObjectStore.Settings.fromEnvironment()),
                ObjectStore.parse(location));
    }

    @Override
    public String location() {
        return metrics.uri();
    }

    @Override
    public boolean onObjectStore() {
        return true;
    }

    @Override
    public boolean isFinished(String runId) {
        try {
            for (S3Object object : metricObjects(runId)) {
                if (object.key().endsWith(MetricsLayout.FINAL_SUFFIX) && isWholeParquet(object)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> setAsideUnreadable(String runId) throws IOException {
        List<String> setAside = new ArrayList<>();
        for (S3Object object : metricObjects(runId)) {
            if (!isWholeParquet(object)) {
                String aside = object.key() + MetricsLayout.UNREADABLE_SUFFIX;
                try {
                    s3.copyObject(b -> b.sourceBucket(metrics.bucket()).sourceKey(object.key())
                            .destinationBucket(metrics.bucket()).destinationKey(aside));
                    s3.deleteObject(b -> b.bucket(metrics.bucket()).key(object.key()));
                } catch (SdkException e) {
                    throw new IOException("cannot set aside s3://" + metrics.bucket() + "/" + object.key() + ": "
                            + e.getMessage(), e);
                }
                setAside.add("s3://" + metrics.bucket() + "/" + aside);
            }
        }
        return setAside;
    }

    /** The run's {@code *.parquet} objects directly under its prefix (not its checkpoints). */
    private List<S3Object> metricObjects(String runId) throws IOException {
        String prefix = metrics.keyOf(runId) + "/";
        List<S3Object> objects = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(metrics.bucket()).prefix(prefix))
                    .contents()) {
                String name = object.key().substring(prefix.length());
                if (!name.contains("/") && !name.startsWith(".") && name.endsWith(".parquet")) {
                    objects.add(object);
                }
            }
        } catch (SdkException e) {
            throw new IOException("cannot list " + metrics.uri() + "/" + runId + ": " + e.getMessage(), e);
        }
        return objects;
    }

    private boolean isWholeParquet(S3Object object) throws IOException {
        long size = object.size();
        if (size < 12) {
            return false;
        }
        try {
            byte[] head = range(object.key(), "bytes=0-3");
            byte[] tail = range(object.key(), "bytes=" + (size - 8) + "-" + (size - 1));
            return ParquetFiles.isFrame(size, head, tail);
        } catch (NoSuchKeyException gone) {
            return false;
        } catch (SdkException e) {
            throw new IOException("cannot read s3://" + metrics.bucket() + "/" + object.key() + ": " + e.getMessage(),
                    e);
        }
    }

    private byte[] range(String key, String range) {
        return s3.getObjectAsBytes(b -> b.bucket(metrics.bucket()).key(key).range(range)).asByteArray();
    }

    @Override
    public void close() {
        s3.close();
    }
}
