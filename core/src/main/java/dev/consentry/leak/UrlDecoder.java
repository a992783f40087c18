package dev.consentry.leak;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Percent-decoding, '+' as space. Double-encoded values ("%2538" for "8") are unwrapped by decoding again; every
 * round that changes something is emitted, all as "url", because a value can be readable after one round and
 * damaged by the next ('+' in "+91..." becoming a space).
 */
final class UrlDecoder implements TextDecoder {
    static final String NAME = "url";
    private static final int MAX_ROUNDS = 3;

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] current = view.data();
        int[] currentDirty = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Decoded next = decodeOnce(current, currentDirty);
            if (next == null) {
                return;
            }
            out.accept(view.child(NAME, next.bytes, next.dirty));
            current = next.bytes;
            currentDirty = next.dirty;
        }
    }

    /**
     * Copies the stretches between escapes whole (forms have one every few dozen bytes, and most text none).
     *
     * @param inDirty ascending positions of the input bytes that differ from the original view (earlier rounds), or
     *                null for none
     * @return the decoded bytes and the ascending positions of those that came out of an escape here or from a dirty
     *         byte before; null when there was nothing to decode
     */
    private static Decoded decodeOnce(byte[] in, int[] inDirty) {
        int next = nextEscape(in, 0);
        if (next < 0) {
            return null;
        }
        byte[] out = new byte[in.length];
        IntList dirty = new IntList();
        int o = 0;
        int i = 0;
        int k = 0; // the first entry of inDirty not yet passed
        while (true) {
            int stop = next < 0 ? in.length : next;
            System.arraycopy(in, i, out, o, stop - i);
            while (inDirty != null && k < inDirty.length && inDirty[k] < stop) {
                dirty.add(o + inDirty[k++] - i);
            }
            o += stop - i;
            i = stop;
            if (next < 0) {
                break;
            }
            dirty.add(o);
            if (in[i] == '+') {
                out[o++] = ' ';
                i++;
            } else {
                out[o++] = (byte) (hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 3;
            }
            while (inDirty != null && k < inDirty.length && inDirty[k] < i) {
                k++; // inside the escape just undone, whose output is dirty anyway
            }
            next = nextEscape(in, i);
        }
        return new Decoded(Arrays.copyOf(out, o), dirty.toArray());
    }

    /** The first '+' or valid "%XX" at or after {@code from}, or -1. */
    private static int nextEscape(byte[] in, int from) {
        int at = Bytes.indexOfEither(in, from, (byte) '+', (byte) '%');
        while (at >= 0 && in[at] == '%' && !(at + 2 < in.length && hex(in[at + 1]) >= 0 && hex(in[at + 2]) >= 0)) {
            at = Bytes.indexOfEither(in, at + 1, (byte) '+', (byte) '%');
        }
        return at;
    }

    private record Decoded(byte[] bytes, int[] dirty) {
    }

    static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
