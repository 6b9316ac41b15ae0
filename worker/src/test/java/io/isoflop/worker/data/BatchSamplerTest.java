package io.isoflop.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.DataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSamplerTest {

    @Test
    void theSameSeedGivesTheSameBatchesAndLabelsAreInputsShiftedByOne(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "the quick brown fox jumps over the lazy dog. ".repeat(2000));
        Corpus corpus = CorpusLoader.load(new DataSpec(DataSpec.FILES, text.toString(), 0.1, 256, 256));
        long[][] first = batch(new BatchSampler(corpus, 16, 42));
        long[][] again = batch(new BatchSampler(corpus, 16, 42));
        long[][] other = batch(new BatchSampler(corpus, 16, 43));

        assertArrayEquals(first[0], again[0]);
        assertArrayEquals(first[1], again[1]);
        assertFalse(Arrays.equals(first[0], other[0]), "another seed, another order");
        for (int s = 0; s < 4; s++) {
            for (int t = 0; t + 1 < 16; t++) {
                assertEquals(first[0][s * 16 + t + 1], first[1][s * 16 + t], "label = next input byte");
            }
        }
    }

    @Test
    void heldOutTextIsTheTailAndNeverTrainedOn(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("texts"));
        Files.writeString(folder.resolve("a.txt"), "a".repeat(9000));
        Files.writeString(folder.resolve("b.txt"), "b".repeat(9000));
        Corpus corpus = CorpusLoader.load(new DataSpec(DataSpec.FILES, folder.toString(), 0.25, 256, 256));

        assertEquals(18002, corpus.train().length() + corpus.heldOut().length(), "files joined by newlines");
        for (long i = 0; i < corpus.heldOut().length(); i++) {
            int c = corpus.heldOut().get(i);
            assertTrue(c == 'b' || c == '\n', "the held-out tail comes from the last file");
        }
        BatchSampler sampler = new BatchSampler(corpus, 32, 1);
        assertEquals(4, sampler.heldOutSequences(100), "enough whole sequences to cover the requested tokens");
    }

    @Test
    void tooLittleTextIsRejectedWithThePath(@TempDir Path dir) throws IOException {
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "hello");
        IOException e = assertThrows(IOException.class,
                () -> CorpusLoader.load(new DataSpec(DataSpec.FILES, tiny.toString(), 0.1, 256, 256)));
        assertTrue(e.getMessage().contains(tiny.toString()), e.getMessage());
    }

    @Test
    void aStepsBatchDependsOnlyOnTheSeedAndTheStep(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "pack my box with five dozen liquor jugs. ".repeat(2000));
        Corpus corpus = CorpusLoader.load(new DataSpec(DataSpec.FILES, text.toString(), 0.1, 256, 256));
        BatchSampler sampler = new BatchSampler(corpus, 16, 42);
        long[][] seventh = batch(sampler, 7);
        batch(sampler, 1);
        assertArrayEquals(seventh[0], batch(new BatchSampler(corpus, 16, 42), 7)[0], "no hidden position to restore");
        assertArrayEquals(seventh[0], batch(sampler, 7)[0]);
        assertFalse(Arrays.equals(seventh[0], batch(sampler, 8)[0]), "each step its own windows");
        assertEquals(2.0, sampler.epochs(2 * corpus.train().length()), 1e-12);
    }

    /**
     * A data-constrained run ({@code unique_tokens}) draws every training window from the first U tokens of the
     * split, so its epochs are D / U; the text is made of distinct bytes before and after U to tell them apart.
     */
    @Test
    void aCapOnUniqueTokensKeepsEveryWindowInTheFirstTokensAndCountsItsEpochs(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "a".repeat(4000) + "z".repeat(40_000));
        Corpus corpus = CorpusLoader.load(new DataSpec(DataSpec.FILES, text.toString(), 0.1, 256, 256));
        BatchSampler capped = new BatchSampler(corpus, 16, 42, 4000L);
        for (long step = 1; step <= 200; step++) {
            long[][] windows = batch(capped, step);
            for (long token : windows[1]) {
                assertEquals('a', token, "step " + step + " drew a token past the cap");
            }
        }
        assertEquals(2.5, capped.epochs(10_000), 1e-12);
        BatchSampler whole = new BatchSampler(corpus, 16, 42, null);
        assertEquals((double) 10_000 / corpus.train().length(), whole.epochs(10_000), 1e-12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchSampler(corpus, 16, 42, 10L))
                .getMessage().contains("unique_tokens"));
    }

    private static long[][] batch(BatchSampler sampler) {
        return batch(sampler, 1);
    }

    private static long[][] batch(BatchSampler sampler, long step) {
        long[] inputs = new long[4 * 16];
        long[] labels = new long[4 * 16];
        sampler.trainingBatch(step, 4, inputs, labels);
        return new long[][] {inputs, labels};
    }
}
