package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fit package is plain math: no Spark, no file or network I/O, no reporting (style.md: math apart from I/O). The
 * one name it may take from {@code java.io} is the marker interface {@link java.io.Serializable}, so that its settings
 * records cross to Spark's executors as they are.
 */
class FitPackageIsPureTest {
    private static final Path SOURCES = Path.of("src/main/java/io/isoflop/fitter/fit");
    private static final List<String> FORBIDDEN = List.of(
            "import org.apache.spark", "import io.isoflop.fitter.spark", "import io.isoflop.fitter.report",
            "import java.io", "import java.nio", "import java.net", "import org.knowm", "import com.fasterxml");
    /** Exceptions to {@link #FORBIDDEN}, whole lines: a marker interface, no I/O. */
    private static final List<String> ALLOWED = List.of("import java.io.Serializable;");

    @Test
    void fitSourcesImportNeitherSparkNorIo() throws IOException {
        List<String> offending;
        try (Stream<Path> files = Files.list(SOURCES)) {
            offending = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> lines(f).stream()
                            .filter(FitPackageIsPureTest::forbidden)
                            .map(line -> f.getFileName() + ": " + line))
                    .toList();
        }
        assertEquals(List.of(), offending);
    }

    @Test
    void theRuleRejectsFileAndNetworkIoAndAllowsOnlySerializable() {
        for (String line : List.of("import java.io.File;", "import java.io.*;", "import java.io.InputStream;",
                "import java.io.BufferedReader;", "import java.io.Writer;", "import java.io.UncheckedIOException;",
                "import java.io.SerializablePermission;", "import java.nio.file.Files;", "import java.nio.file.Path;",
                "import java.net.URI;", "import java.net.http.HttpClient;", "import static java.nio.file.Files.lines;",
                "import org.apache.spark.api.java.JavaRDD;", "import io.isoflop.fitter.report.ReportWriter;",
                "import com.fasterxml.jackson.databind.ObjectMapper;")) {
            assertTrue(forbidden(line), line);
        }
        assertFalse(forbidden("import java.io.Serializable;"));
        assertFalse(forbidden("import java.util.List;"));
    }

    /** Whether a source line imports what the fit package must not use. */
    static boolean forbidden(String line) {
        String trimmed = line.strip();
        if (ALLOWED.contains(trimmed)) {
            return false;
        }
        String imported = trimmed.startsWith("import static ") ? "import " + trimmed.substring(14) : trimmed;
        return FORBIDDEN.stream().anyMatch(imported::startsWith);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
