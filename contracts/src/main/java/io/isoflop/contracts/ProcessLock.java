package io.isoflop.contracts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * An exclusive lock on a file, held by one process at a time and released by the operating system when that
 * process dies, which makes it a liveness check that needs no process ids. Workers hold
 * {@link MetricsLayout#lockFile} while they train a run; a scheduler holds its sweep's lock while it drives it.
 * The holder writes its process id into the file, so that another process can signal it ({@link #holder}).
 */
public final class ProcessLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or returns empty when another process (or this one) holds it. */
    public static Optional<ProcessLock> tryAcquire(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                        .getBytes(StandardCharsets.US_ASCII)), 0);
                channel.force(false);
                return Optional.of(new ProcessLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held inside this JVM
        }
        channel.close();
        return Optional.empty();
    }

    /**
     * Takes the lock, waiting up to {@code patience} for it: a process that only looks whether the lock is held
     * ({@link #isHeld}) takes it for an instant, and must not make a worker starting at that instant give up.
     */
    public static Optional<ProcessLock> tryAcquire(Path file, Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<ProcessLock> lock = tryAcquire(file);
            if (lock.isPresent() || System.nanoTime() >= deadline) {
                return lock;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** True when some live process holds the lock. */
    public static boolean isHeld(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        Optional<ProcessLock> probe = tryAcquire(file);
        probe.ifPresent(ProcessLock::close);
        return probe.isEmpty();
    }

    /** The process id of the live process that holds the lock, if it is held and has written its id. */
    public static Optional<Long> holder(Path file) {
        try {
            if (!isHeld(file)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
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
