package io.isoflop.worker.data;

/**
 * Byte-level text split once into a training part and a fixed held-out part (the tail of the corpus).
 *
 * @param name where the text came from, for logs and errors
 */
public record Corpus(String name, byte[] train, byte[] heldOut) {

    public static final int VOCABULARY = 256;

    /** Splits {@code bytes} so that the last {@code heldOutFraction} of it is held out for evaluation. */
    public static Corpus split(String name, byte[] bytes, double heldOutFraction) {
        if (!(heldOutFraction > 0 && heldOutFraction < 0.5)) {
            throw new IllegalArgumentException("eval fraction must be in (0, 0.5), got " + heldOutFraction);
        }
        int heldOut = (int) Math.round(bytes.length * heldOutFraction);
        int cut = bytes.length - heldOut;
        byte[] train = java.util.Arrays.copyOfRange(bytes, 0, cut);
        byte[] eval = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
        return new Corpus(name, train, eval);
    }
}
