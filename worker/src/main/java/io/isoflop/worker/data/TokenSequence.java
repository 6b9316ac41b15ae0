package io.isoflop.worker.data;

/** A read-only sequence of token ids: text bytes, or memory-mapped pre-tokenized shards. */
public interface TokenSequence {

    long length();

    /** The token at {@code index} (0 ≤ index < length), as a non-negative id. */
    int get(long index);

    /** Bytes as tokens (vocabulary 256). */
    static TokenSequence ofBytes(byte[] bytes) {
        return new TokenSequence() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public int get(long index) {
                return bytes[(int) index] & 0xFF;
            }
        };
    }
}
