package io.isoflop.fitter.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fit package is plain math: no Spark, no I/O, no reporting (style.md: math apart from I/O). */
class FitPackageIsPureTest {
    private static final Path SOURCES = Path.of("src/main/java/io/isoflop/fitter/fit");
    private static final List<String> FORBIDDEN = List.of(
            "import org.apache.spark", "import io.isoflop.fitter.spark", "import io.isoflop.fitter.report",
            "import java.io", "import java.nio", "import org.knowm", "import com.fasterxml");

    @Test
    void fitSourcesImportNeitherSparkNorIo() throws IOException {
        List<String> offending;
        try (Stream<Path> files = Files.list(SOURCES)) {
            offending = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> lines(f).stream()
                            .filter(line -> FORBIDDEN.stream().anyMatch(line::startsWith))
                            .map(line -> f.getFileName() + ": " + line))
                    .toList();
        }
        assertEquals(List.of(), offending);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
