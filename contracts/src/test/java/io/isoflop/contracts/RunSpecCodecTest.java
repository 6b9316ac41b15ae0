package io.isoflop.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSpecCodecTest {

    @Test
    void aRunSpecReadsBackEqualFromJsonAndFromAFile(@TempDir Path dir) throws IOException {
        RunSpec spec = ContractFixtures.run();
        assertEquals(spec, RunSpecCodec.fromJson(RunSpecCodec.toJson(spec)));
        Path file = dir.resolve("runs/r1/run.json");
        RunSpecCodec.write(spec, file);
        assertEquals(spec, RunSpecCodec.read(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left beside the spec");
        }
    }

    @Test
    void aWrongTypeIsReportedWithItsFieldPath() {
        String json = RunSpecCodec.toJson(ContractFixtures.run()).replace("\"steps\" : 100", "\"steps\" : \"many\"");
        IOException e = assertThrows(IOException.class, () -> RunSpecCodec.fromJson(json));
        assertTrue(e.getMessage().startsWith("training.steps:"), e.getMessage());
    }

    @Test
    void anUnknownFieldOrAMissingNumberIsRefused() {
        String json = RunSpecCodec.toJson(ContractFixtures.run());
        IOException unknown = assertThrows(IOException.class,
                () -> RunSpecCodec.fromJson(json.replace("\"seed\" :", "\"seeed\" : 1, \"seed\" :")));
        assertTrue(unknown.getMessage().contains("seeed"), unknown.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> RunSpecCodec.fromJson(json.replace("\"tokens\" : 51200,", "")));
        assertTrue(missing.getMessage().contains("tokens"), missing.getMessage());
    }

    @Test
    void anotherSchemaVersionIsRefused() {
        String json = RunSpecCodec.toJson(ContractFixtures.run()).replace("\"schemaVersion\" : " + RunSpec.SCHEMA_VERSION,
                "\"schemaVersion\" : 99");
        IOException e = assertThrows(IOException.class, () -> RunSpecCodec.fromJson(json));
        assertTrue(e.getMessage().contains("schemaVersion 99"), e.getMessage());
    }

    @Test
    void withersChangeOneFieldOnly() {
        RunSpec spec = ContractFixtures.run();
        RunSpec renamed = spec.withRunId("other");
        assertEquals("other", renamed.runId());
        assertEquals(spec, renamed.withRunId(spec.runId()));
        assertEquals(spec, spec.withMetricsDir("/elsewhere").withMetricsDir(spec.metricsDir()));
    }

    @Test
    void aTextSourceWritesNoTokenFieldsSoItsJsonIsUnchanged() throws IOException {
        String json = RunSpecCodec.toJson(ContractFixtures.run());
        String data = json.substring(json.indexOf("\"data\""), json.indexOf("\"evalIntervalTokens\""));
        assertFalse(data.contains("dtype") || data.contains("vocabSize"), data);
        assertEquals(256, RunSpecCodec.fromJson(json).data().vocabulary());
    }

    @Test
    void aTokenSourceReadsBackWithItsDtypeAndVocabulary() throws IOException {
        RunSpec text = ContractFixtures.run();
        ModelShape shape = new ModelShape(512, 64, 32, 2, 4, 4);
        RunSpec spec = withData(text, shape, DataSpec.tokens("/data/shards", DataSpec.UINT16, 500, 0.01, 4096,
                16384));
        RunSpec back = RunSpecCodec.fromJson(RunSpecCodec.toJson(spec));
        assertEquals(spec, back);
        assertEquals(DataSpec.UINT16, back.data().dtype());
        assertEquals(500, back.data().vocabulary());
    }

    @Test
    void dataWithMoreTokenIdsThanTheModelHasEmbeddingsIsRefused() {
        RunSpec spec = withData(ContractFixtures.run(), new ModelShape(256, 64, 32, 2, 4, 4),
                DataSpec.tokens("/data/shards", DataSpec.UINT16, 500, 0.01, 4096, 16384));
        IOException e = assertThrows(IOException.class, () -> RunSpecCodec.fromJson(RunSpecCodec.toJson(spec)));
        assertTrue(e.getMessage().startsWith("data.vocabSize:"), e.getMessage());
    }

    private static RunSpec withData(RunSpec r, ModelShape shape, DataSpec data) {
        return new RunSpec(r.schemaVersion(), r.sweep(), r.runId(), r.budgetFlops(), r.flopConvention(),
                r.parameterCount(), shape, r.parameters(), r.tokens(), r.flopsPerToken(), r.training(), data,
                r.evalIntervalTokens(), r.seed(), r.resources(), r.metricsDir(), r.checkpoint());
    }
}
