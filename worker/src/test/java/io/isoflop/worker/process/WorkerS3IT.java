package io.isoflop.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.RunSpec;
import io.isoflop.contracts.RunSpecCodec;
import io.isoflop.contracts.testing.S3Endpoint;
import io.isoflop.worker.sink.MetricFiles;
import io.isoflop.worker.store.StoreClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real worker process whose metricsDir is {@code s3://…} on a real S3 endpoint (s3proxy on 127.0.0.1): killed
 * once it has stored a checkpoint (and is storing the next one's part), started again, it resumes from the stored checkpoint (its local disk gone: each
 * start has a fresh working directory) and ends with every step's row stored once, the final object last and the
 * checkpoints removed; the worker's log never shows the secret.
 */
class WorkerS3IT {
    private static final String BUCKET = "isoflop-runs";

    @TempDir
    static Path work;
    private static S3Endpoint store;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(WorkerProcess.isPackaged(), "the worker is not packaged (mvn package)");
        assumeTrue(S3Endpoint.available(), "no s3proxy jar (the contracts module's build copies it)");
        store = S3Endpoint.start(work);
        System.setProperty("aws.accessKeyId", S3Endpoint.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Endpoint.SECRET_KEY);
        s3 = StoreClients.s3(store.settings());
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (store != null) {
            store.close();
        }
    }

    @Test
    void killedAfterACheckpointItResumesFromTheStoreAndStoresEveryStepOnce() throws Exception {
        RunSpec spec = WorkerChaos.run(work.resolve("unused"))
                .withMetricsDir("s3://" + BUCKET + "/sweeps/s/metrics");
        Path specFile = work.resolve("run.json");
        RunSpecCodec.write(spec, specFile);
        Path log = work.resolve("worker.log");
        String runPrefix = ObjectStore.parse(spec.metricsDir()).keyOf(spec.runId()) + "/";

        Process first = WorkerProcess.start(specFile, log, store.environment());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        // a part up to step 200 is stored after the checkpoint at step 100 is stored whole (one publish after the
        // other): s3proxy's filesystem store lists an object while its PUT is still streaming, S3 does not
        while (keys(runPrefix).stream().noneMatch(k -> MetricsLayout.partLastStep(Path.of(k)).orElse(0) >= 200)) {
            assertTrue(first.isAlive(), "the worker ended before storing a checkpoint:\n" + Files.readString(log));
            assertTrue(Instant.now().isBefore(deadline), "no checkpoint stored in 3 minutes");
            Thread.sleep(50);
        }
        first.destroyForcibly();
        assertEquals(137, WorkerChaos.exit(first));
        assertTrue(keys(runPrefix).stream().noneMatch(k -> k.endsWith(MetricsLayout.FINAL_SUFFIX)),
                "killed before the end, the run is not finished");

        assertEquals(0, WorkerChaos.exit(WorkerProcess.start(specFile, log, store.environment())),
                Files.readString(log));

        String output = Files.readString(log);
        assertTrue(output.matches("(?s).*resuming from the checkpoint at step [1-9]\\d*.*"),
                "the second start resumed from the stored checkpoint:\n" + output);
        assertFalse(output.contains(S3Endpoint.SECRET_KEY), "the secret key is in the worker's log");
        List<String> stored = keys(runPrefix);
        assertTrue(stored.stream().noneMatch(k -> k.contains("/.checkpoints/")), "checkpoints removed: " + stored);
        assertEquals(1, stored.stream().filter(k -> k.endsWith(MetricsLayout.FINAL_SUFFIX)).count(), stored.toString());

        Path fetched = work.resolve("fetched");
        for (String key : stored) {
            Path file = fetched.resolve(key.substring(key.indexOf("/metrics/") + "/metrics/".length()));
            Files.createDirectories(file.getParent());
            s3.getObject(b -> b.bucket(BUCKET).key(key), file);
        }
        Map<Long, Integer> timesByStep = new HashMap<>();
        for (Group row : MetricFiles.rowsOfRun(fetched, spec.runId())) {
            if (!row.getBoolean(MetricsSchema.IS_FINAL, 0)) {
                timesByStep.merge(row.getLong(MetricsSchema.STEP, 0), 1, Integer::sum);
            }
        }
        long steps = spec.training().steps();
        assertEquals(steps, timesByStep.size(), "every step stored");
        assertTrue(timesByStep.values().stream().allMatch(n -> n == 1), "no step twice");
        assertTrue(LongStream.rangeClosed(1, steps).allMatch(timesByStep::containsKey));
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }
}
