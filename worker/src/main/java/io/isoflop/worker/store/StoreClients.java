package io.isoflop.worker.store;

import io.isoflop.contracts.ObjectStore;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The one way isoflop's worker and scheduler make an S3 client. */
public final class StoreClients {
    private StoreClients() {}

    /**
     * A client for the store {@code settings} name, credentials from the AWS SDK's default chain (environment, web
     * identity / IRSA, profile, container and instance roles); none is ever passed in or logged.
     */
    public static S3Client s3(ObjectStore.Settings settings) {
        var builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        return builder.build();
    }
}
