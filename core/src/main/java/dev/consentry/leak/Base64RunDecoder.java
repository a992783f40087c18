package dev.consentry.leak;

import java.util.function.Consumer;

/**
 * Base64 as an outer layer (base64 of gzip, of JSON with escapes, of hex). A canary directly inside base64 is found
 * without this, by searching its encoded forms; decoding is needed only when something else sits in between, and
 * then the base64 is a whole field, so decoding each maximal run from its start suffices. A run is copied out only
 * when its decoded bytes are plausible (checked while decoding) and, in a view that is its parent with escapes
 * undone, only when it touches an undone escape (otherwise the parent held the same run).
 */
final class Base64RunDecoder implements TextDecoder {
    static final String NAME = "base64";
    private final int minChars;

    Base64RunDecoder(int minChars) {
        this.minChars = minChars;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] t = view.data();
        Runs.each(t, 0, t.length, Runs.BASE64, minChars, (start, end) -> {
            if (view.touchesDirty(start, end) && Base64Alphabet.plausible(t, start, end)) {
                out.accept(view.child(NAME, Base64Alphabet.decode(t, start, end)));
            }
        });
    }
}
