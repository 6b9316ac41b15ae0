package io.isoflop.worker.data;

import java.util.Arrays;

/**
 * The tokens a run trains on, split once into a training part and a fixed held-out part.
 *
 * @param name where the tokens came from, for logs and errors
 * @param vocabulary token ids are below this
 */
public record Corpus(String name, TokenSequence train, TokenSequence heldOut, int vocabulary) {

    /** The vocabulary of byte-level text. */
    public static final int BYTES = 256;

    /** Splits byte-level text so that the last {@code heldOutFraction} of it is held out for evaluation. */
    public static Corpus splitBytes(String name, byte[] bytes, double heldOutFraction) {
        if (!(heldOutFraction > 0 && heldOutFraction < 0.5)) {
            throw new IllegalArgumentException("eval fraction must be in (0, 0.5), got " + heldOutFraction);
        }
        int heldOut = (int) Math.round(bytes.length * heldOutFraction);
        int cut = bytes.length - heldOut;
        return new Corpus(name, TokenSequence.ofBytes(Arrays.copyOfRange(bytes, 0, cut)),
                TokenSequence.ofBytes(Arrays.copyOfRange(bytes, cut, bytes.length)), BYTES);
    }
}
