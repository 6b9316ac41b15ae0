package io.isoflop.fitter.bench;

import io.isoflop.contracts.ObjectStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The upload side of {@code bench/fitter_scale.sh}'s S3 leg (test sources: a benchmark helper): puts every file
 * under DIR to {@code s3://bucket/prefix/<relative path>} through the S3 API, the store named by the isoflop
 * environment ({@link ObjectStore}), credentials from the AWS default chain; creates the bucket if needed.
 *
 * <pre>  S3Upload DIR s3://bucket/prefix</pre>
 */
public final class S3Upload {
    private S3Upload() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ObjectStore.Location target = ObjectStore.parse(args[1]);
        ObjectStore.Settings store = ObjectStore.Settings.fromEnvironment();
        var builder = S3Client.builder().region(Region.of(store.region())).forcePathStyle(store.pathStyle())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (store.endpoint() != null) {
            builder.endpointOverride(URI.create(store.endpoint()));
        }
        long start = System.nanoTime();
        long bytes = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        try (S3Client s3 = builder.build()) {
            try {
                s3.createBucket(b -> b.bucket(target.bucket()));
            } catch (BucketAlreadyOwnedByYouException e) {
                // uploaded before
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> puts = files.stream().<Future<?>>map(file -> pool.submit(() -> s3.putObject(
                    b -> b.bucket(target.bucket()).key(target.keyOf(dir.relativize(file).toString())),
                    RequestBody.fromFile(file)))).toList();
            for (Future<?> put : puts) {
                put.get();
            }
            pool.shutdown();
            for (Path file : files) {
                bytes += Files.size(file);
            }
        }
        System.out.printf("uploaded %d files, %.1f MB in %.1f s%n", files.size(), bytes / 1e6,
                (System.nanoTime() - start) / 1e9);
    }
}
