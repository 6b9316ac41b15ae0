package io.isoflop.fitter.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isoflop.contracts.MetricsLayout;
import io.isoflop.contracts.ObjectStore;
import io.isoflop.contracts.MetricsSchema;
import io.isoflop.contracts.testing.S3Endpoint;
import io.isoflop.fitter.FitterJob;
import io.isoflop.fitter.FitterOptions;
import io.isoflop.fitter.fit.KnownLaw;
import io.isoflop.fitter.fit.RunResult;
import io.isoflop.fitter.spark.MetricsException;
import io.isoflop.fitter.spark.ReportUpload;
import io.isoflop.fitter.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The fitter reads a sweep's metrics from a real S3 endpoint (s3proxy on 127.0.0.1, SigV4) through Spark's S3A
 * filesystem, with credentials only from the AWS default chain, and fits what it fits from the same files on disk.
 */
class FitterS3IT {
    private static final KnownLaw LAW = KnownLaw.CHINCHILLA_PUBLISHED;
    private static final double[] BUDGETS = {1e18, 1e19, 1e20};
    private static final int SIZES = 7;
    private static final String BUCKET = "isoflop-fit";
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(MetricsSchema.PARQUET_MESSAGE);

    @TempDir
    static Path work;
    private static S3Endpoint store;
    private static SparkSession spark;
    private static List<RunResult> runs;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(S3Endpoint.available(), "no s3proxy jar (the build copies it)");
        store = S3Endpoint.start(work);
        // the SDK's default chain reads these; nothing else carries the credentials
        System.setProperty("aws.accessKeyId", S3Endpoint.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Endpoint.SECRET_KEY);
        s3 = S3Client.builder().endpointOverride(URI.create(store.url())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
        s3.createBucket(b -> b.bucket(BUCKET));
        spark = SparkSessions.start("isoflop-fitter-s3-it", "local[2]", store.settings());
        runs = new ArrayList<>();
        Random random = new Random(5);
        for (double budget : BUDGETS) {
            runs.addAll(LAW.grid(budget, SIZES, 0.25, 0.0, 0.01, random));
        }
        Path local = work.resolve("local/metrics");
        for (RunResult run : runs) {
            writeRun(MetricsLayout.finalFile(local, run.runId(), 1_000), run);
        }
        // the same files as objects under s3://BUCKET/sweeps/s/metrics/, plus what a store also holds: a checkpoint
        // (under a hidden prefix, not a metric file) and an object that is not Parquet
        String prefix = "sweeps/s/metrics/";
        try (Stream<Path> files = Files.walk(local)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                s3.putObject(b -> b.bucket(BUCKET).key(prefix + local.relativize(file).toString().replace('\\', '/')),
                        RequestBody.fromFile(file));
            }
        }
        s3.putObject(b -> b.bucket(BUCKET).key(prefix + "broken/.checkpoints/step-000000001.ckpt"),
                RequestBody.fromString("not metrics"));
        s3.putObject(b -> b.bucket(BUCKET).key(prefix + "broken/attempt-1-final.parquet"),
                RequestBody.fromString("PAR1 cut short"));
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (spark != null) {
            spark.stop();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (store != null) {
            store.close();
        }
    }

    @Test
    void fitsTheObjectsAsItFitsTheSameFilesOnDisk() throws Exception {
        FitterOptions options = FitterOptions.defaults().withBootstrapResamples(20);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        FitterJob.Outcome fromStore;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            fromStore = new FitterJob(spark, options).run("s3://" + BUCKET + "/sweeps/s/metrics", work.resolve("s3-fit"));
        } finally {
            System.setOut(console);
        }
        FitterJob.Outcome fromDisk = new FitterJob(spark, options).run(work.resolve("local/metrics"),
                work.resolve("disk-fit"));

