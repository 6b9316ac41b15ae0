package io.isoflop.fitter.spark;

import org.apache.spark.sql.SparkSession;

/** The one way the fitter (and its tests) start Spark: no UI, few shuffle partitions, local drivers on loopback. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * @param master a Spark master URL; null keeps one set by spark-submit ({@code spark.master}), else
     *     {@code local[*]}
     */
    public static SparkSession start(String appName, String master) {
        String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .master(chosen)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4");
        if (chosen.startsWith("local")) {
            // one machine: keep the driver's ports on loopback rather than the first network interface
            builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
        }
        return builder.getOrCreate();
    }
}
