package dev.consentry.leak;

import java.util.function.Consumer;

/**
 * Base64 as an outer layer (base64 of gzip, of JSON with escapes, of hex). A canary directly inside base64 is found
 * without this, by searching its encoded forms; decoding is needed only when something else sits in between, and
 * then the base64 is a whole field, so decoding each maximal run from its start suffices. A run is copied out only
 * when its decoded bytes are plausible (checked while decoding) or start as brotli does (see {@link Brotli}) and, in
 * a view that is its parent with escapes undone, only when it touches an undone escape (otherwise the parent held the
 * same run).
 */
final class Base64RunDecoder implements TextDecoder {
    static final String NAME = "base64";
    /**
     * Runs shorter than the decoder's own minimum, down to this, are decoded when they are a protobuf message: base64
     * of one 8-byte digest field (10 bytes) is 14 characters, the shortest message that can hold a digest prefix.
     */
    static final int MESSAGE_CHARS = 14;
    private final int minChars;
    /** The shortest run looked at: {@code minChars}, or {@link #MESSAGE_CHARS} for messages when that is fewer. */
    private final int shortest;
    private final int runsMin;

    /** @param runsMin the shortest run asked of {@link View#base64Runs} by the detector, at most {@code minChars} */
    Base64RunDecoder(int minChars, int runsMin) {
        if (minChars < 8) {
            throw new IllegalArgumentException("runs of " + minChars + " characters hold no brotli header");
        }
        this.shortest = Math.min(minChars, MESSAGE_CHARS);
        if (runsMin > shortest) {
            throw new IllegalArgumentException("runs of " + runsMin + " cannot hold all of " + shortest);
        }
        this.minChars = minChars;
        this.runsMin = runsMin;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] t = view.data();
        int[] runs = view.base64Runs(runsMin);
        for (int r = 0; r < runs.length; r += 2) {
            int start = runs[r];
            int end = runs[r + 1];
            int chars = end - start;
            if (chars >= shortest && view.touchesDirty(start, end)
                    && (chars >= minChars ? Base64Alphabet.worthDecoding(t, start, end)
                    : Base64Alphabet.message(t, start, end))) {
                out.accept(view.child(NAME, Base64Alphabet.decode(t, start, end)));
            }
        }
    }
}
