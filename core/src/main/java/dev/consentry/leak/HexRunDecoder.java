package dev.consentry.leak;

import java.util.function.Consumer;

/**
 * Hex-encoded data: every maximal run of hex digits long enough to hold a canary is decoded, from its first digit
 * and, because a stray hex letter may be glued to the front ("a3836..."), from its second as well. As with base64,
 * a run is copied out only when plausible (or starting as brotli does) and, in a view with escapes undone, only when
 * it touches one.
 */
final class HexRunDecoder implements TextDecoder {
    static final String NAME = "hex";
    private final int minDigits;
    private final int runsMin;

    /** @param runsMin the shortest run asked of {@link View#base64Runs} by the detector, at most 2 x minDecodedBytes */
    HexRunDecoder(int minDecodedBytes, int runsMin) {
        this.minDigits = 2 * minDecodedBytes;
        if (runsMin > minDigits) {
            throw new IllegalArgumentException("runs of " + runsMin + " cannot hold all of " + minDigits);
        }
        this.runsMin = runsMin;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] d = view.data();
        // Hex digits are base64 characters: a maximal hex run lies inside a maximal base64 run, and one that starts
        // or ends with it is bounded there by a byte that is not base64, hence not hex.
        int[] runs = view.base64Runs(runsMin);
        for (int r = 0; r < runs.length; r += 2) {
            if (runs[r + 1] - runs[r] >= minDigits) {
                Runs.each(d, runs[r], runs[r + 1], Runs.HEX, minDigits,
                        (start, end) -> decodeRun(view, d, start, end, out));
            }
        }
    }

    private void decodeRun(View view, byte[] d, int start, int end, Consumer<View> out) {
        if (!view.touchesDirty(start, end)) {
            return;
        }
        for (int shift = 0; shift < 2; shift++) {
            int from = start + shift;
            int pairs = (end - from) / 2;
            if (pairs * 2 >= minDigits && (plausible(d, from, pairs) || mayBeBrotli(d, from, pairs))) {
                byte[] decoded = new byte[pairs];
                for (int p = 0; p < pairs; p++) {
                    decoded[p] = pair(d, from + 2 * p);
                }
                out.accept(view.child(NAME, decoded));
            }
        }
    }

    /** {@link Plausible} for the bytes of {@code pairs} hex pairs from {@code from}, without keeping them. */
    static boolean plausible(byte[] d, int from, int pairs) {
        if (pairs >= 2 && (Plausible.magic(pair(d, from) & 0xff, pair(d, from + 2) & 0xff) || pairs >= 4
                && Plausible.magic(pair(d, from) & 0xff, pair(d, from + 2) & 0xff, pair(d, from + 4) & 0xff,
                pair(d, from + 6) & 0xff))) {
            return true;
        }
        int state = Plausible.START * Plausible.GROUP;
        int p = 0;
        for (; p + 3 <= pairs; p += 3) {
            int at = from + 2 * p;
            state = Plausible.next3(state, pair(d, at) & 0xff, pair(d, at + 2) & 0xff, pair(d, at + 4) & 0xff);
            if (state == Plausible.YES * Plausible.GROUP) {
                return true;
            }
        }
        state /= Plausible.GROUP;
        for (; p < pairs; p++) {
            state = Plausible.next(state, pair(d, from + 2 * p) & 0xff);
        }
        return state == Plausible.YES || message(d, from, pairs);
    }

    /** As base64's ({@link Base64Alphabet#message}): the bytes parse whole as a message, first key one byte. */
    private static boolean message(byte[] d, int from, int pairs) {
        return pairs >= 2 && ProtobufWire.shortKey(pair(d, from) & 0xff)
                && ProtobufWire.parses(i -> pair(d, from + 2 * i), pairs);
    }

    /** A run that is not plausible may still be a brotli blob, which has no magic: its header is checked. */
    private static boolean mayBeBrotli(byte[] d, int from, int pairs) {
        if (pairs < Brotli.HEADER_BYTES) {
            return false;
        }
        long head = 0;
        for (int p = 0; p < Brotli.HEADER_BYTES; p++) {
            head |= (pair(d, from + 2 * p) & 0xffL) << (8 * p);
        }
        return Brotli.headerFits(head, pairs);
    }

    private static byte pair(byte[] d, int at) {
        return (byte) (VALUE[d[at] & 0xff] << 4 | VALUE[d[at + 1] & 0xff]);
    }

    /** Hex digits' values by byte: a table read, where comparing ranges mispredicts on every run of mixed digits. */
    private static final int[] VALUE = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            VALUE[b] = UrlDecoder.hex((byte) b);
        }
    }
}
