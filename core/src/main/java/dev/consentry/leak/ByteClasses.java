package dev.consentry.leak;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Byte searches 32 bytes a step with the JDK's incubating Vector API (256-bit compares, AVX2): the seam between the
 * engine's eight-at-a-time (SWAR) loops and the vector code, which is loaded only if {@link #VECTOR} holds. Without
 * the module ({@code --add-modules jdk.incubator.vector} absent) or without 256-bit vectors, the callers' SWAR loops
 * do it all, as before; with them, these methods take the blocks of 32 that hold no wanted byte, the bulk in text,
 * and the SWAR loops only what is left at the end.
 *
 * <p>What is used is what JDK 17 compiles to single instructions: compares, mask AND/OR, {@code anyTrue}, blend.
 * {@code VectorMask.toLong} (which bytes matched, as bits) is not one there, and an anchor search built on it ran
 * at 0.6-0.7x of the SWAR one; the per-word masks are read as longs off a blended vector instead. Measured
 * 2026-11-25 on JSON and form bodies of the bench capture (standalone probe, thread CPU time, medians of 14
 * alternated rounds): the anchor search 2.6-2.9x and the escape skip 3.3-4x as fast as SWAR, but classing base64
 * runs (Runs.words, which needs the place of nearly every word's non-base64 bytes) only 1.25x, so that stayed SWAR
 * until the runs were found from a mask of one bit per byte ({@link #base64Bits}, see Runs.blocks).
 */
final class ByteClasses {
    /** Whether the module is there and 256-bit vectors are the processor's (AVX2): chosen once per JVM. */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && Wide.usable();
    /** The bytes each step of the methods here reads. */
    static final int BLOCK = 32;

    private ByteClasses() {
    }

    /**
     * The first offset from {@code from}, in steps of {@link #BLOCK}, whose block holds {@code a}, {@code b} or
     * {@code c}, or where fewer than a block's bytes are left; {@code from} itself without vectors.
     */
    static int skipWithout(byte[] d, int from, byte a, byte b, byte c) {
        return VECTOR ? Wide.skipWithout(d, from, a, b, c) : from;
    }

    /**
     * Bit k set where byte {@code at + k} of {@code d} is a base64 character of either alphabet ([A-Za-z0-9+/-_]),
     * for the 64 bytes from {@code at} (all inside {@code d}): {@link Runs}' classes by blocks. Only with
     * {@link #VECTOR}; {@code scratch} holds at least four longs.
     */
    static long base64Bits(byte[] d, int at, long[] scratch) {
        if (!VECTOR) {
            throw new IllegalStateException("no 256-bit vectors here: see ByteClasses.VECTOR");
        }
        return Wide.base64Bits(d, at, scratch);
    }

    /**
     * Where a byte is one of eight values, or the first value with {@code second} {@code reach} bytes after it, or
     * (if asked) one single value 0x80 or above or any byte 0x80 or above: MultiMatcher's anchors. Byte values repeat
     * when fewer are wanted.
     */
    static final class AnyOf {
        private final byte first;
        private final int reach;
        private final byte second;
        private final byte[] others;
        private final byte high;
        /** 0x80 to take every byte 0x80 or above, else 0. */
        private final byte everyHigh;
        /**
         * The others and {@link #high} without repeats, when they are three values or fewer (repeated to three) and
         * not every high byte is wanted; else null. Four anchor values are common (' ', '(', ':', '@' of phone
         * numbers, names, e-mails and MACs, ':' being the first): then a block takes 5 compares instead of 11 (the
         * eight places the general search always compares, most of them repeats, and the test for high bytes).
         */
        private final byte[] few;

        /**
         * @param others exactly seven values
         * @param high a value taken on its own, or any of the others again
         */
        AnyOf(byte first, int reach, byte second, byte[] others, byte high, boolean everyHigh) {
            if (others.length != 7 || reach < 0 || reach > 7) {
                throw new IllegalArgumentException("seven other values and a reach of 0-7 expected");
            }
            this.first = first;
            this.reach = reach;
            this.second = second;
            this.others = others.clone();
            this.high = high;
            this.everyHigh = everyHigh ? (byte) 0x80 : 0;
            byte[] distinct = new byte[8];
            int n = 0;
            for (int k = 0; k <= others.length; k++) {
                byte v = k < others.length ? others[k] : high;
                boolean seen = false;
                for (int j = 0; j < n; j++) {
                    seen |= distinct[j] == v;
                }
                if (!seen) {
                    distinct[n++] = v;
                }
            }
            few = everyHigh || n > 3 ? null
                    : new byte[]{distinct[0], distinct[Math.min(1, n - 1)], distinct[Math.min(2, n - 1)]};
        }

        /**
         * The first offset from {@code from}, in steps of {@link #BLOCK}, whose block holds a wanted byte, with
         * {@code hits[k]} set to the high bit of each wanted byte of its k-th eight (byte 8k + j of the block: bit
         * 8j + 7, as in the SWAR loops); else the first offset where the block and the {@code reach} bytes after it
         * do not fit before {@code to}. Only with {@link #VECTOR}.
         */
        int next(byte[] d, int from, int to, long[] hits) {
            if (!VECTOR) {
                throw new IllegalStateException("no 256-bit vectors here: see ByteClasses.VECTOR");
            }
            return Wide.next(this, d, from, to, hits);
        }

        /** Whether byte {@code i} of {@code d} is wanted ({@code i + reach} must lie inside {@code d}): the spec. */
        boolean wants(byte[] d, int i) {
            byte x = d[i];
            if (x == first && d[i + reach] == second || x == high || (x & everyHigh) != 0) {
                return true;
            }
            for (byte o : others) {
                if (x == o) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The vector code, apart: loaded only once the module is known to be there, used only if {@link #VECTOR}. */
    private static final class Wide {
        private static final VectorSpecies<Byte> S = ByteVector.SPECIES_256;
        /** Byte j of every eight is 1 << j: a block's flags, so that OR-ing a long's bytes gives its eight bits. */
        private static final ByteVector PLACES = ByteVector.fromArray(S, new byte[]{
            1, 2, 4, 8, 16, 32, 64, (byte) 128, 1, 2, 4, 8, 16, 32, 64, (byte) 128,
            1, 2, 4, 8, 16, 32, 64, (byte) 128, 1, 2, 4, 8, 16, 32, 64, (byte) 128}, 0);
        private static final long LOW_HALVES = 0xffffffffL;

        static boolean usable() {
            // A 256-bit species on a processor with narrower vectors is emulated, far slower than SWAR.
            return ByteVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize();
        }

        static int skipWithout(byte[] d, int from, byte a, byte b, byte c) {
            int i = from;
            for (; i + BLOCK <= d.length; i += BLOCK) {
                ByteVector v = ByteVector.fromArray(S, d, i);
                if (v.eq(a).or(v.eq(b)).or(v.eq(c)).anyTrue()) {
                    break;
                }
            }
            return i;
        }

        /**
         * The bits of two blocks: each byte's flag as its bit of {@link #PLACES}, then the bytes of every long
         * OR-ed together by shifts, the first block's into the low half of each long and the second's into the high
         * half at once (three shifts for both), and the four longs' bytes moved to their places (long k's halves to
         * bytes k and 4 + k) and OR-ed.
         */
        static long base64Bits(byte[] d, int at, long[] scratch) {
            LongVector lo = ByteVector.zero(S).blend(PLACES, base64(ByteVector.fromArray(S, d, at))).reinterpretAsLongs();
            LongVector hi = ByteVector.zero(S).blend(PLACES, base64(ByteVector.fromArray(S, d, at + BLOCK))).reinterpretAsLongs();
            LongVector y = lo.or(lo.lanewise(VectorOperators.LSHR, 32)).and(LOW_HALVES)
                    .or(hi.or(hi.lanewise(VectorOperators.LSHL, 32)).and(~LOW_HALVES));
            y = y.or(y.lanewise(VectorOperators.LSHR, 16));
            y = y.or(y.lanewise(VectorOperators.LSHR, 8)).and(0x000000ff000000ffL);
            // The last move is scalar: a lanewise shift by a vector of counts is not compiled on 17 (C2 boxes the
            // vector and runs Java per lane), which made this 33 instead of 6 ns per 64 bytes.
            y.intoArray(scratch, 0);
            return scratch[0] | scratch[1] << 8 | scratch[2] << 16 | scratch[3] << 24;
        }

        /**
         * Base64 characters as in {@link Runs#base64Mask}: a letter of either case is one once 0x20 is set, '+' to
         * '9' is one range less ',' and '.'. x + (0x80 - lo) < -128 + n (signed) holds exactly for x in lo..lo+n-1.
         */
        private static VectorMask<Byte> base64(ByteVector x) {
            VectorMask<Byte> letter = x.or((byte) 0x20).add((byte) (0x80 - 'a'))
                    .compare(VectorOperators.LT, (byte) (-128 + 26));
            VectorMask<Byte> plusToNine = x.add((byte) (0x80 - '+'))
                    .compare(VectorOperators.LT, (byte) (-128 + '9' - '+' + 1));
            VectorMask<Byte> commaDot = x.or((byte) 0x02).eq((byte) '.');
            return letter.or(plusToNine.andNot(commaDot)).or(x.eq((byte) '_'));
        }

        static int next(AnyOf s, byte[] d, int from, int to, long[] hits) {
            if (s.few != null) {
                return nextOfFew(s, d, from, to, hits);
            }
            byte[] o = s.others;
            byte o1 = o[0];
            byte o2 = o[1];
            byte o3 = o[2];
            byte o4 = o[3];
            byte o5 = o[4];
            byte o6 = o[5];
            byte o7 = o[6];
            int i = from;
            for (; i + BLOCK + s.reach <= to; i += BLOCK) {
                ByteVector w = ByteVector.fromArray(S, d, i);
                VectorMask<Byte> m = w.eq(s.first).and(ByteVector.fromArray(S, d, i + s.reach).eq(s.second))
                        .or(w.eq(o1)).or(w.eq(o2)).or(w.eq(o3)).or(w.eq(o4)).or(w.eq(o5)).or(w.eq(o6)).or(w.eq(o7))
                        .or(w.eq(s.high)).or(w.and(s.everyHigh).compare(VectorOperators.NE, (byte) 0));
                if (m.anyTrue()) {
                    // Not m.toLong(): not compiled to one instruction on 17 (see above); this is.
                    ByteVector.zero(S).blend((byte) 0x80, m).reinterpretAsLongs().intoArray(hits, 0);
                    break;
                }
            }
            return i;
        }

        /** {@link #next} where {@link AnyOf#few} holds the others and the high value. */
        private static int nextOfFew(AnyOf s, byte[] d, int from, int to, long[] hits) {
            byte o1 = s.few[0];
            byte o2 = s.few[1];
            byte o3 = s.few[2];
            int i = from;
            for (; i + BLOCK + s.reach <= to; i += BLOCK) {
                ByteVector w = ByteVector.fromArray(S, d, i);
                VectorMask<Byte> m = w.eq(s.first).and(ByteVector.fromArray(S, d, i + s.reach).eq(s.second))
                        .or(w.eq(o1)).or(w.eq(o2)).or(w.eq(o3));
                if (m.anyTrue()) {
                    ByteVector.zero(S).blend((byte) 0x80, m).reinterpretAsLongs().intoArray(hits, 0);
                    break;
                }
            }
            return i;
        }
    }
}
