package io.isoflop.scheduler.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FitInputTest {

    @Test
    void theFitterGetsItsInputOutputAndOptionsInOrder() {
        FitInput input = FitInput.table(Path.of("/runs.csv")).with(List.of("--bootstrap", "200"));
        assertEquals(List.of("--table", "/runs.csv", "--out", "/fit", "--bootstrap", "200"),
                input.arguments(Path.of("/fit")));
        assertEquals(List.of("--metrics", "/m", "--out", "/fit"), FitInput.metrics(Path.of("/m"))
                .arguments(Path.of("/fit")));
    }
}