        assertEquals(runs.size(), fromStore.report().approach3().runsUsed(), "every run read from the store");
        assertEquals(fromDisk.report().fit().nOpt().exponent(), fromStore.report().fit().nOpt().exponent(), 1e-12);
        assertEquals(fromDisk.report().approach3().law().alpha(), fromStore.report().approach3().law().alpha(), 1e-9);
        assertEquals(LAW.alpha(), fromStore.report().approach3().law().alpha(), 0.05);
        assertTrue(fromStore.report().diagnostics().stream().anyMatch(d -> d.contains("not whole Parquet files")
                && d.contains("broken/attempt-1-final.parquet")), fromStore.report().diagnostics().toString());
        assertTrue(Files.isRegularFile(fromStore.files().frontierJson()));
        String frontier = Files.readString(fromStore.files().frontierJson());
        for (String text : List.of(captured.toString(StandardCharsets.UTF_8), frontier, Files.readString(store.log()))) {
            assertFalse(text.contains(S3Endpoint.SECRET_KEY), "the secret key appears in a log or report");
        }
    }

    @Test
    void aReportIsStoredUnderItsPrefixFrontierLastAndTheLocalCopyRemoved() throws Exception {
        Path local = work.resolve("report-to-store");
        FitterJob.Outcome outcome = new FitterJob(spark, FitterOptions.defaults().withBootstrapResamples(0))
                .run(work.resolve("local/metrics"), local);
        List<String> written;
        try (Stream<Path> files = Files.list(local)) {
            written = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        String frontierWritten = Files.readString(outcome.files().frontierJson());
        assertEquals(ReportUpload.LAST, ReportUpload.inStoringOrder(local).get(written.size() - 1).getFileName()
                .toString());

        ReportUpload.store(spark, local, ObjectStore.parse("s3://" + BUCKET + "/sweeps/s/fit"));

        List<String> stored = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("sweeps/s/fit/")).contents()
                .stream().map(o -> o.key().substring("sweeps/s/fit/".length())).sorted().toList();
        assertEquals(written, stored);
        assertTrue(written.contains("report.html") && written.contains("frontier.json"), written.toString());
        assertEquals(frontierWritten,
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("sweeps/s/fit/frontier.json")).asUtf8String());
        assertFalse(Files.exists(local), "the local copy is removed once stored");
    }

    @Test
    void aPrefixWithoutMetricFilesIsNamed() {
        MetricsException e = assertThrows(MetricsException.class, () -> new FitterJob(spark)
                .run("s3://" + BUCKET + "/sweeps/none/metrics", work.resolve("none-fit")));
        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/sweeps/none/metrics"), e.getMessage());
    }

    /** One run as the worker writes it: a few evaluated steps, then the final summary row. */
    private static void writeRun(Path file, RunResult run) throws IOException {
        Files.createDirectories(file.getParent());
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(SCHEMA).build()) {
            int steps = 5;
            for (int step = 1; step <= steps; step++) {
                long tokens = run.tokens() * step / steps;
                boolean last = step == steps;
                writer.write(row(groups, run, step, tokens, last ? run.finalLoss() : LAW.loss(run.parameters(), tokens),
                        last));
            }
        }
    }

    private static Group row(SimpleGroupFactory groups, RunResult run, long step, long tokens, double loss,
            boolean isFinal) {
        return groups.newGroup()
                .append(MetricsSchema.RUN_ID, run.runId())
                .append(MetricsSchema.SWEEP, "s")
                .append(MetricsSchema.ATTEMPT, 1_000L)
                .append(MetricsSchema.STEP, step)
                .append(MetricsSchema.TOKENS, tokens)
                .append(MetricsSchema.FLOPS, 6.0 * run.parameters() * tokens)
                .append(MetricsSchema.EVAL_LOSS, loss)
                .append(MetricsSchema.LEARNING_RATE, 1e-3)
                .append(MetricsSchema.WALL_SECONDS, 1.0 * step)
                .append(MetricsSchema.TOKENS_PER_SECOND, 1000.0)
                .append(MetricsSchema.IS_FINAL, isFinal)
                .append(MetricsSchema.BUDGET_FLOPS, run.budgetFlops())
                .append(MetricsSchema.FLOP_CONVENTION, "6N")
                .append(MetricsSchema.N_PARAMS, run.parameters())
                .append(MetricsSchema.N_PARAMS_TOTAL, run.parameters())
                .append(MetricsSchema.N_PARAMS_NON_EMBEDDING, run.parameters())
                .append(MetricsSchema.PLANNED_TOKENS, run.tokens());
    }
}
