package dev.consentry.har;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The common case of a base64 body, decoded faster than {@link java.util.Base64} (JDK 17 has no intrinsic for its
 * decoding, which was about half of reading a HAR): the standard alphabet only, no whitespace, and either no padding
 * or one or two '=' that end a whole number of 4-character units. Anything else (the URL-safe alphabet, whitespace,
 * a stray or missing '=', a length no encoder writes, any other character) is not decoded here but left to the caller's
 * {@code java.util.Base64} path, so which inputs are accepted, what they decode to and the messages of those rejected
 * stay exactly what that path gives; and whatever this accepts, the JDK's standard decoder accepts alike.
 *
 * <p>Eight characters a step: read as one long, looked up two at a time in a table of every pair of bytes (128 KB,
 * of which the pairs of alphabet characters touch about 24 KB), the 48 bits stored at once. A Vector API version (32
 * characters a step by range compares) was about 1.6x as fast once compiled, but JDK 17 runs vector code some 100
 * times slower until C2 has compiled it, which here took 10,000-15,000 blocks and cost about half a second of CPU at
 * the start of every analyze, more than it saves on a capture under about 400 MB.
 */
final class PlainBase64 {
    private static final VarHandle LITTLE_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    /** Each character's 6 bits in the standard alphabet; -1 for every other byte, '=' included. */
    private static final byte[] VALUES = new byte[256];
    /** Two characters (the first in the low byte) to their 12 bits; -1 when either is outside the alphabet. */
    private static final short[] PAIRS = new short[1 << 16];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
        for (int i = 0; i < PAIRS.length; i++) {
            int first = VALUES[i & 0xff];
            int second = VALUES[i >>> 8];
            PAIRS[i] = (first | second) < 0 ? -1 : (short) (first << 6 | second);
        }
    }

    private PlainBase64() {
    }

    /** The decoded bytes of {@code s[0, n)}, or null when it is not plain standard base64 (see above). */
    static byte[] decode(byte[] s, int n) {
        int pad = 0;
        switch (n & 3) {
            case 1 -> {
                return null;
            }
            case 0 -> {
                // One or two '=' may close the last unit; anywhere else '=' is an invalid character below.
                if (n > 0 && s[n - 1] == '=') {
                    pad = s[n - 2] == '=' ? 2 : 1;
                }
            }
            default -> {
            }
        }
        int m = n - pad;
        byte[] d = new byte[m / 4 * 3 + Math.max(0, (m & 3) - 1)];
        int sp = 0;
        int dp = 0;
        short[] pairs = PAIRS;
        for (; sp + 8 <= m && dp + 8 <= d.length; sp += 8, dp += 6) {
            long w = (long) LITTLE_ENDIAN.get(s, sp);
            int a = pairs[(int) w & 0xffff];
            int b = pairs[(int) (w >>> 16) & 0xffff];
            int c = pairs[(int) (w >>> 32) & 0xffff];
            int e = pairs[(int) (w >>> 48)];
            if ((a | b | c | e) < 0) {
                return null;
            }
            // 48 bits, stored as 8 bytes of which the last 2 are zeros the next step overwrites.
            BIG_ENDIAN.set(d, dp, (long) (a << 12 | b) << 40 | (long) (c << 12 | e) << 16);
        }
        byte[] t = VALUES;
        for (; sp + 4 <= m; sp += 4) {
            int a0 = t[s[sp] & 0xff];
            int a1 = t[s[sp + 1] & 0xff];
            int a2 = t[s[sp + 2] & 0xff];
            int a3 = t[s[sp + 3] & 0xff];
            if ((a0 | a1 | a2 | a3) < 0) {
                return null;
            }
            int bits = a0 << 18 | a1 << 12 | a2 << 6 | a3;
            d[dp++] = (byte) (bits >> 16);
            d[dp++] = (byte) (bits >> 8);
            d[dp++] = (byte) bits;
        }
        if (sp < m) {
            // 2 or 3 characters: 1 or 2 bytes; the bits past them are ignored, as java.util.Base64 ignores them.
            int a0 = t[s[sp] & 0xff];
            int a1 = t[s[sp + 1] & 0xff];
            int a2 = m - sp == 3 ? t[s[sp + 2] & 0xff] : 0;
            if ((a0 | a1 | a2) < 0) {
                return null;
            }
            int bits = a0 << 18 | a1 << 12 | a2 << 6;
            d[dp++] = (byte) (bits >> 16);
            if (m - sp == 3) {
                d[dp] = (byte) (bits >> 8);
            }
        }
        return d;
    }
}
