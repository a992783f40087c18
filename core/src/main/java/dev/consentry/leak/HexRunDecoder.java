package dev.consentry.leak;

import java.util.function.Consumer;

/**
 * Hex-encoded data: every maximal run of hex digits long enough to hold a canary is decoded, from its first digit
 * and, because a stray hex letter may be glued to the front ("a3836..."), from its second as well.
 */
final class HexRunDecoder implements TextDecoder {
    static final String NAME = "hex";
    private final int minDigits;

    HexRunDecoder(int minDecodedBytes) {
        this.minDigits = 2 * minDecodedBytes;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] d = view.data();
        int i = 0;
        while (i < d.length) {
            if (UrlDecoder.hex(d[i]) < 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < d.length && UrlDecoder.hex(d[i]) >= 0) {
                i++;
            }
            for (int shift = 0; shift < 2; shift++) {
                int from = start + shift;
                int pairs = (i - from) / 2;
                if (pairs * 2 >= minDigits) {
                    byte[] decoded = new byte[pairs];
                    for (int p = 0; p < pairs; p++) {
                        decoded[p] = (byte) (UrlDecoder.hex(d[from + 2 * p]) << 4 | UrlDecoder.hex(d[from + 2 * p + 1]));
                    }
                    if (Plausible.worthSearching(decoded)) {
                        out.accept(view.child(NAME, decoded));
                    }
                }
            }
        }
    }
}
