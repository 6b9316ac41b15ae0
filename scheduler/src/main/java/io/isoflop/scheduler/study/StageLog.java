package io.isoflop.scheduler.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.isoflop.contracts.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages of an adaptive sweep as decided, in {@code <sweepDir>/stages.json}: each stage (its budgets, run specs
 * and reason) is written before any of its runs is started, so that a restarted sweep continues the stages it
 * decided instead of deciding them again, and a person (and the report) can read why each stage ran.
 */
public final class StageLog {
    public static final String FILE = "stages.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    /** The document: every decided stage in order, the one that ended the sweep last. */
    public record Document(String sweep, List<Stage> stages) {}

    public StageLog(Path sweepDir) {
        this.file = sweepDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** The stages decided so far; empty before the first. @throws IOException naming the file when unreadable */
    public List<Stage> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return MAPPER.readValue(file.toFile(), Document.class).stages();
        } catch (IOException e) {
            throw new IOException("cannot read the adaptive sweep's stages " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records {@code stage} after those already recorded; it must be the next index. */
    public void append(String sweep, Stage stage) throws IOException {
        List<Stage> stages = new ArrayList<>(read());
        if (stage.index() != stages.size() + 1) {
            throw new IllegalStateException("stage " + stage.index() + " recorded after " + stages.size()
                    + " stages in " + file);
        }
        stages.add(stage);
        try {
            AtomicFiles.writeString(file, MAPPER.writeValueAsString(new Document(sweep, stages)) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the stages of " + sweep, e);
        }
    }
}
