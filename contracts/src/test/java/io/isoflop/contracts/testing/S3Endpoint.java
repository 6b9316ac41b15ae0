package io.isoflop.contracts.testing;

import io.isoflop.contracts.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real S3 endpoint on 127.0.0.1 for tests: s3proxy (filesystem store, SigV4 authentication) in its own JVM, run
 * from its published jar-with-dependencies, which the module's build copies and names in the system property
 * {@value #JAR_PROPERTY}. Its own process because it needs Servlet 6 and Spark's Jetty Servlet 5; and a separate
 * process is what a store is. Its objects are plain files under {@link #dataDir()}, one directory per bucket.
 */
public final class S3Endpoint implements AutoCloseable {
    public static final String JAR_PROPERTY = "isoflop.s3proxy.jar";
    /** The test identity; the secret is what tests check no log ever shows. */
    public static final String ACCESS_KEY = "isoflop-test-access-key";
    public static final String SECRET_KEY = "isoflop-test-secret-2f9c41d7e8a05b63";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final Path log;

    private S3Endpoint(Process process, int port, Path dataDir, Path log) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** Whether the s3proxy jar is there (the module's build copies it; an IDE run may not have). */
    public static boolean available() {
        String jar = System.getProperty(JAR_PROPERTY);
        return jar != null && Files.isRegularFile(Path.of(jar));
    }

    /** Starts s3proxy with its store under {@code workDir} and waits until it accepts connections. */
    public static S3Endpoint start(Path workDir) throws IOException, InterruptedException {
        if (!available()) {
            throw new IllegalStateException("no s3proxy jar: the system property " + JAR_PROPERTY + " names "
                    + System.getProperty(JAR_PROPERTY) + "; `mvn process-test-resources` copies it");
        }
        Path dataDir = Files.createDirectories(workDir.resolve("s3-data"));
        int port = freePort();
        Path properties = workDir.resolve("s3proxy.properties");
        Files.write(properties, List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dataDir));
        Path log = workDir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", System.getProperty(JAR_PROPERTY), "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        S3Endpoint endpoint = new S3Endpoint(process, port, dataDir, log);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!endpoint.accepts()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                endpoint.close();
                throw new IOException("s3proxy did not start on port " + port + " (exit " + (process.isAlive() ? "-"
                        : process.exitValue()) + "); its log: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return endpoint;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The store's settings as the isoflop processes take them (path-style, us-east-1). */
    public ObjectStore.Settings settings() {
        return new ObjectStore.Settings(url(), ObjectStore.DEFAULT_REGION, true);
    }

    /**
     * The environment a process needs to use this store: the store's variables and the test identity in the
     * standard AWS variables (which the SDK's default credentials chain reads).
     */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of(ObjectStore.ENDPOINT_ENV, url(), ObjectStore.PATH_STYLE_ENV, "true",
                ObjectStore.REGION_ENV, ObjectStore.DEFAULT_REGION, "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** Where the objects are kept: {@code <dataDir>/<bucket>/<key>}. */
    public Path dataDir() {
        return dataDir;
    }

    public Path log() {
        return log;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
