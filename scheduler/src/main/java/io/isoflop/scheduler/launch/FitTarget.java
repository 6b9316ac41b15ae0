package io.isoflop.scheduler.launch;

import io.isoflop.contracts.ObjectStore;
import io.isoflop.worker.store.StoreClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where a fit goes: {@code output} is what the fitter writes to ({@code --out}: a directory, or {@code s3://…} on the
 * sweep's object store), {@code localDir} where this machine keeps its copy of the frontier (and, for a local
 * fitter, its log). For a directory output the two are the same.
 */
public record FitTarget(String output, Path localDir) {

    public static FitTarget directory(Path dir) {
        return new FitTarget(dir.toString(), dir);
    }

    public boolean onObjectStore() {
        return ObjectStore.isObjectStore(output);
    }

    /**
     * The fitted {@value FitterRun#FRONTIER_FILE} as a file here: the one written, or the stored one fetched into
     * {@code localDir} (missing when the fitter stored none).
     */
    public Path frontier() throws IOException {
        Path local = localDir.resolve(FitterRun.FRONTIER_FILE);
        if (!onObjectStore()) {
            return local;
        }
        ObjectStore.Location stored = ObjectStore.parse(output).resolve(FitterRun.FRONTIER_FILE);
        Files.createDirectories(localDir);
        Path temporary = localDir.resolve("." + FitterRun.FRONTIER_FILE + ".download");
        try (S3Client s3 = StoreClients.s3(ObjectStore.Settings.fromEnvironment())) {
            Files.deleteIfExists(temporary);
            s3.getObject(b -> b.bucket(stored.bucket()).key(stored.key()), temporary);
            Files.move(temporary, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException missing) {
            Files.deleteIfExists(local); // an older copy is not this fit's
        } catch (SdkException e) {
            throw new IOException("cannot fetch " + stored.uri() + ": " + e.getMessage(), e);
        }
        return local;
    }

    /** Where a person opens the report. */
    public String report() {
        return onObjectStore() ? output + "/report.html" : localDir.resolve("report.html").toString();
    }
}
