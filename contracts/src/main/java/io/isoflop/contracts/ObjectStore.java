package io.isoflop.contracts;

import java.util.Locale;
import java.util.Map;

/**
 * A sweep's output on an S3-compatible object store ({@code s3://bucket/prefix}) instead of a directory: how such a
 * location is written, and the environment that says which store to talk to. Every process that touches the output
 * (worker, scheduler, fitter) reads the same variables; credentials are never among them: they come from the
 * standard AWS chain (environment, web identity / IRSA, profile, instance role) and are never logged.
 */
public final class ObjectStore {
    /** Endpoint URL of an S3-compatible store, e.g. {@code http://127.0.0.1:9000}; unset: AWS S3 itself. */
    public static final String ENDPOINT_ENV = "ISOFLOP_S3_ENDPOINT";
    /** {@code true} for path-style requests ({@code endpoint/bucket/key}), as most S3-compatible stores need. */
    public static final String PATH_STYLE_ENV = "ISOFLOP_S3_PATH_STYLE";
    /** The region, the AWS SDKs' own variable; {@code us-east-1} when unset. */
    public static final String REGION_ENV = "AWS_REGION";
    public static final String DEFAULT_REGION = "us-east-1";
    /** The scheme of a location on the store; {@code s3a://} (Hadoop's name for the same objects) is accepted too. */
    public static final String SCHEME = "s3://";
    private static final String HADOOP_SCHEME = "s3a://";

    private ObjectStore() {}

    /** Whether {@code location} names objects on a store ({@code s3://} or {@code s3a://}) rather than a path. */
    public static boolean isObjectStore(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith(SCHEME) || lower.startsWith(HADOOP_SCHEME);
    }

    /**
     * The bucket and key prefix of a store location ({@code s3://bucket/some/prefix}, trailing slashes dropped).
     *
     * @throws IllegalArgumentException when it is not a store location or names no bucket
     */
    public static Location parse(String location) {
        if (!isObjectStore(location)) {
            throw new IllegalArgumentException("not an object store location (s3://bucket/prefix): " + location);
        }
        String rest = location.substring(location.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        while (key.endsWith("/")) {
            key = key.substring(0, key.length() - 1);
        }
        if (bucket.isEmpty() || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("object store location " + location + ": expected s3://BUCKET/prefix"
                    + " with a bucket name of 3-63 lower-case letters, digits, dots and hyphens");
        }
        return new Location(bucket, key);
    }

    /**
     * A bucket and a key prefix ("" for the bucket's root).
     */
    public record Location(String bucket, String key) {
        /** The key of {@code relative} under this prefix. */
        public String keyOf(String relative) {
            return key.isEmpty() ? relative : key + "/" + relative;
        }

        /** {@code s3://bucket/key}. */
        public String uri() {
            return SCHEME + bucket + (key.isEmpty() ? "" : "/" + key);
        }

        /** The same objects as Hadoop's S3A filesystem names them: {@code s3a://bucket/key}. */
        public String hadoopUri() {
            return HADOOP_SCHEME + bucket + (key.isEmpty() ? "" : "/" + key);
        }

        public Location resolve(String relative) {
            return new Location(bucket, keyOf(relative));
        }
    }

    /**
     * Which store to talk to, from the environment.
     *
     * @param endpoint the endpoint URL; null for AWS S3
     * @param region the region
     * @param pathStyle path-style requests
     */
    public record Settings(String endpoint, String region, boolean pathStyle) {
        public static Settings fromEnvironment(Map<String, String> environment) {
            String endpoint = blankToNull(environment.get(ENDPOINT_ENV));
            String region = blankToNull(environment.get(REGION_ENV));
            return new Settings(endpoint, region == null ? DEFAULT_REGION : region,
                    Boolean.parseBoolean(environment.getOrDefault(PATH_STYLE_ENV, "false").trim()));
        }

        public static Settings fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
