package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Finds every occurrence of many byte patterns in one pass. Each position's first {@code W} bytes (W = the shortest
 * pattern, at most 8) are read as one word, hashed, and looked up in a bit set of the patterns' first W bytes; only
 * on a hit (rare: the set is kept sparse) is an exact table consulted and the candidates compared in full.
 *
 * <p>Why not Aho-Corasick: its full DFA needs states x byte classes ints, and with 1,000 canaries times their forms,
 * base64 alignments and hashes that is hundreds of megabytes; a sparse filter stays a few megabytes and costs one
 * word read, one multiply and one bit test per byte, whatever the number of patterns.
 */
final class MultiMatcher {
    @FunctionalInterface
    interface Sink {
        void match(int pattern, int start);
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MUL = 0x9E3779B97F4A7C15L;

    private final byte[][] patterns;
    private final int window;
    private final long mask;
    private final int filterShift;
    private final long[] filter;
    /** Open addressing on the window word: keys, and per slot the ids of the patterns starting with it. */
    private final long[] keys;
    private final int[][] ids;
    private final boolean[] used;
    private final int tableMask;
    private final int shortest;

    MultiMatcher(List<byte[]> patternList) {
        patterns = patternList.toArray(new byte[0][]);
        int min = Integer.MAX_VALUE;
        for (byte[] p : patterns) {
            if (p.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
            min = Math.min(min, p.length);
        }
        shortest = min;
        window = Math.min(8, min == Integer.MAX_VALUE ? 8 : min);
        mask = window == 8 ? -1L : (1L << (8 * window)) - 1;
        // At least 64 bits of filter per pattern keeps false hits near 1.5%; capped at 2^25 bits (4 MB).
        int bits = 16;
        while (bits < 25 && (1L << bits) < 64L * patterns.length) {
            bits++;
        }
        filterShift = 64 - bits;
        filter = new long[(1 << bits) >>> 6];
        int slots = Integer.highestOneBit(Math.max(16, patterns.length * 2)) << 1;
        keys = new long[slots];
        ids = new int[slots][];
        used = new boolean[slots];
        tableMask = slots - 1;
        for (int id = 0; id < patterns.length; id++) {
            long key = word(patterns[id], 0, patterns[id].length) & mask;
            int h = (int) ((key * MUL) >>> filterShift);
            filter[h >>> 6] |= 1L << h;
            int slot = slot(key);
            if (!used[slot]) {
                used[slot] = true;
                keys[slot] = key;
                ids[slot] = new int[]{id};
            } else {
                int[] o = ids[slot];
                int[] grown = Arrays.copyOf(o, o.length + 1);
                grown[o.length] = id;
                ids[slot] = grown;
            }
        }
    }

    private int slot(long key) {
        int s = (int) ((key * MUL) >>> 40) & tableMask;
        while (used[s] && keys[s] != key) {
            s = (s + 1) & tableMask;
        }
        return s;
    }

    /** Reports each match by pattern index and start offset, in order of start. */
    void scan(byte[] data, Sink sink) {
        scan(data, 0, data.length, sink);
    }

    void scan(byte[] data, int from, int to, Sink sink) {
        if (patterns.length == 0) {
            return;
        }
        int last = to - window;
        int fast = Math.min(last, to - 8);
        int i = from;
        for (; i <= fast; i++) {
            long key = (long) LONG.get(data, i) & mask;
            int h = (int) ((key * MUL) >>> filterShift);
            if ((filter[h >>> 6] & (1L << h)) != 0) {
                candidates(data, i, to, key, sink);
            }
        }
        for (; i <= last; i++) {
            long key = word(data, i, to) & mask;
            int h = (int) ((key * MUL) >>> filterShift);
            if ((filter[h >>> 6] & (1L << h)) != 0) {
                candidates(data, i, to, key, sink);
            }
        }
    }

    private void candidates(byte[] data, int at, int to, long key, Sink sink) {
        int s = slot(key);
        if (!used[s]) {
            return;
        }
        for (int id : ids[s]) {
            byte[] p = patterns[id];
            if (at + p.length <= to && Arrays.equals(data, at, at + p.length, p, 0, p.length)) {
                sink.match(id, at);
            }
        }
    }

    private static long word(byte[] b, int at, int to) {
        long w = 0;
        int n = Math.min(8, to - at);
        for (int k = n - 1; k >= 0; k--) {
            w = w << 8 | (b[at + k] & 0xff);
        }
        return w;
    }

    int shortestPattern() {
        return shortest;
    }
}
