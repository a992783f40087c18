package dev.consentry.leak;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Protocol Buffers wire format: when a whole view parses as a message, every length-delimited field that is not
 * itself a message becomes a view, so that a field holding gzip, base64 or hex is decoded from its first byte
 * (strings inside are found plain without this). Nested messages are walked within this one layer.
 */
final class ProtobufDecoder implements Decoder {
    static final String NAME = "protobuf";
    private static final int MAX_NESTING = 8;
    private final int minField;

    ProtobufDecoder(int minField) {
        this.minField = minField;
    }

    @Override
    public void decode(View view, Consumer<View> out) {
        byte[] d = view.data();
        if (d.length < minField || !parses(d, 0, d.length)) {
            return;
        }
        emit(view, d, 0, d.length, 0, out);
    }

    private void emit(View view, byte[] d, int from, int to, int nesting, Consumer<View> out) {
        int[] at = {from};
        while (at[0] < to) {
            int wire = (int) (varint(d, at, to) & 7);
            if (wire != 2) {
                skip(d, at, to, wire);
                continue;
            }
            int len = (int) varint(d, at, to);
            int start = at[0];
            if (nesting < MAX_NESTING && len > 0 && parses(d, start, start + len)) {
                emit(view, d, start, start + len, nesting + 1, out);
            } else if (len >= minField) {
                out.accept(view.child(NAME, Arrays.copyOfRange(d, start, start + len)));
            }
            at[0] = start + len;
        }
    }

    /** Whether [from, to) is a sequence of well-formed fields ending exactly at {@code to}. */
    private static boolean parses(byte[] d, int from, int to) {
        int[] at = {from};
        int fields = 0;
        while (at[0] < to) {
            long key = varint(d, at, to);
            if (key < 8 || at[0] < 0) {
                return false;
            }
            int wire = (int) (key & 7);
            if (wire == 2) {
                long len = varint(d, at, to);
                if (at[0] < 0 || len < 0 || at[0] + len > to) {
                    return false;
                }
                at[0] += (int) len;
            } else {
                skip(d, at, to, wire);
                if (at[0] < 0) {
                    return false;
                }
            }
            fields++;
        }
        return at[0] == to && fields > 0;
    }

    /** Moves {@code at} past a field's value; sets it to -1 on a malformed or unknown wire type. */
    private static void skip(byte[] d, int[] at, int to, int wire) {
        switch (wire) {
            case 0 -> varint(d, at, to);
            case 1 -> at[0] = at[0] + 8 <= to ? at[0] + 8 : -1;
            case 5 -> at[0] = at[0] + 4 <= to ? at[0] + 4 : -1;
            default -> at[0] = -1;
        }
    }

    /** Reads a varint at {@code at[0]} and advances it; -1 in both on a truncated one. */
    private static long varint(byte[] d, int[] at, int to) {
        long v = 0;
        int i = at[0];
        for (int shift = 0; shift < 64 && i < to; shift += 7) {
            byte b = d[i++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                at[0] = i;
                return v;
            }
        }
        at[0] = -1;
        return -1;
    }
}
