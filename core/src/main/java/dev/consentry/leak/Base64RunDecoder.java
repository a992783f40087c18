package dev.consentry.leak;

import java.util.function.Consumer;

/**
 * Base64 as an outer layer (base64 of gzip, of JSON with escapes, of hex). A canary directly inside base64 is found
 * without this, by searching its encoded forms; decoding is needed only when something else sits in between, and
 * then the base64 is a whole field, so decoding each maximal run from its start suffices.
 */
final class Base64RunDecoder implements TextDecoder {
    static final String NAME = "base64";
    private final int minChars;

    Base64RunDecoder(int minChars) {
        this.minChars = minChars;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        Base64Alphabet.decodeRuns(view.data(), minChars, (start, decoded) -> {
            if (Plausible.worthSearching(decoded)) {
                out.accept(view.child(NAME, decoded));
            }
        });
    }
}
