package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds every occurrence of many byte patterns in one pass over the data, without looking at every position.
 *
 * <p>Patterns are grouped by length. In a group whose shortest pattern has L bytes, each pattern is filed under the
 * W-byte words (W = min(8, L)) at its first S = min(8, L - W + 1) offsets, so a scan reading only every S-th position of the
 * data still meets one of them wherever an occurrence starts. Each sampled word is hashed and tested against a bit
 * set of the filed words; only on a hit (rare: the set is kept sparse) is an exact table consulted and the
 * candidates compared in full. Patterns made only of base64 characters (digits, hex, base64 forms, hashes; most of
 * them) are looked for only inside runs of such characters at least as long as the group's shortest pattern, found
 * by {@link Runs} without reading every byte. The others hold a byte outside that alphabet (' ', '@', ':'); each is
 * filed under one word around one such byte, its anchor, and the data is hashed only where anchor bytes are.
 *
 * <p>Why not Aho-Corasick: its full DFA needs states x byte classes ints, and with 1,000 canaries times their forms,
 * base64 alignments and hashes that is hundreds of megabytes; sparse filters stay a few megabytes.
 *
 * <p>Matches are reported once each, but not in order of start (a group reports a match when it reaches up to S - 1
 * bytes past its start, and groups run one after the other).
 */
final class MultiMatcher {
    @FunctionalInterface
    interface Sink {
        void match(int pattern, int start);
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MUL = 0x9E3779B97F4A7C15L;
    /** Measured on JSON with 1,000 canaries: stride 8 beat 4 and 32 (a longer stride means a larger filter). */
    private static final int MAX_STRIDE = 8;
    /** Filter bits per filed word, 3 of them set: about 1% false hits. */
    private static final int FILTER_BITS = 12;
    /** 512 KB: half the processor's level 2 cache (1 MB per core on the EPYC machines this was measured on). */
    private static final long FILTER_BUDGET_BITS = 1L << 22;
    private static final long SLOT_MUL = 0xC2B2AE3D27D4EB4FL;
    /**
     * Pattern lengths where a new group starts: hash prefixes are 16 hex or 10 base64 characters, base64 forms of
     * typical values 16-31. A run is searched only by the groups it can hold, so the 16-19 character runs that abound
     * in JSON (ids, fractions) do not read the filter of the 20-31 character patterns.
     */
    private static final int[] GROUP_FROM = {0, 16, 20, 32};

    private final byte[][] patterns;
    /**
     * Patterns with a byte outside the base64 alphabet ('@', '.', ':', ' '): for {@link #probe}, filed at their
     * start.
     */
    private final Group anywhere;
    /** The same patterns, filed around one such byte each: scans read the data's words only where that byte is. */
    private final Anchored anchored;
    /** Patterns made of base64 characters only (digits, hex, base64 forms, hashes), by length, shortest first. */
    private final Group[] inRuns;
    private final Group[] all;
    private final int shortest;
    private final int longest;

