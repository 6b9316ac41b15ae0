package io.isoflop.fitter.spark;

import io.isoflop.contracts.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hadoop settings under which Spark's S3A filesystem ({@code s3a://}) reads a sweep's objects: the store's
 * endpoint, region and addressing from {@link ObjectStore.Settings}, and credentials from the AWS SDK's default
 * chain (environment, web identity / IRSA, profile, container and instance roles). S3A's own default chain has no
 * web identity, so on EKS it would not find the pod's role. No credential is ever put into the configuration.
 */
public final class S3aConfiguration {
    static final String CREDENTIALS_PROVIDER = "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

    private S3aConfiguration() {}

    /** The {@code fs.s3a.*} settings for {@code store} (Spark takes them as {@code spark.hadoop.fs.s3a.*}). */
    public static Map<String, String> of(ObjectStore.Settings store) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fs.s3a.aws.credentials.provider", CREDENTIALS_PROVIDER);
        settings.put("fs.s3a.endpoint.region", store.region());
        settings.put("fs.s3a.path.style.access", Boolean.toString(store.pathStyle()));
        if (store.endpoint() != null) {
            settings.put("fs.s3a.endpoint", store.endpoint());
            settings.put("fs.s3a.connection.ssl.enabled",
                    Boolean.toString(store.endpoint().toLowerCase(java.util.Locale.ROOT).startsWith("https")));
        }
        return settings;
    }
}
