package io.isoflop.contracts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** The per-run worker lock of {@link MetricsLayout#lockFile}: one worker trains a run at a time. */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the run's lock, or returns empty when another process holds it. */
    public static Optional<RunLock> tryAcquire(Path metricsDir, String runId) throws IOException {
        Path file = MetricsLayout.lockFile(metricsDir, runId);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new RunLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held inside this JVM
        }
        channel.close();
        return Optional.empty();
    }

    /** True when some live process holds the run's lock (a worker is training it right now). */
    public static boolean isHeld(Path metricsDir, String runId) throws IOException {
        if (!Files.exists(MetricsLayout.lockFile(metricsDir, runId))) {
            return false;
        }
        Optional<RunLock> probe = tryAcquire(metricsDir, runId);
        probe.ifPresent(RunLock::close);
        return probe.isEmpty();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel in any case
        }
    }
}
