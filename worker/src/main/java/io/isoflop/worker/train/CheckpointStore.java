package io.isoflop.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.isoflop.contracts.AtomicFiles;
import io.isoflop.contracts.MetricsLayout;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's checkpoints on disk ({@link MetricsLayout#checkpointDir}): one file per checkpoint, written under a
 * temporary name and renamed, so the newest file is always complete; older ones are deleted once a newer one
 * is in place. A file holds the {@link Checkpoint}, then named arrays: the model's parameters and the
 * optimizer's state.
 */
final class CheckpointStore {
    private static final int MAGIC = 0x49534f43; // "ISOC"
    private static final int VERSION = 1;

    private final Path directory;
    private final Path metricsDir;
    private final String runId;

    CheckpointStore(Path metricsDir, String runId) {
        this.metricsDir = metricsDir;
        this.runId = runId;
        this.directory = MetricsLayout.checkpointDir(metricsDir, runId);
    }

    /** What a checkpoint file holds besides its {@link Checkpoint}. */
    record Contents(Checkpoint at, Map<String, NDArray> parameters, Map<String, NDArray> optimizer) {}

    void save(Checkpoint at, Map<String, NDArray> parameters, Map<String, NDArray> optimizer) throws IOException {
        Path target = MetricsLayout.checkpointFile(metricsDir, runId, at.step());
        AtomicFiles.write(target, temporary -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(temporary), 1 << 20))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(at.step());
                out.writeLong(at.tokens());
                out.writeDouble(at.wallSeconds());
                out.writeDouble(at.lossScale());
                out.writeLong(at.lossScaleGoodSteps());
                writeArrays(out, parameters);
                writeArrays(out, optimizer);
            }
        });
        for (Path older : files()) {
            if (!older.equals(target)) {
                Files.deleteIfExists(older);
            }
        }
    }

    /** The newest complete checkpoint, its arrays on {@code manager}; empty when there is none. */
    Optional<Contents> newest(NDManager manager) throws IOException {
        List<Path> files = files();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Path file = files.get(files.size() - 1);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("checkpoint " + file + " is not an isoflop checkpoint of version " + VERSION);
            }
            Checkpoint at = new Checkpoint(in.readLong(), in.readLong(), in.readDouble(), in.readDouble(),
                    in.readLong());
            return Optional.of(new Contents(at, readArrays(in, manager), readArrays(in, manager)));
        }
    }

    /** Removes every checkpoint of the run (once it has finished). */
    void deleteAll() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> all = Files.list(directory)) {
            for (Path file : all.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    /** Complete checkpoint files, oldest first (temporary files are hidden and skipped). */
    private List<Path> files() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(directory)) {
            return all.filter(f -> f.getFileName().toString().startsWith("step-")
                    && f.getFileName().toString().endsWith(".ckpt")).sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static void writeArrays(DataOutputStream out, Map<String, NDArray> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            byte[] bytes = e.getValue().encode();
            out.writeUTF(e.getKey());
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static Map<String, NDArray> readArrays(DataInputStream in, NDManager manager) throws IOException {
        int count = in.readInt();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            arrays.put(name, manager.decode(bytes));
        }
        return arrays;
    }
}
