package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Looking for the escape characters of the text decoders ('%', '+', '\\') eight bytes at a time: the url and json
 * decoders ask this of every text view, and most views hold none at all, so the answer is usually "none" after one
 * quick pass; a form holds one every few dozen bytes, and each is then found with a bit trick, not a byte loop.
 */
final class Bytes {
    /** {@link #escapes} bits. */
    static final int PERCENT = 1;
    static final int PLUS = 2;
    static final int BACKSLASH = 4;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7f7f7f7f7f7f7f7fL;
    private static final long P_PERCENT = ONES * '%';
    private static final long P_PLUS = ONES * '+';
    private static final long P_BACKSLASH = ONES * '\\';

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

    /** The {@link #PERCENT}, {@link #PLUS} and {@link #BACKSLASH} bits of the escape characters {@code d} holds. */
    static int escapes(byte[] d) {
        int kinds = 0;
        for (int w = skipClean(d, 0); w < d.length; w += 8) {
            long m = escapeMask(word(d, w));
            while (m != 0) {
                kinds |= kind(d[w + (Long.numberOfTrailingZeros(m) >>> 3)]);
                m &= m - 1;
            }
            if (kinds == (PERCENT | PLUS | BACKSLASH)) {
                break;
            }
        }
        return kinds;
    }

    /** The {@link #escapes} bit of one byte, 0 for any other byte. */
    static int kind(byte b) {
        return b == '%' ? PERCENT : b == '+' ? PLUS : b == '\\' ? BACKSLASH : 0;
    }

    /**
     * The eight bytes at {@code at}, little-endian (byte {@code at} lowest); past the end of {@code d} zero bytes,
     * which are no escape character.
     */
    static long word(byte[] d, int at) {
        if (at + 8 <= d.length) {
            return (long) LONG.get(d, at);
        }
        long w = 0;
        for (int i = d.length - 1; i >= at; i--) {
            w = w << 8 | (d[i] & 0xff);
        }
        return w;
    }

    /** Stores the eight bytes of {@code w} at {@code at}, which must leave room for them. */
    static void putWord(byte[] d, int at, long w) {
        LONG.set(d, at, w);
    }

    /**
     * The high bit of every byte of {@code w} that is '%', '+' or '\\', and no other bit: byte k of the word is an
     * escape character exactly when bit 8k+7 is set ({@code numberOfTrailingZeros >>> 3} gives k).
     */
    static long escapeMask(long w) {
        // Per needle, a byte of x = w ^ needle is zero exactly when neither its low seven bits added to 0x7f carry
        // into its high bit nor its high bit is set; the three needles share the final masking.
        long x = w ^ P_PERCENT;
        long y = w ^ P_PLUS;
        long z = w ^ P_BACKSLASH;
        return ~((((x & LOWS) + LOWS) | x) & (((y & LOWS) + LOWS) | y) & (((z & LOWS) + LOWS) | z)) & HIGHS;
    }

    /**
     * The first offset from {@code from}, in steps of 16, at which 16 bytes hold an escape character, or where fewer
     * than 16 are left: most text views hold none at all, and this reads them at about twice the speed of {@link
     * #escapeMask} (an "is there any" test needs no exact mask).
     */
    static int skipClean(byte[] d, int from) {
        return skipCleanWords(d, ByteClasses.skipWithout(d, from, (byte) '%', (byte) '+', (byte) '\\'));
    }

    /** {@link #skipClean} by words alone (the vector step above skips whole 32-byte blocks before it). */
    static int skipCleanWords(byte[] d, int from) {
        int i = from;
        for (; i + 16 <= d.length; i += 16) {
            long a = (long) LONG.get(d, i);
            long b = (long) LONG.get(d, i + 8);
            if ((zeros(a ^ P_PERCENT) | zeros(a ^ P_PLUS) | zeros(a ^ P_BACKSLASH) | zeros(b ^ P_PERCENT)
                    | zeros(b ^ P_PLUS) | zeros(b ^ P_BACKSLASH)) != 0) {
                break;
            }
        }
        return i;
    }

    /** The high bit of the lowest zero byte of {@code v} is set if it has one (bits above it may be set wrongly). */
    private static long zeros(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    /** Whether some byte of {@code v} is zero (exact: a borrow only ever starts at a zero byte). */
    private static boolean hasZero(long v) {
        return ((v - ONES) & ~v & HIGHS) != 0;
    }
}
