package dev.consentry.leak;

/**
 * Protocol Buffers wire format, read without a schema: whether bytes parse as a message, and its length-delimited
 * fields in order. The engine's {@link ProtobufDecoder} and the report's evidence replay both walk messages with it;
 * the replay stays independent where it matters, in that it must find the canary's bytes itself.
 */
public final class ProtobufWire {
    private ProtobufWire() {
    }

    /** One length-delimited field: its number and where its value lies. */
    @FunctionalInterface
    public interface FieldSink {
        void field(int number, int start, int length);
    }

    /** Whether [from, to) is a sequence of well-formed fields ending exactly at {@code to}. */
    public static boolean parses(byte[] d, int from, int to) {
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

    /**
     * The length-delimited fields of [from, to), in order, skipping the others; the range must {@link #parses parse}.
     */
    public static void eachLengthDelimited(byte[] d, int from, int to, FieldSink sink) {
        int[] at = {from};
        while (at[0] < to) {
            long key = varint(d, at, to);
            int wire = (int) (key & 7);
            if (wire != 2) {
                skip(d, at, to, wire);
                continue;
            }
            int len = (int) varint(d, at, to);
            int start = at[0];
            sink.field((int) (key >>> 3), start, len);
            at[0] = start + len;
        }
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
