package io.isoflop.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files that are either absent or complete: written under a temporary name, then renamed. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** A temporary sibling of {@code target}; rename it with {@link #commit} when complete. */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }

    public static void commit(Path temporary, Path target) throws IOException {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static void writeString(Path target, String content) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = temporarySibling(target.toAbsolutePath());
        Files.writeString(temporary, content);
        commit(temporary, target);
    }
}
