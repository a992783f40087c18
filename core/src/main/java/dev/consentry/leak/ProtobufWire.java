package dev.consentry.leak;

import java.util.function.IntUnaryOperator;

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
     * Whether a message's first byte (0-255) is a whole key of one byte: field 1 to 15, any wire type. A base64 or hex
     * run whose bytes are no text is decoded when it parses as a message starting so; numbers and ids rarely do (a
     * run of digits decodes to 0xd4 or more), so most are refused on their first byte, before a byte reader is made.
     */
    static boolean shortKey(int firstByte) {
        return firstByte >= 8 && firstByte < 0x80;
    }

    /**
     * {@link #parses(byte[], int, int)} of {@code length} bytes read through {@code byteAt} (a byte's value, -128 to
     * 127), in ascending order of position: the url decoder asks it of a round it has not built. The array form keeps
     * its own loop: made to call this one through a lambda, it parsed a 2 KB message in 0.9-1.9 us against 0.7-1.0
     * (2026-11-25), on the path every view of 16 bytes or more takes.
     */
    static boolean parses(IntUnaryOperator byteAt, int length) {
        int at = 0;
        int fields = 0;
        while (at < length) {
            long key = 0;
            int i = at;
            boolean ended = false;
            for (int shift = 0; shift < 64 && i < length && !ended; shift += 7) {
                int b = byteAt.applyAsInt(i++);
                key |= (long) (b & 0x7f) << shift;
                ended = b >= 0;
            }
            if (!ended || key < 8) {
                return false;
            }
            int wire = (int) (key & 7);
            if (wire == 0 || wire == 2) {
                long v = 0;
                ended = false;
                for (int shift = 0; shift < 64 && i < length && !ended; shift += 7) {
                    int b = byteAt.applyAsInt(i++);
                    v |= (long) (b & 0x7f) << shift;
                    ended = b >= 0;
                }
                if (!ended || wire == 2 && (v < 0 || i + v > length)) {
                    return false;
                }
                at = wire == 2 ? i + (int) v : i;
            } else if (wire == 1 || wire == 5) {
                at = i + (wire == 1 ? 8 : 4);
                if (at > length) {
                    return false;
                }
            } else {
                return false;
            }
            fields++;
        }
        return fields > 0;
    }

    /**
     * The length-delimited fields of [from, to), in order, skipping the others; the range must {@link #parses parse}.
     */
    public static void eachLengthDelimited(byte[] d, int from, int to, FieldSink sink) {
        eachField(d, from, to, sink, (number, wire, start, end, value) -> { });
    }

    /** One field that holds a number: a varint (wire type 0), fixed64 (1) or fixed32 (5). */
    @FunctionalInterface
    public interface ScalarSink {
        /**
         * @param value the varint as an unsigned 64-bit number, or the fixed bytes read little-endian (fixed32
         *              unsigned, in the low 32 bits)
         */
        void scalar(int number, int wire, int start, int end, long value);
    }

    /**
     * Every field of [from, to) in order, length-delimited ones to {@code fields} and number fields to {@code scalars}
     * (nested messages are not entered); the range must {@link #parses parse}.
     */
    public static void eachField(byte[] d, int from, int to, FieldSink fields, ScalarSink scalars) {
        int[] at = {from};
        while (at[0] < to) {
            long key = varint(d, at, to);
            int wire = (int) (key & 7);
            int number = (int) (key >>> 3);
            int start = at[0];
            if (wire == 2) {
                int len = (int) varint(d, at, to);
                int value = at[0];
                fields.field(number, value, len);
                at[0] = value + len;
                continue;
            }
            long value = switch (wire) {
                case 0 -> varint(d, at, to);
                case 1 -> fixed(d, start, 8);
                default -> fixed(d, start, 4);
            };
            if (wire != 0) {
                at[0] = start + (wire == 1 ? 8 : 4);
            }
            scalars.scalar(number, wire, start, at[0], value);
        }
    }

    private static long fixed(byte[] d, int at, int bytes) {
        long v = 0;
        for (int k = bytes - 1; k >= 0; k--) {
            v = v << 8 | (d[at + k] & 0xff);
        }
        return v;
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

    /**
     * Whether each of a fixed32's four bytes is printable ASCII, a tab or a line break. Text misread as a message
     * (a header value like "eXz|$" is field 12, wire type 5) gives such fixed32s, which read as any number by chance;
     * the engine does not read a number from them, and the evidence replay must skip them too to show the same field.
     */
    public static boolean fixed32CouldBeText(int bits) {
        for (int k = 0; k < 32; k += 8) {
            int b = bits >>> k & 0xff;
            if ((b < 0x20 || b > 0x7e) && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
