package io.isoflop.fitter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.isoflop.contracts.ObjectStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3aConfigurationTest {
    @Test
    void aStoreOnAnEndpointGetsItsAddressingAndTheSdkCredentialsChain() {
        Map<String, String> settings = S3aConfiguration.of(new ObjectStore.Settings("http://127.0.0.1:9000",
                "eu-west-1", true));

        assertEquals("http://127.0.0.1:9000", settings.get("fs.s3a.endpoint"));
        assertEquals("false", settings.get("fs.s3a.connection.ssl.enabled"));
        assertEquals("true", settings.get("fs.s3a.path.style.access"));
        assertEquals("eu-west-1", settings.get("fs.s3a.endpoint.region"));
        assertEquals(S3aConfiguration.CREDENTIALS_PROVIDER, settings.get("fs.s3a.aws.credentials.provider"));
    }

    @Test
    void awsItselfNeedsNoEndpointAndNoCredentialIsEverSet() {
        Map<String, String> settings = S3aConfiguration.of(ObjectStore.Settings.fromEnvironment(Map.of()));

        assertFalse(settings.containsKey("fs.s3a.endpoint"));
        assertFalse(settings.keySet().stream().anyMatch(k -> k.contains("key") || k.contains("secret")), settings.toString());
    }
}
