package io.isoflop.fitter.spark;

import io.isoflop.contracts.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Stores a report written locally under a prefix on the object store, through the same S3A filesystem the fitter
 * read the metrics with, and removes the local copy. {@code frontier.json} goes last: once it is there, the report
 * is whole (an object appears whole or not at all), which is what a scheduler waiting for the fit looks for.
 */
public final class ReportUpload {
    public static final String LAST = "frontier.json";

    private ReportUpload() {}

    public static void store(SparkSession spark, Path localDir, ObjectStore.Location target) throws IOException {
        Configuration configuration = spark.sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path destination = new org.apache.hadoop.fs.Path(target.hadoopUri());
        FileSystem store = destination.getFileSystem(configuration);
        for (Path file : inStoringOrder(localDir)) {
            String relative = localDir.relativize(file).toString().replace('\\', '/');
            store.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(file.toUri()),
                    new org.apache.hadoop.fs.Path(destination, relative));
        }
        try (Stream<Path> left = Files.walk(localDir)) {
            for (Path path : left.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Every file under {@code dir}, {@value #LAST} last. */
    public static List<Path> inStoringOrder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> ordered = new ArrayList<>(files.filter(Files::isRegularFile).sorted().toList());
            ordered.sort(Comparator.comparing((Path f) -> f.equals(dir.resolve(LAST))));
            return ordered;
        }
    }
}
