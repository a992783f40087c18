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
        boolean[] currentDirty = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Decoded next = decodeOnce(current, currentDirty);
            if (next == null) {
                return;
            }
            out.accept(view.child(NAME, next.bytes, next.dirtyPositions()));
            current = next.bytes;
            currentDirty = next.dirty;
        }
    }

    /**
     * @param inDirty which input bytes differ from the original view (earlier rounds), or null for none
     * @return the decoded bytes, each marked dirty when it came out of an escape here or from a dirty byte before
     */
    private static Decoded decodeOnce(byte[] in, boolean[] inDirty) {
        int first = Bytes.indexOfEither(in, 0, (byte) '+', (byte) '%');
        while (first >= 0 && in[first] == '%'
                && !(first + 2 < in.length && hex(in[first + 1]) >= 0 && hex(in[first + 2]) >= 0)) {
            first = Bytes.indexOfEither(in, first + 1, (byte) '+', (byte) '%');
        }
        if (first < 0) {
            return null;
        }
        byte[] out = new byte[in.length];
        boolean[] dirty = new boolean[in.length];
        System.arraycopy(in, 0, out, 0, first);
        if (inDirty != null) {
            System.arraycopy(inDirty, 0, dirty, 0, first);
        }
        int o = first;
        for (int i = first; i < in.length; i++) {
            byte b = in[i];
            if (b == '+') {
                dirty[o] = true;
                out[o++] = ' ';
            } else if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                dirty[o] = true;
                out[o++] = (byte) (hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                dirty[o] = inDirty != null && inDirty[i];
                out[o++] = b;
            }
        }
        return new Decoded(Arrays.copyOf(out, o), Arrays.copyOf(dirty, o));
    }

    private record Decoded(byte[] bytes, boolean[] dirty) {
        int[] dirtyPositions() {
            return positions(dirty);
        }
    }

    /** The indexes of the true entries, ascending. */
    static int[] positions(boolean[] marks) {
        int n = 0;
        for (boolean m : marks) {
            n += m ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < marks.length; i++) {
            if (marks[i]) {
                out[k++] = i;
            }
        }
        return out;
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
