package io.isoflop.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoflop.contracts.DataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardTokensTest {

    @Test
    void uint16ShardsAreReadUnsignedLittleEndianAndConcatenatedInOrder(@TempDir Path dir) throws IOException {
        Path first = ShardFiles.uint16(dir.resolve("a.bin"), 0, 1, 258, 40000, 65535);
        Path second = ShardFiles.uint16(dir.resolve("b.bin"), 7, 8);
        ShardTokens tokens = ShardTokens.open(List.of(first, second), DataSpec.UINT16, 65536);

        assertEquals(7, tokens.length());
        assertEquals(List.of(0, 1, 258, 40000, 65535, 7, 8), all(tokens));
    }

    @Test
    void uint32ShardsHoldIdsAbove65535(@TempDir Path dir) throws IOException {
        Path shard = ShardFiles.uint32(dir.resolve("train.bin"), 5, 70000, 128255, 1L << 20);
        ShardTokens tokens = ShardTokens.open(List.of(shard), DataSpec.UINT32, (1 << 20) + 1);

        assertEquals(List.of(5, 70000, 128255, 1 << 20), all(tokens));
    }

    @Test
    void shardsAreMappedInChunksAndReadAcrossChunkAndShardBoundaries(@TempDir Path dir) throws IOException {
        Path first = ShardFiles.uint16(dir.resolve("a.bin"), ShardFiles.range(0, 10));
        Path empty = ShardFiles.uint16(dir.resolve("b.bin"));
        Path second = ShardFiles.uint16(dir.resolve("c.bin"), ShardFiles.range(10, 17));
        // 3 tokens per mapping: a.bin is 4 chunks, c.bin 3, as a shard over 2 GiB is several 1 GiB chunks
        ShardTokens small = ShardTokens.open(List.of(first, empty, second), DataSpec.UINT16, 100, 6);
        assertEquals(17, small.length());
        for (int i = 0; i < 17; i++) {
            assertEquals(i, small.get(i));
        }
        Path wide = ShardFiles.uint32(dir.resolve("d.bin"), 0, 1, 2, 3, 4);
        ShardTokens chunked = ShardTokens.open(List.of(wide), DataSpec.UINT32, 100, 8);
        assertEquals(List.of(0, 1, 2, 3, 4), all(chunked));
        assertTrue(ShardTokens.CHUNK_BYTES % 4 == 0 && ShardTokens.CHUNK_BYTES < Integer.MAX_VALUE);
    }

    @Test
    void aFileThatIsNotAWholeNumberOfTokensIsRefusedByName(@TempDir Path dir) throws IOException {
        Path odd = Files.write(dir.resolve("odd.bin"), new byte[] {1, 0, 2});
        IOException e = assertThrows(IOException.class,
                () -> ShardTokens.open(List.of(odd), DataSpec.UINT16, 256));
        assertTrue(e.getMessage().startsWith(odd + ": 3 bytes is not a whole number of uint16 tokens"),
                e.getMessage());
        Path six = Files.write(dir.resolve("six.bin"), new byte[6]);
        IOException wide = assertThrows(IOException.class,
                () -> ShardTokens.open(List.of(six), DataSpec.UINT32, 256));
        assertTrue(wide.getMessage().startsWith(six.toString()), wide.getMessage());
    }

    @Test
    void aTokenIdAtOrAboveTheVocabularyIsRefusedAtOpeningOrWhenRead(@TempDir Path dir) throws IOException {
        Path early = ShardFiles.uint16(dir.resolve("early.bin"), 1, 2, 500, 3);
        IOException e = assertThrows(IOException.class,
                () -> ShardTokens.open(List.of(early), DataSpec.UINT16, 500));
        assertEquals(early + ": token 2 is 500, not below the vocabulary size 500 (is the dtype or vocab_size"
                + " wrong?)", e.getMessage());

        int[] ids = new int[ShardTokens.SCAN_TOKENS + 10];
        ids[ids.length - 1] = 9999; // past the part scanned on opening
        Path late = ShardFiles.uint16(dir.resolve("late.bin"), ids);
        ShardTokens tokens = ShardTokens.open(List.of(late), DataSpec.UINT16, 500);
        assertEquals(0, tokens.get(ids.length - 2));
        IllegalStateException read = assertThrows(IllegalStateException.class, () -> tokens.get(ids.length - 1));
        assertTrue(read.getMessage().startsWith(late + ": token " + (ids.length - 1) + " is 9999"),
                read.getMessage());
    }

    @Test
    void llmcShardsAreReadAfterTheirHeader(@TempDir Path dir) throws IOException {
        Path shard = ShardFiles.llmc(dir.resolve("fineweb_train_000001.bin"), 1, 4, 50256, 11, 12, 13);
        ShardTokens tokens = ShardTokens.open(List.of(shard), DataSpec.UINT16, 50257);
        assertEquals(List.of(50256, 11, 12, 13), all(tokens));

        Path lying = ShardFiles.llmc(dir.resolve("lying.bin"), 1, 5, 1, 2, 3, 4);
        IOException count = assertThrows(IOException.class,
                () -> ShardTokens.open(List.of(lying), DataSpec.UINT16, 50257));
        assertTrue(count.getMessage().startsWith(lying + ": an llm.c shard whose header says 5 tokens"),
                count.getMessage());
        IOException dtype = assertThrows(IOException.class,
                () -> ShardTokens.open(List.of(shard), DataSpec.UINT32, 50257));
        assertTrue(dtype.getMessage().contains("uint16"), dtype.getMessage());
        Path newer = ShardFiles.llmc(dir.resolve("newer.bin"), 7, 4, 1, 2, 3, 4);
        IOException version = assertThrows(IOException.class,
                () -> ShardTokens.open(List.of(newer), DataSpec.UINT16, 50257));
        assertTrue(version.getMessage().contains("version 7"), version.getMessage());
    }

    @Test
    void valShardsAreHeldOutAndOtherFilesIgnored(@TempDir Path dir) throws IOException {
        ShardFiles.uint16(dir.resolve("fineweb_train_000002.bin"), 20, 21, 22);
        ShardFiles.uint16(dir.resolve("fineweb_train_000001.bin"), 10, 11, 12);
        ShardFiles.uint16(dir.resolve("fineweb_val_000000.bin"), 90, 91);
        Files.writeString(dir.resolve("meta.pkl"), "not tokens");
        Files.writeString(dir.resolve("input.txt"), "not tokens either");
        Corpus corpus = CorpusLoader.load(tokens(dir, DataSpec.UINT16, 100));

        assertEquals(List.of(10, 11, 12, 20, 21, 22), all(corpus.train()));
        assertEquals(List.of(90, 91), all(corpus.heldOut()));
        assertEquals(100, corpus.vocabulary());
        assertEquals(dir.toString(), corpus.name());
    }

    @Test
    void whichShardNamesAreHeldOut() {
        for (String name : List.of("val.bin", "fineweb_val_000000.bin", "shard-valid-3.bin", "VALIDATION.bin",
                "tiny_val.bin", "val0.bin")) {
            assertTrue(CorpusLoader.isHeldOutShard(Path.of("/data", name)), name);
        }
        for (String name : List.of("train.bin", "interval.bin", "values_000.bin", "eval.bin", "fineweb_train_1.bin")) {
            assertFalse(CorpusLoader.isHeldOutShard(Path.of("/data/val", name)), name);
        }
    }

    @Test
    void withoutAValShardTheTailOfTheConcatenatedShardsIsHeldOut(@TempDir Path dir) throws IOException {
        ShardFiles.uint32(dir.resolve("part-0.bin"), toLongs(ShardFiles.range(0, 600)));
        ShardFiles.uint32(dir.resolve("part-1.bin"), toLongs(ShardFiles.range(600, 1000)));
        Corpus corpus = CorpusLoader.load(DataSpec.tokens(dir.toString(), DataSpec.UINT32, 1000, 0.1, 64, 64));

        assertEquals(900, corpus.train().length());
        assertEquals(100, corpus.heldOut().length());
        assertEquals(899, corpus.train().get(899));
        assertEquals(900, corpus.heldOut().get(0));
        assertEquals(999, corpus.heldOut().get(99));
    }

    @Test
    void aSingleShardFileIsAPathToo(@TempDir Path dir) throws IOException {
        Path train = ShardFiles.uint16(dir.resolve("train.bin"), ShardFiles.range(0, 200));
        Corpus corpus = CorpusLoader.load(DataSpec.tokens(train.toString(), DataSpec.UINT16, 200, 0.25, 8, 8));
        assertEquals(150, corpus.train().length());
        assertEquals(150, corpus.heldOut().get(0));
    }

    @Test
    void aDirectoryWithoutShardsOrOnlyValShardsOrABadDataSpecIsRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("meta.pkl"), "x");
        IOException none = assertThrows(IOException.class,
                () -> CorpusLoader.load(tokens(empty, DataSpec.UINT16, 100)));
        assertEquals("data.path: " + empty + " holds no token shards (*.bin files)", none.getMessage());

        Path onlyVal = Files.createDirectories(dir.resolve("only-val"));
        ShardFiles.uint16(onlyVal.resolve("val.bin"), 1, 2, 3);
        IOException nothingToTrain = assertThrows(IOException.class,
                () -> CorpusLoader.load(tokens(onlyVal, DataSpec.UINT16, 100)));
        assertTrue(nothingToTrain.getMessage().contains("nothing is left to train on"), nothingToTrain.getMessage());

        IOException wide = assertThrows(IOException.class,
                () -> CorpusLoader.load(tokens(onlyVal, DataSpec.UINT16, 70000)));
        assertEquals("data.vocabSize: 70000 token ids do not fit in uint16", wide.getMessage());
        IOException dtype = assertThrows(IOException.class,
                () -> CorpusLoader.load(tokens(onlyVal, "int8", 100)));
        assertTrue(dtype.getMessage().startsWith("data.dtype: expected one of uint16, uint32"), dtype.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> CorpusLoader.load(new DataSpec(DataSpec.TOKENS, empty.toString(), 0.01, 8, 8)));
        assertTrue(missing.getMessage().startsWith("data.dtype:"), missing.getMessage());
    }

    private static DataSpec tokens(Path path, String dtype, int vocabulary) {
        return DataSpec.tokens(path.toString(), dtype, vocabulary, 0.01, 64, 64);
    }

    private static long[] toLongs(int[] ints) {
        long[] longs = new long[ints.length];
        for (int i = 0; i < ints.length; i++) {
            longs[i] = ints[i];
        }
        return longs;
    }

    private static List<Integer> all(TokenSequence tokens) {
        List<Integer> ids = new ArrayList<>();
        for (long i = 0; i < tokens.length(); i++) {
            ids.add(tokens.get(i));
        }
        return ids;
    }
}
