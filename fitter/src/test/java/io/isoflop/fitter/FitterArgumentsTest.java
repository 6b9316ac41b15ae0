package io.isoflop.fitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitterArgumentsTest {

    @Test
    void parsesRequiredAndOptionalArguments() {
        FitterArguments args = FitterArguments.parse("--metrics", "s/metrics", "--out", "o", "--master", "local[2]");

        assertEquals(Path.of("s/metrics"), args.metricsDir());
        assertEquals(Path.of("o"), args.outDir());
        assertEquals("local[2]", args.master());
        assertFalse(args.strict());
        assertNull(FitterArguments.parse("--out", "o", "--metrics", "m", "--strict").master());
        assertTrue(FitterArguments.parse("--out", "o", "--metrics", "m", "--strict").strict());
    }

    @Test
    void rejectsMissingOrUnknownArguments() {
        assertEquals("--out is required",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--metrics", "m")).getMessage());
        assertEquals("--metrics needs a value",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--metrics", "--out", "o"))
                        .getMessage());
        assertEquals("unknown argument '--budget'",
                assertThrows(IllegalArgumentException.class, () -> FitterArguments.parse("--budget", "1")).getMessage());
    }

    @Test
    void badArgumentsAndMissingMetricsDirectoryExitWithTwoBeforeStartingSpark(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertEquals(FitterMain.EXIT_BAD_INPUT, FitterMain.run(new String[] {"--metrics"}, out, errStream));
        Path missing = dir.resolve("nowhere/metrics");
        assertEquals(FitterMain.EXIT_BAD_INPUT, FitterMain.run(
                new String[] {"--metrics", missing.toString(), "--out", dir.resolve("out").toString()}, out, errStream));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains(FitterArguments.USAGE));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(missing.toString()));
    }
}
