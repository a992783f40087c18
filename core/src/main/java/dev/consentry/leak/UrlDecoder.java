package dev.consentry.leak;

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
        for (int round = 0; round < MAX_ROUNDS; round++) {
            byte[] next = decodeOnce(current);
            if (next == null) {
                return;
            }
            out.accept(view.child(NAME, next));
            current = next;
        }
    }

    /** The decoded bytes, or null when there was nothing to decode. */
    static byte[] decodeOnce(byte[] in) {
        boolean any = false;
        for (byte b : in) {
            if (b == '%' || b == '+') {
                any = true;
                break;
            }
        }
        if (!any) {
            return null;
        }
        byte[] out = new byte[in.length];
        int o = 0;
        boolean changed = false;
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '+') {
                out[o++] = ' ';
                changed = true;
            } else if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out[o++] = (byte) (hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
                changed = true;
            } else {
                out[o++] = b;
            }
        }
        return changed ? java.util.Arrays.copyOf(out, o) : null;
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
