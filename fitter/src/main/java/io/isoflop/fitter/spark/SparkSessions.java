package io.isoflop.fitter.spark;

import io.isoflop.contracts.ObjectStore;
import org.apache.spark.sql.SparkSession;

/** The one way the fitter (and its tests) start Spark: no UI, few shuffle partitions, local drivers on loopback. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * @param master a Spark master URL; null keeps one set by spark-submit ({@code spark.master}), else
     *     {@code local[*]}
     */
    public static SparkSession start(String appName, String master) {
        return start(appName, master, ObjectStore.Settings.fromEnvironment());
    }

    /**
     * Like {@link #start(String, String)}, with Hadoop's S3A filesystem set up for {@code store}
     * ({@link S3aConfiguration}), so that metrics under {@code s3://} are read through {@code s3a://}.
     */
    public static SparkSession start(String appName, String master, ObjectStore.Settings store) {
        String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .master(chosen)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4");
        S3aConfiguration.of(store).forEach((key, value) -> builder.config("spark.hadoop." + key, value));
        if (chosen.startsWith("local")) {
            // one machine: keep the driver's ports on loopback rather than the first network interface
            builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
        }
        return builder.getOrCreate();
    }
}
