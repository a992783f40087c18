package dev.consentry.har;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
 * <p>With the incubating Vector API ({@code --add-modules jdk.incubator.vector}, 256-bit vectors) 32 characters are
 * checked and translated per step by range compares and packed to 24 bytes by shifts on 64-bit lanes; without it
 * (and for the last characters) 8 characters per step by table look-ups, 6 bytes stored at once.
 */
final class PlainBase64 {
    /** Whether the module is there and 256-bit vectors are the processor's: chosen once per JVM. */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && Wide.usable();
    private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    /** Each character's 6 bits in the standard alphabet; -1 for every other byte, '=' included. */
    private static final byte[] VALUES = new byte[256];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private PlainBase64() {
    }

    /** The decoded bytes of {@code s[0, n)}, or null when it is not plain standard base64 (see above). */
    static byte[] decode(byte[] s, int n) {
        return decode(s, n, VECTOR);
    }

    /** As {@link #decode(byte[], int)}; {@code vector} false runs the table path alone (tests compare the two). */
    static byte[] decode(byte[] s, int n, boolean vector) {
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
        int out = m / 4 * 3 + Math.max(0, (m & 3) - 1);
        byte[] d = new byte[out];
        int sp = 0;
        if (vector) {
            sp = Wide.decode(s, m, d);
            if (sp < 0) {
                return null;
            }
        }
        return tail(s, sp, m, d, sp / 4 * 3) ? d : null;
    }

    /** Decodes {@code s[sp, m)} into {@code d} from {@code dp} by table; false on a character outside the alphabet. */
    private static boolean tail(byte[] s, int sp, int m, byte[] d, int dp) {
        byte[] t = VALUES;
        for (; sp + 8 <= m && dp + 8 <= d.length; sp += 8, dp += 6) {
            int a0 = t[s[sp] & 0xff];
            int a1 = t[s[sp + 1] & 0xff];
            int a2 = t[s[sp + 2] & 0xff];
            int a3 = t[s[sp + 3] & 0xff];
            int a4 = t[s[sp + 4] & 0xff];
            int a5 = t[s[sp + 5] & 0xff];
            int a6 = t[s[sp + 6] & 0xff];
            int a7 = t[s[sp + 7] & 0xff];
            if ((a0 | a1 | a2 | a3 | a4 | a5 | a6 | a7) < 0) {
                return false;
            }
            // 48 bits, stored as 8 bytes of which the last 2 are zeros the next step overwrites.
            BIG_ENDIAN.set(d, dp, (long) (a0 << 18 | a1 << 12 | a2 << 6 | a3) << 40
                    | (long) (a4 << 18 | a5 << 12 | a6 << 6 | a7) << 16);
        }
        for (; sp + 4 <= m; sp += 4) {
            int a0 = t[s[sp] & 0xff];
            int a1 = t[s[sp + 1] & 0xff];
            int a2 = t[s[sp + 2] & 0xff];
            int a3 = t[s[sp + 3] & 0xff];
            if ((a0 | a1 | a2 | a3) < 0) {
                return false;
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
                return false;
            }
            int bits = a0 << 18 | a1 << 12 | a2 << 6;
            d[dp++] = (byte) (bits >> 16);
            if (m - sp == 3) {
                d[dp] = (byte) (bits >> 8);
            }
        }
        return true;
    }

    /** The vector code, apart: loaded only once the module is known to be there, used only if {@link #VECTOR}. */
    private static final class Wide {
        private static final VectorSpecies<Byte> S = ByteVector.SPECIES_256;

        static boolean usable() {
            // A 256-bit species on a processor with narrower vectors is emulated, far slower than the table path.
            return ByteVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize();
        }

        /**
         * Decodes whole blocks of 32 characters of {@code s[0, m)} into {@code d} while its 24 bytes fit with 2 to
         * spare (the last store writes 8); the characters done (a multiple of 32), or -1 at a block with a character
         * outside the alphabet.
         */
        static int decode(byte[] s, int m, byte[] d) {
            long[] packed = new long[4];
            int sp = 0;
            int dp = 0;
            for (; sp + 32 <= m && dp + 26 <= d.length; sp += 32, dp += 24) {
                ByteVector v = ByteVector.fromArray(S, s, sp);
                // Ranges by one signed compare each: x - lo - 128 < size - 128 holds for lo <= x < lo + size only.
                VectorMask<Byte> upper = v.add((byte) (-'A' - 128)).compare(VectorOperators.LT, (byte) (26 - 128));
                VectorMask<Byte> lower = v.add((byte) (-'a' - 128)).compare(VectorOperators.LT, (byte) (26 - 128));
                VectorMask<Byte> digit = v.add((byte) (-'0' - 128)).compare(VectorOperators.LT, (byte) (10 - 128));
                VectorMask<Byte> plus = v.eq((byte) '+');
                VectorMask<Byte> slash = v.eq((byte) '/');
                if (!upper.or(lower).or(digit).or(plus).or(slash).allTrue()) {
                    return -1;
                }
                ByteVector values = v.add(ByteVector.broadcast(S, (byte) -'A').blend((byte) (26 - 'a'), lower)
                        .blend((byte) (52 - '0'), digit).blend((byte) (62 - '+'), plus).blend((byte) (63 - '/'), slash));
                // Each 64-bit lane holds 8 values, the first in its lowest byte: pairs to 12 bits, quads to 24, then
                // the 48 bits of the lane in output order at its top, for a big-endian store.
                LongVector x = values.reinterpretAsLongs();
                LongVector p = x.and(0x003f003f003f003fL).lanewise(VectorOperators.LSHL, 6)
                        .or(x.lanewise(VectorOperators.LSHR, 8).and(0x003f003f003f003fL));
                LongVector q = p.and(0x00000fff00000fffL).lanewise(VectorOperators.LSHL, 12)
                        .or(p.lanewise(VectorOperators.LSHR, 16).and(0x00000fff00000fffL));
                q.and(0xffffffL).lanewise(VectorOperators.LSHL, 40)
                        .or(q.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.LSHL, 16))
                        .intoArray(packed, 0);
                BIG_ENDIAN.set(d, dp, packed[0]);
                BIG_ENDIAN.set(d, dp + 6, packed[1]);
                BIG_ENDIAN.set(d, dp + 12, packed[2]);
                BIG_ENDIAN.set(d, dp + 18, packed[3]);
            }
            return sp;
        }
    }
}
