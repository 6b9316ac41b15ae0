package io.isoflop.scheduler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitCommandTest {
    private final StringWriter err = new StringWriter();

    private int fit(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "fit";
        System.arraycopy(args, 0, all, 1, args.length);
        return IsoflopCli.execute(all, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void needsExactlyOneInput(@TempDir Path dir) {
        assertEquals(ExitCodes.BAD_INPUT, fit());
        assertEquals(ExitCodes.BAD_INPUT, fit(dir.toString(), "--table", dir.resolve("runs.csv").toString()));
        assertTrue(err.toString().contains("either SWEEP_DIR or --table FILE"), err.toString());
    }

    @Test
    void aMissingTableOrSweepIsNamed(@TempDir Path dir) {
        assertEquals(ExitCodes.BAD_INPUT, fit("--table", dir.resolve("runs.csv").toString()));
        assertTrue(err.toString().contains("runs.csv is not a file"), err.toString());
        assertEquals(ExitCodes.BAD_INPUT, fit(dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("must be a sweep directory"), err.toString());
    }
}
