package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoreTest {
    @Test
    void parsesBucketAndPrefixOfBothSchemes() {
        ObjectStore.Location location = ObjectStore.parse("s3://my-bucket/sweeps/a/metrics/");
        assertEquals("my-bucket", location.bucket());
        assertEquals("sweeps/a/metrics", location.key());
        assertEquals("sweeps/a/metrics/r1/x.parquet", location.keyOf("r1/x.parquet"));
        assertEquals("s3a://my-bucket/sweeps/a/metrics", location.hadoopUri());
        assertEquals("s3://my-bucket/sweeps/a/metrics", ObjectStore.parse("s3a://my-bucket/sweeps/a/metrics").uri());
        assertEquals("", ObjectStore.parse("s3://my-bucket").key());
        assertEquals("r1", ObjectStore.parse("s3://my-bucket").keyOf("r1"));
    }

    @Test
    void tellsLocationsOnAStoreFromPaths() {
        assertTrue(ObjectStore.isObjectStore("S3://b/x"));
        assertTrue(ObjectStore.isObjectStore("s3a://b/x"));
        assertFalse(ObjectStore.isObjectStore("/data/s3://b"));
        assertFalse(ObjectStore.isObjectStore("sweeps"));
    }

    @Test
    void aBadBucketOrAPathIsRefusedWithWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectStore.parse("s3:///x"));
        assertTrue(e.getMessage().contains("s3://BUCKET/prefix"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObjectStore.parse("s3://Upper_Case/x"));
        assertThrows(IllegalArgumentException.class, () -> ObjectStore.parse("sweeps/x"));
    }

    @Test
    void settingsComeFromTheEnvironmentWithAWSDefaults() {
        ObjectStore.Settings aws = ObjectStore.Settings.fromEnvironment(Map.of());
        assertNull(aws.endpoint());
        assertEquals("us-east-1", aws.region());
        assertFalse(aws.pathStyle());
        ObjectStore.Settings minio = ObjectStore.Settings.fromEnvironment(Map.of(ObjectStore.ENDPOINT_ENV,
                "http://127.0.0.1:9000", ObjectStore.PATH_STYLE_ENV, "true", ObjectStore.REGION_ENV, "eu-west-1"));
        assertEquals(new ObjectStore.Settings("http://127.0.0.1:9000", "eu-west-1", true), minio);
    }
}
