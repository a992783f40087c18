package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finding the first of one or two byte values eight bytes at a time: the url and json decoders ask this of every
 * text view, and most views hold no '%', '+' or '\\' at all, so the answer is usually "none" after one quick pass.
 */
final class Bytes {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Bytes() {
    }

    /** The first index at or after {@code from} holding {@code a} or {@code b}, or -1. */
    static int indexOfEither(byte[] d, int from, byte a, byte b) {
        long pa = ONES * (a & 0xff);
        long pb = ONES * (b & 0xff);
        int i = from;
        for (; i + 8 <= d.length; i += 8) {
            long w = (long) LONG.get(d, i);
            if (hasZero(w ^ pa) || hasZero(w ^ pb)) {
                break; // the exact place is found byte by byte below
            }
        }
        for (; i < d.length; i++) {
            if (d[i] == a || d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Whether some byte of {@code v} is zero (exact: a borrow only ever starts at a zero byte). */
    private static boolean hasZero(long v) {
        return ((v - ONES) & ~v & HIGHS) != 0;
    }
}
