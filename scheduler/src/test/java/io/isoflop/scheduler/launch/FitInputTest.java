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
                input.arguments("/fit"));
        assertEquals(List.of("--metrics", "s3://b/s/metrics", "--out", "s3://b/s/fit"),
                FitInput.metrics("s3://b/s/metrics").arguments("s3://b/s/fit"));
    }
}
