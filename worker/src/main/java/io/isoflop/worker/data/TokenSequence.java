package io.isoflop.worker.data;

/** A read-only sequence of token ids: text bytes, or memory-mapped pre-tokenized shards. */
public interface TokenSequence {

    long length();

    /** The token at {@code index} (0 ≤ index < length), as a non-negative id. */
    int get(long index);

    /** Tokens {@code from .. to-1} of this sequence, as a view. */
    default TokenSequence slice(long from, long to) {
        if (from < 0 || to < from || to > length()) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + length() + " tokens");
        }
        TokenSequence whole = this;
        return new TokenSequence() {
            @Override
            public long length() {
                return to - from;
            }

            @Override
            public int get(long index) {
                return whole.get(from + index);
            }
        };
    }

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
