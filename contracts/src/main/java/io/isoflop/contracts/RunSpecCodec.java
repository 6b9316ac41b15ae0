package io.isoflop.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads and writes {@link RunSpec} JSON, the document every backend hands to the worker. */
public final class RunSpecCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private RunSpecCodec() {}

    public static String toJson(RunSpec spec) {
        try {
            return MAPPER.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunSpec fromJson(String json) throws IOException {
        RunSpec spec;
        try {
            spec = MAPPER.readValue(json, RunSpec.class);
        } catch (JsonMappingException e) {
            throw new IOException(fieldPath(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        if (spec.schemaVersion() != RunSpec.SCHEMA_VERSION) {
            throw new IOException("run spec schemaVersion " + spec.schemaVersion() + " is not supported; expected "
                    + RunSpec.SCHEMA_VERSION);
        }
        if (spec.data() != null && spec.shape() != null && spec.data().vocabulary() > spec.shape().vocabSize()) {
            throw new IOException("data.vocabSize: the data's token ids go up to " + (spec.data().vocabulary() - 1)
                    + " but the model's shape.vocabSize is " + spec.shape().vocabSize());
        }
        return spec;
    }

    /** The JSON path of the offending field, e.g. {@code training.steps}. */
    private static String fieldPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "(document)" : path;
    }

    public static RunSpec read(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new IOException("cannot read run spec " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes atomically: a temporary file in the same directory, then a rename. */
    public static void write(RunSpec spec, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(spec));
    }
}