    MultiMatcher(List<byte[]> patternList) {
        patterns = patternList.toArray(new byte[0][]);
        int min = Integer.MAX_VALUE;
        int max = 0;
        List<Integer> other = new ArrayList<>();
        List<List<Integer>> byLength = new ArrayList<>();
        for (int g = 0; g < GROUP_FROM.length; g++) {
            byLength.add(new ArrayList<>());
        }
        for (int id = 0; id < patterns.length; id++) {
            byte[] p = patterns[id];
            if (p.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
            min = Math.min(min, p.length);
            max = Math.max(max, p.length);
            if (!allBase64(p)) {
                other.add(id);
                continue;
            }
            int g = GROUP_FROM.length - 1;
            while (p.length < GROUP_FROM[g]) {
                g--;
            }
            byLength.get(g).add(id);
        }
        shortest = min;
        longest = max;
        anywhere = other.isEmpty() ? null : new Group(patterns, other);
        anchored = other.isEmpty() ? null : new Anchored(patterns, other);
        List<Group> gs = new ArrayList<>();
        for (List<Integer> ids : byLength) {
            if (!ids.isEmpty()) {
                gs.add(new Group(patterns, ids));
            }
        }
        inRuns = gs.toArray(new Group[0]);
        List<Group> every = new ArrayList<>(gs);
        if (anywhere != null) {
            every.add(anywhere);
        }
        all = every.toArray(new Group[0]);
    }

    private static boolean allBase64(byte[] p) {
        for (byte b : p) {
            if (!Base64Alphabet.isBase64(b)) {
                return false;
            }
        }
        return true;
    }

    /** Reports each match by pattern index and start offset. */
    void scan(byte[] data, Sink sink) {
        scan(data, 0, data.length, sink);
    }

    /**
     * An occurrence of a pattern made of base64 characters lies inside a run of such characters at least as long as
     * the pattern: those patterns are looked for only inside long enough runs, which in binary data and in most text
     * cover a small part of the bytes. Finding the runs reads every byte, but in order, from one small table.
     */
    void scan(byte[] data, int from, int to, Sink sink) {
        if (anchored != null) {
            anchored.scan(data, from, to, sink);
        }
        if (inRuns.length == 0) {
            return;
        }
        Runs.each(data, from, to, Runs.BASE64, inRuns[0].min, (start, end) -> {
            for (Group g : inRuns) {
                if (g.min <= end - start) {
                    g.scan(data, start, end, sink);
                }
            }
        });
    }

    /** The shortest run of base64 characters that can hold a pattern searched only in runs; MAX_VALUE if none. */
    int runMin() {
        return inRuns.length == 0 ? Integer.MAX_VALUE : inRuns[0].min;
    }

    /** The patterns that hold a byte outside the base64 alphabet, over all of the data. */
    void scanAnywhere(byte[] data, Sink sink) {
        if (anchored != null) {
            anchored.scan(data, 0, data.length, sink);
        }
    }

    /**
     * The patterns made of base64 characters only, inside [start, end), which must be a maximal run of base64
     * characters (as {@link View#base64Runs} gives): with {@link #scanAnywhere} over the same data, the same as
     * {@link #scan}.
     */
    void scanRun(byte[] data, int start, int end, Sink sink) {
        for (Group g : inRuns) {
            if (g.min <= end - start) {
                g.scan(data, start, end, sink);
            }
        }
    }

    /**
     * Reports the matches starting at {@code start}: for checking a few places of a view without reading all of it.
     */
    void probe(byte[] data, int start, Sink sink) {
        if (start < 0 || start >= data.length) {
            return;
        }
        for (Group g : all) {
            g.probe(data, start, data.length, sink);
        }
    }

    /**
     * As {@link #probe(byte[], int, Sink)}, for a match that must hold {@code value} somewhere: a byte outside the
     * base64 alphabet can only be in a pattern searched everywhere.
     */
    void probe(byte[] data, int start, byte value, Sink sink) {
        if (Base64Alphabet.isBase64(value)) {
            probe(data, start, sink);
        } else if (anywhere != null && start >= 0 && start < data.length) {
            anywhere.probe(data, start, data.length, sink);
        }
    }

    int shortestPattern() {
        return shortest;
    }

    int longestPattern() {
        return longest;
    }

    private static long word(byte[] b, int at, int to) {
        long w = 0;
        int n = Math.min(8, to - at);
        for (int k = n - 1; k >= 0; k--) {
            w = w << 8 | (b[at + k] & 0xff);
        }
        return w;
    }

    /** Patterns of similar length, filed under the words at their first {@code stride} offsets. */
    private static final class Group {
        private final byte[][] patterns;
        private final int min;
        private final int window;
        private final int stride;
        private final long mask;
        private final int filterShift;
        private final long[] filter;
        /**
         * Open addressing on the word: keys, and per slot the filed (pattern id, anchor offset, offset) triples packed
         * into longs: the pattern starts {@code offset} bytes before the word, which starts {@code anchor offset}
         * bytes before the byte that led to it ({@link Anchored}; 0 for a sampled word).
         */
        private final long[] keys;
        private final long[][] entries;
        private final boolean[] used;
        private final int tableMask;
        private final int tableShift;

        Group(byte[][] patterns, List<Integer> ids) {
            this(patterns, min(patterns, ids), stride(min(patterns, ids), ids.size()), strideFiling(patterns, ids));
        }

        private static int min(byte[][] patterns, List<Integer> ids) {
            int min = Integer.MAX_VALUE;
            for (int id : ids) {
                min = Math.min(min, patterns[id].length);
            }
            return min;
        }

        private static long[] strideFiling(byte[][] patterns, List<Integer> ids) {
            int stride = stride(min(patterns, ids), ids.size());
            long[] filed = new long[ids.size() * stride];
            int n = 0;
            for (int id : ids) {
                for (int off = 0; off < stride; off++) {
                    filed[n++] = entry(id, 0, off);
                }
            }
            return filed;
        }

        /**
         * Filing a pattern at more offsets would grow the filter past the processor's cache, and one filter read that
         * misses it costs more than the sequential reads a longer stride would save: a group of many patterns takes
         * a shorter stride to keep its filter within {@link #FILTER_BUDGET_BITS}. Runs shorter than the shortest
         * pattern plus the stride read one word either way.
         */
        private static int stride(int min, int patterns) {
            long fit = FILTER_BUDGET_BITS / ((long) FILTER_BITS * Math.max(1, patterns));
            return (int) Math.max(1, Math.min(Math.min(MAX_STRIDE, min - Math.min(8, min) + 1), fit));
        }

        static long entry(int id, int anchorOffset, int offset) {
            return (long) id << 32 | (long) anchorOffset << 16 | offset;
        }

        /**
         * @param stride how far apart the words a scan reads are
         * @param filed  the entries to file, each under the word at its offset in its pattern
         */
        Group(byte[][] patterns, int min, int stride, long[] filed) {
            this.patterns = patterns;
            this.min = min;
            window = Math.min(8, min);
            this.stride = stride;
            mask = window == 8 ? -1L : (1L << (8 * window)) - 1;
            // Capped at 2^25 bits (4 MB); with 1,000 canaries the largest is 1 MB.
            int bits = 12;
            while (bits < 25 && (1L << bits) < (long) FILTER_BITS * filed.length) {
                bits++;
            }
            filterShift = 64 - (bits - 6);
            filter = new long[1 << (bits - 6)];
            int slots = Integer.highestOneBit((int) Math.max(16, Math.min(1 << 28, (long) filed.length * 2))) << 1;
            keys = new long[slots];
            entries = new long[slots][];
            used = new boolean[slots];
            tableMask = slots - 1;
            tableShift = 64 - Integer.numberOfTrailingZeros(slots);
            for (long entry : filed) {
                byte[] p = patterns[(int) (entry >>> 32)];
                long key = word(p, (int) (entry & 0xffff), p.length) & mask;
                long h = key * MUL;
                filter[(int) (h >>> filterShift)] |= bits(h);
                int slot = slot(key);
                if (!used[slot]) {
                    used[slot] = true;
                    keys[slot] = key;
                    entries[slot] = new long[]{entry};
                } else {
                    long[] o = entries[slot];
                    long[] grown = Arrays.copyOf(o, o.length + 1);
                    grown[o.length] = entry;
                    entries[slot] = grown;
                }
            }
        }

        /**
         * Three bits of one filter word per filed word (a blocked Bloom filter): a false hit needs all three set, so
         * the table, which is large and far from the cache, is rarely consulted for nothing; one memory read still
         * answers.
         */
        private static long bits(long h) {
            long m = h ^ (h >>> 40); // the product's low bits depend on the word's first bytes only
            return 1L << (m & 63) | 1L << ((m >>> 6) & 63) | 1L << ((m >>> 12) & 63);
        }

        private int slot(long key) {
            // The high bits of a second product: low bits would depend on the word's first bytes only (canary forms
            // share prefixes: "+91 98", "8612"), and the filter's product would make a false hit land in a cluster.
            int s = (int) ((key * SLOT_MUL) >>> tableShift);
            while (used[s] && keys[s] != key) {
                s = (s + 1) & tableMask;
            }
            return s;
        }

        void scan(byte[] data, int from, int to, Sink sink) {
            // A word at i stands for starts i - stride + 1 .. i, and the shortest pattern from there must end by to:
            // in a run of 16 characters, the group of 16-19 reads one word, not two.
            int last = to - min + stride - 1;
            int fast = Math.min(last, to - 8);
            int i = from;
            for (; i <= fast; i += stride) {
                long key = (long) LONG.get(data, i) & mask;
                long h = key * MUL;
                long b = bits(h);
                if ((filter[(int) (h >>> filterShift)] & b) == b) {
                    candidates(data, i, 0, from, to, key, sink);
                }
            }
            for (; i <= last; i += stride) {
                long key = word(data, i, to) & mask;
                long h = key * MUL;
                long b = bits(h);
                if ((filter[(int) (h >>> filterShift)] & b) == b) {
                    candidates(data, i, 0, from, to, key, sink);
                }
            }
        }

        void probe(byte[] data, int at, int to, Sink sink) {
            if (at + window > to) {
                return;
            }
            long key = (at + 8 <= to ? (long) LONG.get(data, at) : word(data, at, to)) & mask;
            probeWord(data, at, 0, at, to, key, sink);
        }

        /** The patterns filed under {@code key}, the word at {@code at}, reached from {@code anchorOffset}. */
        void probeWord(byte[] data, int at, int anchorOffset, int from, int to, long key, Sink sink) {
            long h = key * MUL;
            long b = bits(h);
            if ((filter[(int) (h >>> filterShift)] & b) == b) {
                candidates(data, at, anchorOffset, from, to, key, sink);
            }
        }

        private void candidates(byte[] data, int at, int anchorOffset, int from, int to, long key, Sink sink) {
            int s = slot(key);
            if (!used[s]) {
                return;
            }
            for (long e : entries[s]) {
                if ((int) (e >>> 16 & 0xffff) != anchorOffset) {
                    continue; // filed for another anchor: reached from there too, and reported from there only
                }
                int id = (int) (e >>> 32);
                int start = at - (int) (e & 0xffff);
                byte[] p = patterns[id];
                if (start >= from && start + p.length <= to
                        && Arrays.equals(data, start, start + p.length, p, 0, p.length)) {
                    sink.match(id, start);
                }
            }
        }
    }

    /**
     * Patterns that hold a byte outside the base64 alphabet, each filed under one word around one such byte, its
     * anchor: a scan looks only at the positions of anchor bytes, found eight at a time. Anchors are chosen among
     * bytes rare in requests ('@', '(' before ' ', ' ' before ':' and '.'), so in JSON, forms and binary data only a
     * few words per kilobyte are hashed, where sampling every 4th position hashed 250.
     */
    private static final class Anchored {
        private static final long ONES = 0x0101010101010101L;
        private static final long HIGHS = 0x8080808080808080L;
        /** Bytes outside the base64 alphabet common in requests, the least common first; others count as rarer. */
        private static final String COMMON = " :.,\"=&\n";

        private final Group table;
        private final int window;
        /** Per byte value: the distances back from an anchor of that value to the words it was filed under. */
        private final int[][] back = new int[256][];
        /** The anchor byte values below 0x80, each repeated in every byte of a long; at most four, else null. */
        private final long a0;
        private final long a1;
        private final long a2;
        private final long a3;
        private final boolean swar;
        /** Whether some anchor is 0x80 or above (a UTF-8 name): then every such byte is looked at. */
        private final boolean high;

        Anchored(byte[][] patterns, List<Integer> ids) {
            int min = Group.min(patterns, ids);
            window = Math.min(8, min);
            int[] uses = new int[256];
            long[] filed = new long[ids.size()];
            List<List<Integer>> backs = new ArrayList<>();
            for (int v = 0; v < 256; v++) {
                backs.add(new ArrayList<>());
            }
            for (int n = 0; n < ids.size(); n++) {
                byte[] p = patterns[ids.get(n)];
                int v = anchor(p, uses);
                uses[v]++;
                // The word starts at the anchor if the pattern extends a window past it, else it ends the pattern;
                // the fewer distances per anchor value, the fewer words a scan reads per anchor byte.
                int bestJ = -1;
                int bestBack = Integer.MAX_VALUE;
                for (int j = 0; j < p.length; j++) {
                    if ((p[j] & 0xff) == v) {
                        int b = Math.max(0, j - (p.length - window));
                        if (b < bestBack || (b == bestBack && backs.get(v).contains(b))) {
                            bestBack = b;
                            bestJ = j;
                        }
                    }
                }
                if (!backs.get(v).contains(bestBack)) {
                    backs.get(v).add(bestBack);
                }
                filed[n] = Group.entry(ids.get(n), bestBack, bestJ - bestBack);
            }
            table = new Group(patterns, min, 1, filed);
            long[] ascii = new long[4];
            int nAscii = 0;
            boolean anyHigh = false;
            for (int v = 0; v < 256; v++) {
                back[v] = backs.get(v).stream().mapToInt(Integer::intValue).sorted().toArray();
                if (back[v].length > 0) {
                    if (v >= 0x80) {
                        anyHigh = true;
                    } else if (nAscii < ascii.length) {
                        ascii[nAscii] = ONES * v;
                        nAscii++;
                    } else {
                        nAscii++;
                    }
                }
            }
            swar = nAscii <= ascii.length;
            high = anyHigh;
            // Unused slots repeat the first value: one test fewer is not worth a branch per word.
            a0 = ascii[0];
            a1 = nAscii > 1 ? ascii[1] : ascii[0];
            a2 = nAscii > 2 ? ascii[2] : ascii[0];
            a3 = nAscii > 3 ? ascii[3] : ascii[0];
        }

        /** The rarest byte outside the base64 alphabet in {@code p}; among equals, the one most used already. */
        private static int anchor(byte[] p, int[] uses) {
            int best = -1;
            for (byte b : p) {
                int v = b & 0xff;
                if (Base64Alphabet.isBase64(b) || v == best) {
                    continue;
                }
                if (best < 0 || rank(v) < rank(best) || (rank(v) == rank(best) && uses[v] > uses[best])) {
                    best = v;
                }
            }
            return best;
        }

        private static int rank(int v) {
            return COMMON.indexOf(v);
        }

        void scan(byte[] data, int from, int to, Sink sink) {
            int i = from;
            if (swar) {
                for (; i + 8 <= to; i += 8) {
                    long w = (long) LONG.get(data, i);
                    // A zero byte of w ^ a: exact except in a byte above a true zero (the borrow), which the
                    // per-value distances then rule out, as they do for a byte 0x80 or above that is no anchor.
                    long t0 = w ^ a0;
                    long t1 = w ^ a1;
                    long t2 = w ^ a2;
                    long t3 = w ^ a3;
                    long m = ((t0 - ONES) & ~t0) | ((t1 - ONES) & ~t1) | ((t2 - ONES) & ~t2) | ((t3 - ONES) & ~t3);
                    if (high) {
                        m |= w;
                    }
                    m &= HIGHS;
                    while (m != 0) {
                        at(data, i + (Long.numberOfTrailingZeros(m) >>> 3), from, to, sink);
                        m &= m - 1;
                    }
                }
            }
            for (; i < to; i++) {
                if (back[data[i] & 0xff].length > 0) {
                    at(data, i, from, to, sink);
                }
            }
        }

        private void at(byte[] data, int c, int from, int to, Sink sink) {
            for (int b : back[data[c] & 0xff]) {
                int w = c - b;
                if (w >= from && w + window <= to) {
                    long key = (w + 8 <= data.length ? (long) LONG.get(data, w) : word(data, w, to)) & table.mask;
                    table.probeWord(data, w, b, from, to, key, sink);
                }
            }
        }
    }
}
