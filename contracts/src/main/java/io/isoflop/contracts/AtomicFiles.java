package io.isoflop.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files that are either absent or complete: written under a temporary name, then renamed. A write that fails
 * part-way (a full disk, a dead volume) leaves the target as it was and no temporary file behind, and its error
 * names the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the whole content into {@code temporary}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    /** Writes {@code target} through {@code content} at a temporary sibling, then renames that into place. */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = temporarySibling(absolute);
        try {
            content.writeTo(temporary);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof IOException io) {
                throw new IOException("cannot write " + absolute + ": " + io.getMessage(), io);
            }
            throw e;
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, temporary -> Files.writeString(temporary, content));
    }

    /**
     * Removes the temporaries that writers killed part-way (SIGKILL, a node lost) left in {@code directory}: files
     * named as {@link #temporarySibling} names them. Only for a directory no one else writes to now (a run's, under
     * its lock). Returns how many were removed.
     */
    public static int removeLeftTemporaries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (LEFT_TEMPORARY.matcher(file.getFileName().toString()).matches() && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static final java.util.regex.Pattern LEFT_TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.tmp-\\d+");

    /** The temporary sibling {@link #write} uses for {@code target} (in this process). */
    static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }
}
