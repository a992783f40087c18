package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds every occurrence of many byte patterns in one pass over the data, without looking at every position.
 *
 * <p>Patterns are grouped by length. In a group whose shortest pattern has L bytes, each pattern is filed under the
 * W-byte words (W = min(8, L)) at its first S = min(8, L - W + 1) offsets, so a scan reading only every S-th position of the
 * data still meets one of them wherever an occurrence starts. Each sampled word is hashed and tested against a bit
 * set of the filed words; only on a hit (rare: the set is kept sparse) is an exact table consulted and the
 * candidates compared in full. Patterns made only of base64 characters (digits, hex, base64 forms, hashes; most of
 * them) are looked for only inside runs of such characters at least as long as the group's shortest pattern, found
 * by {@link Runs} without reading every byte, and each run only against the patterns its characters can make: a run
 * of digits, of hex digits or without upper case letters has a small filter of its own (see {@link Band}). The others
 * hold a byte outside that alphabet (' ', '@', ':'); each is filed under one word around one such byte, its anchor,
 * and the data is hashed only where anchor bytes are.
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
    /**
     * 256 KB: half the processor's level 2 cache (512 KB per core on the EPYC machine this was measured on; lscpu's
     * "1 MiB" is for both cores). A read that misses the filter costs far more than hashing: without the filter reads
     * the engine ran 1.7x as fast on JSON.
     */
    private static final long FILTER_BUDGET_BITS = 1L << 21;
    private static final long SLOT_MUL = 0xC2B2AE3D27D4EB4FL;
    /**
     * OR-ed into the words of the patterns searched in runs and of the data before hashing: upper and lower case
     * letters hash alike, so the upper and lower case hex of a hash prefix take one word of the filter, not two
     * (the group of 16-19 characters is mostly those); matches are still compared byte for byte.
     */
    private static final long FOLD = 0x2020202020202020L;
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
    private final Band[] inRuns;
    /**
     * Per run {@link #CLASS} bits, the groups a run of that class reads ({@link Band#of}), shortest first: a run
     * stops at the first whose shortest pattern it cannot hold.
     */
    private final Group[][] ofClass = new Group[CLASSES][];
    private final Group[] all;
    private final int shortest;
    private final int longest;

    MultiMatcher(List<byte[]> patternList) {
        this(patternList, ByteClasses.VECTOR);
    }

    /** {@code vector}: whether the anchor search takes 32 bytes a step if it can (tests compare it with eight). */
    MultiMatcher(List<byte[]> patternList, boolean vector) {
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
        anywhere = other.isEmpty() ? null : Group.sampled(patterns, other, 0);
        anchored = other.isEmpty() ? null : new Anchored(patterns, other, vector);
        List<Band> bands = new ArrayList<>();
        List<Group> every = new ArrayList<>();
        for (List<Integer> ids : byLength) {
            if (!ids.isEmpty()) {
                Band b = new Band(patterns, ids);
                bands.add(b);
                every.add(b.any);
            }
        }
        inRuns = bands.toArray(new Band[0]);
        Map<Group, Map<Group, Optional<Group>>> merged = new IdentityHashMap<>();
        for (int c = 0; c < CLASSES; c++) {
            List<Group> groups = new ArrayList<>();
            for (Band b : inRuns) {
                if (b.of[c] == null) {
                    continue;
                }
                Group last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
                Group g = b.of[c];
                Optional<Group> both = last == null ? Optional.empty() : merged
                        .computeIfAbsent(last, k -> new IdentityHashMap<>())
                        .computeIfAbsent(g, k -> Optional.ofNullable(merge(patterns, last, g)));
                if (both.isPresent()) {
                    groups.set(groups.size() - 1, both.get());
                } else {
                    groups.add(g);
                }
            }
            ofClass[c] = groups.toArray(new Group[0]);
        }
        if (anywhere != null) {
            every.add(anywhere);
        }
        all = every.toArray(new Group[0]);
    }

    /** Two groups whose filters add up to at most this many bits may become one ({@link #merge}): 16 KB. */
    private static final long MERGE_BITS = 1L << 17;

    /**
     * One group for the patterns of two groups a class reads one after the other (shorter first), when both filters
     * are small and the one group takes at least the first's stride; else null. Runs of digits (a JSON body's
     * timestamps and fractions, two thirds of its runs) read a 4 KB filter for 10-15 digits and, from 16 digits on, a
     * 0.5 KB one for 16-19: one filter for both (still 4 KB with the bench's 1,000 canaries) costs a run of 16 digits
     * one group scan, not two, and one word fewer. A run shorter than the second group's patterns reads no more
     * words than before, and their candidates fail on the run's end.
     */
    private static Group merge(byte[][] patterns, Group first, Group second) {
        if (64L * (first.filter.length + second.filter.length) > MERGE_BITS || first.fold != second.fold) {
            return null;
        }
        List<Integer> ids = new ArrayList<>();
        for (int id : first.ids) {
            ids.add(id);
        }
        for (int id : second.ids) {
            ids.add(id);
        }
        Group both = Group.within(patterns, ids, first.fold, MERGE_BITS, first.window);
        return both != null && both.stride >= first.stride && both.min == first.min ? both : null;
    }

    private static boolean allBase64(byte[] p) {
        for (byte b : p) {
            if (!Base64Alphabet.isBase64(b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #CLASS} bits: a byte that is a decimal digit, a hex digit, no upper case letter. Most runs in JSON and
     * forms are numbers, hex ids or lower case tokens, while nearly all patterns are base64 hash prefixes, which
     * hold upper case letters: a run of one class can only hold the patterns of that class.
     */
    private static final int DIGIT = 1;
    private static final int HEX = 2;
    private static final int NO_CAPS = 4;
    private static final int CLASSES = 8;
    private static final byte[] CLASS = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            CLASS[b] = (byte) (b >= 'A' && b <= 'Z' ? 0 : NO_CAPS);
        }
        for (int b = '0'; b <= '9'; b++) {
            CLASS[b] |= DIGIT | HEX;
        }
        for (int b = 'a'; b <= 'f'; b++) {
            CLASS[b] |= HEX;
            CLASS[b - 'a' + 'A'] |= HEX;
        }
    }

    /** The {@link #CLASS} bits every byte of [from, to) has. */
    private static int classOf(byte[] d, int from, int to) {
        int c = CLASSES - 1;
        for (int i = from; i < to && c != 0; i++) {
            c &= CLASS[d[i] & 0xff];
        }
        return c;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * {@link #classOf} of a run of base64 characters, eight at a time: without a branch for runs of 8 to 16 (two
     * overlapping words), where a byte loop would mispredict its exit on nearly every run.
     */
    private static int runClass(byte[] d, int from, int to) {
        if (to - from < 8) {
            return classOf(d, from, to);
        }
        long digits = HIGHS;
        long hex = HIGHS;
        long caps = 0;
        for (int i = from; ; i += 8) {
            long w = (long) LONG.get(d, Math.min(i, to - 8));
            // Per byte, below 0x80 in a run: x + (0x80 - lo) sets the high bit when x >= lo, x + (0x7f - hi) when
            // x > hi, and neither carries into the next byte. Folding the case maps no other base64 character into
            // 'a'..'f'.
            long digit = Runs.digitMask(w);
            long x = w | FOLD;
            long letter = (x + ONES * (0x80 - 'a')) & ~(x + ONES * (0x7f - 'f'));
            digits &= digit;
            hex &= digit | letter;
            caps |= (w + ONES * (0x80 - 'A')) & ~(w + ONES * (0x7f - 'Z'));
            if (i + 8 >= to) {
                break;
            }
        }
        return ((digits & HIGHS) == HIGHS ? DIGIT : 0) | ((hex & HIGHS) == HIGHS ? HEX : 0)
                | ((caps & HIGHS) == 0 ? NO_CAPS : 0);
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
        Runs.each(data, from, to, Runs.BASE64, inRuns[0].any.min, (start, end) -> scanRun(data, start, end, sink));
    }

    /** The shortest run of base64 characters that can hold a pattern searched only in runs; MAX_VALUE if none. */
    int runMin() {
        return inRuns.length == 0 ? Integer.MAX_VALUE : inRuns[0].any.min;
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
        int n = end - start;
        int c = runClass(data, start, end);
        // A band's groups are no shorter than its patterns and bands come shortest first: so are a class's groups.
        for (Group g : ofClass[c]) {
            if (g.min > n) {
                return;
            }
            g.scan(data, start, end, sink);
        }
    }

    /** The groups a run of base64 characters reads, as "window W stride S from MIN", for tests. */
    List<String> groupsRead(byte[] run) {
        List<String> out = new ArrayList<>();
        for (Group g : ofClass[runClass(run, 0, run.length)]) {
            if (g.min <= run.length) {
                out.add("window " + g.window + " stride " + g.stride + " from " + g.min);
            }
        }
        return out;
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

    /**
     * The patterns of one length group, and again those of them of one {@link #CLASS} where they are few: a run of
     * digits (timestamps, ids, fractions: most runs in JSON) or of lower case characters (form values) can hold only
     * a few hundred of the group's tens of thousands of patterns, whose filter stays in the level 1 cache. Each run
     * reads the smallest filter that holds every pattern it can.
     *
     * <p>Where a class has many patterns (hex hash prefixes are most of the 16-19 group, and 16 hex digits are a
     * common id in JSON), its own group files them at fewer offsets, if that keeps its filter a {@link #SHARE}th of
     * the group's: a run longer than the shortest pattern then reads a few more words, but a filter read that misses
     * the cache costs more.
     */
    private static final class Band {
        /** A class's own filter is kept when it holds at most this share of the group's patterns or filter bits. */
        private static final int SHARE = 4;
        final Group any;
        /** Per run {@link #CLASS} bits, the smallest group holding every pattern of that class; null if none. */
        final Group[] of = new Group[CLASSES];

        Band(byte[][] patterns, List<Integer> ids) {
            any = Group.sampled(patterns, ids, FOLD);
            int[] classes = new int[ids.size()];
            for (int k = 0; k < classes.length; k++) {
                classes[k] = classOf(patterns[ids.get(k)], 0, patterns[ids.get(k)].length);
            }
            Group[] own = new Group[CLASSES];
            long[] sizes = new long[CLASSES];
            for (int c : new int[]{DIGIT, HEX, NO_CAPS}) {
                List<Integer> of = new ArrayList<>();
                for (int k = 0; k < classes.length; k++) {
                    if ((classes[k] & c) == c) {
                        of.add(ids.get(k));
                    }
                }
                if (of.isEmpty()) {
                    continue; // no run of this class can hold a pattern of the group
                }
                int window = classWindow(Group.min(patterns, of));
                own[c] = of.size() * SHARE <= ids.size()
                        ? Group.within(patterns, of, FOLD, FILTER_BUDGET_BITS, window)
                        : Group.within(patterns, of, FOLD, 64L * any.filter.length / SHARE, window);
                sizes[c] = own[c] == null ? size(any, ids.size()) : size(own[c], of.size());
                own[c] = own[c] == null ? any : own[c];
            }
            // A run of class bits c can hold only patterns having all of them: any one bit's group will do, the
            // smallest filter is best, and of equal filters the one of fewer patterns.
            for (int c = 0; c < CLASSES; c++) {
                Group best = any;
                long size = size(any, ids.size());
                for (int bit : new int[]{DIGIT, HEX, NO_CAPS}) {
                    if ((c & bit) != 0 && sizes[bit] <= size) {
                        best = own[bit];
                        size = sizes[bit];
                    }
                }
                of[c] = best;
            }
        }

        /**
         * The bytes a class's own group hashes per word: 6 where its shortest pattern has 13 characters or fewer,
         * else 7 or 8 (never more than the shortest pattern). A pattern of 10 characters holds three words of 8 bytes
         * but five of 6, so the group's stride is 5, not 3: a run of 13 digits (a JSON timestamp) reads one word, not
         * two, one of 16 two, not three. Six digits still take a million values against the few thousand words a
         * class files, so data words that merely share 6 bytes with a pattern stay rarer than the filter's own false
         * hits (about 1%), and each is a candidate compared in full as before.
         */
        static int classWindow(int min) {
            return Math.min(Math.min(8, min), Math.max(6, min - MAX_STRIDE + 1));
        }

        /** Orders groups by filter size, then by patterns. */
        private static long size(Group g, int patterns) {
            return (long) g.filter.length << 32 | patterns;
        }
    }

    /** Patterns of similar length, filed under the words at their first {@code stride} offsets. */
    private static final class Group {
        private final byte[][] patterns;
        private final int min;
        private final int window;
        private final int stride;
        private final long mask;
        /** OR-ed into every word before hashing ({@link #FOLD} or 0). */
        private final long fold;
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
        /** The patterns filed, each once, ascending. */
        private final int[] ids;
        private final int tableMask;
        private final int tableShift;

        /** The patterns {@code ids}, each filed under the words at their first {@link #stride} offsets. */
        static Group sampled(byte[][] patterns, List<Integer> ids, long fold) {
            int stride = Math.max(1, stride(patterns, ids, fold, FILTER_BUDGET_BITS));
            return new Group(patterns, min(patterns, ids), stride, strideFiling(patterns, ids, stride), fold);
        }

        /**
         * As {@link #sampled}, with a filter of at most {@code budgetBits}, hashing words of {@code window} bytes (at
         * most the shortest pattern, at most 8); null if one offset per pattern is more.
         */
        static Group within(byte[][] patterns, List<Integer> ids, long fold, long budgetBits, int window) {
            int stride = stride(patterns, ids, fold, budgetBits, window);
            return stride == 0 ? null : new Group(patterns, min(patterns, ids), window, stride,
                    strideFiling(patterns, ids, stride), fold);
        }

        static int min(byte[][] patterns, List<Integer> ids) {
            int min = Integer.MAX_VALUE;
            for (int id : ids) {
                min = Math.min(min, patterns[id].length);
            }
            return min;
        }

        /** Entries for every pattern at offsets 0 .. stride - 1. */
        private static long[] strideFiling(byte[][] patterns, List<Integer> ids, int stride) {
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
         * a shorter stride to keep its filter within {@code budgetBits} ({@link #FILTER_BUDGET_BITS} for a band's
         * group), counted in distinct words (the upper and lower case hex of a hash prefix fold to one); 0 if even
         * one offset per pattern is more. Runs shorter than the shortest pattern plus the stride read one word either
         * way.
         */
        private static int stride(byte[][] patterns, List<Integer> ids, long fold, long budgetBits) {
            return stride(patterns, ids, fold, budgetBits, Math.min(8, min(patterns, ids)));
        }

        private static int stride(byte[][] patterns, List<Integer> ids, long fold, long budgetBits, int window) {
            int min = min(patterns, ids);
            long mask = window == 8 ? -1L : (1L << (8 * window)) - 1;
            // The words at one offset, counted once each, times the offsets: close enough, the patterns being
            // unrelated beyond the case of their letters.
            long[] words = new long[ids.size()];
            for (int k = 0; k < words.length; k++) {
                byte[] p = patterns[ids.get(k)];
                words[k] = (word(p, 0, p.length) | fold) & mask;
            }
            Arrays.sort(words);
            long distinct = 0;
            for (int k = 0; k < words.length; k++) {
                distinct += k == 0 || words[k] != words[k - 1] ? 1 : 0;
            }
            long fit = budgetBits / (FILTER_BITS * Math.max(1, distinct));
            return (int) Math.min(Math.min(MAX_STRIDE, min - window + 1), fit);
        }

        static long entry(int id, int anchorOffset, int offset) {
            return (long) id << 32 | (long) anchorOffset << 16 | offset;
        }

        /**
         * @param stride how far apart the words a scan reads are
         * @param filed  the entries to file, each under the word at its offset in its pattern
         * @param fold   OR-ed into every word before hashing, pattern's and data's alike
         */
        Group(byte[][] patterns, int min, int stride, long[] filed, long fold) {
            this(patterns, min, Math.min(8, min), stride, filed, fold);
        }

        /** @param window the bytes of each word hashed, at most {@code min} and 8 */
        Group(byte[][] patterns, int min, int window, int stride, long[] filed, long fold) {
            if (window > Math.min(8, min) || window < 1) {
                throw new IllegalArgumentException("a window of " + window + " bytes for patterns of " + min);
            }
            this.patterns = patterns;
            this.min = min;
            this.window = window;
            this.stride = stride;
            mask = window == 8 ? -1L : (1L << (8 * window)) - 1;
            this.fold = fold;
            int slots = Integer.highestOneBit((int) Math.max(16, Math.min(1 << 28, (long) filed.length * 2))) << 1;
            keys = new long[slots];
            entries = new long[slots][];
            used = new boolean[slots];
            tableMask = slots - 1;
            tableShift = 64 - Integer.numberOfTrailingZeros(slots);
            ids = Arrays.stream(filed).mapToInt(e -> (int) (e >>> 32)).sorted().distinct().toArray();
            int distinct = 0;
            for (long entry : filed) {
                byte[] p = patterns[(int) (entry >>> 32)];
                long key = (word(p, (int) (entry & 0xffff), p.length) | fold) & mask;
                int slot = slot(key);
                if (!used[slot]) {
                    used[slot] = true;
                    keys[slot] = key;
                    entries[slot] = new long[]{entry};
                    distinct++;
                } else {
                    long[] o = entries[slot];
                    long[] grown = Arrays.copyOf(o, o.length + 1);
                    grown[o.length] = entry;
                    entries[slot] = grown;
                }
            }
            // Sized by the distinct words filed, capped at 2^25 bits (4 MB); with 1,000 canaries the largest is 512 KB.
            int bits = 12;
            while (bits < 25 && (1L << bits) < (long) FILTER_BITS * distinct) {
                bits++;
            }
            filterShift = 64 - (bits - 6);
            filter = new long[1 << (bits - 6)];
            for (int slot = 0; slot < slots; slot++) {
                if (used[slot]) {
                    long h = keys[slot] * MUL;
                    filter[(int) (h >>> filterShift)] |= bits(h);
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

        /** The matches inside [from, to), which must be at least {@link #min} long. */
        void scan(byte[] data, int from, int to, Sink sink) {
            // A word at i stands for starts i - stride + 1 .. i, and the shortest pattern from there must end by to:
            // the words read are the fewest that stand for every start from `from` to `last`, ceil((n - min + 1) /
            // stride) of them. The last one read is moved back to `last` (so in a run of 11 characters the group of
            // 10-15, stride 3, reads one word, at its second character, not two) and takes only the starts the one
            // before did not, each match being reported once.
            int last = to - min;
            for (int i = from + stride - 1; ; i += stride) {
                int at = Math.min(i, last);
                long key = ((at + 8 <= data.length ? (long) LONG.get(data, at) : word(data, at, to)) | fold) & mask;
                long h = key * MUL;
                long b = bits(h);
                if ((filter[(int) (h >>> filterShift)] & b) == b) {
                    candidates(data, at, 0, i - stride + 1, to, key, sink);
                }
                if (i >= last) {
                    return;
                }
            }
        }

        void probe(byte[] data, int at, int to, Sink sink) {
            if (at + window > to) {
                return;
            }
            long key = ((at + 8 <= to ? (long) LONG.get(data, at) : word(data, at, to)) | fold) & mask;
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
     *
     * <p>Rare is not rare enough: the bench's capture (128 MB) has 4.4 million ':' (one per JSON key, anchors of the
     * MACs) and a million ' ' (a form's '+' decoded), against a few hundred words that pass the filter. What an anchor
     * byte costs is the search's loop and the look-up, not the filter read, so most are ruled out before either: by a
     * second byte the eight-at-a-time search tests with the anchor ({@link #d0}), and by the bytes next to the anchor
     * ({@link #beside}). Both only rule out places where no filed pattern can be.
     */
    private static final class Anchored {
        /** Bytes outside the base64 alphabet common in requests, the least common first; others count as rarer. */
        private static final String COMMON = " :.,\"=&\n";

        private final Group table;
        private final int window;
        /** Per byte value: the distances back from an anchor of that value to the words it was filed under. */
        private final int[][] back = new int[256][];
        /**
         * Per anchor value, two 256-bit sets: the bytes the patterns filed under it have just before and just after
         * their anchor (every byte where one of them starts or ends at it). JSON's {@code "key":} has '"' before ':',
         * a form's "hello world" lower case letters around ' ', where phone numbers have digits.
         */
        private final long[] beside = new long[8 * 256];
        /**
         * The anchor byte values, each repeated in every byte of a long: all of them if eight or fewer, else those
         * below 0x80 if eight or fewer (the others then through {@link #high}); else {@link #swar} is false. a4..a7
         * are tested only if {@link #wide}: four values cover the bench's canaries (' ', '(', ':', '@'), but a
         * location ('.') or a name with an apostrophe makes a fifth, and searching a byte at a time costs more than
         * four more tests per eight bytes.
         */
        private final long a0;
        private final long a1;
        private final long a2;
        private final long a3;
        private final long a4;
        private final long a5;
        private final long a6;
        private final long a7;
        private final boolean wide;
        /**
         * The eight-at-a-time search takes an anchor of {@link #a0}'s value only where the byte {@code d0} bytes on is
         * {@link #u0}'s (see {@link #second}); 0 and {@link #a0} itself if no value has such a byte.
         */
        private final int d0;
        private final long u0;
        private final boolean swar;
        /**
         * Whether anchors 0x80 or above (UTF-8 names) are searched apart from a0..a7: as {@link #ah}'s value if it is
         * the only one, else every such byte ({@link #everyHigh} all ones).
         */
        private final boolean high;
        private final long ah;
        private final long everyHigh;
        /** The same search 32 bytes a step; null without vectors (or without {@link #swar}). */
        private final ByteClasses.AnyOf gate;

        Anchored(byte[][] patterns, List<Integer> ids, boolean vector) {
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
                allow(beside, 8 * v, bestJ > 0 ? p[bestJ - 1] & 0xff : -1);
                allow(beside, 8 * v + 4, bestJ + 1 < p.length ? p[bestJ + 1] & 0xff : -1);
            }
            table = new Group(patterns, min, 1, filed, 0);
            int nAscii = 0;
            int nHigh = 0;
            for (int v = 0; v < 256; v++) {
                back[v] = backs.get(v).stream().mapToInt(Integer::intValue).sorted().toArray();
                if (back[v].length > 0) {
                    nAscii += v < 0x80 ? 1 : 0;
                    nHigh += v < 0x80 ? 0 : 1;
                }
            }
            // Up to eight values are searched for as they are; past that, bytes 0x80 and above (UTF-8 names) are
            // searched as a class: all of them, or the one such value if only one is an anchor (Latin names all
            // take 0xC3 or so, see anchor(..)), which keeps binary bodies from stopping at every second byte.
            long[] slots = new long[8];
            int n = 0;
            long oneHigh = 0;
            for (int v = 0; v < 256; v++) {
                if (back[v].length == 0) {
                    continue;
                }
                if (nAscii + nHigh <= slots.length || (v < 0x80 && nAscii <= slots.length)) {
                    slots[n++] = ONES * v;
                } else if (v >= 0x80) {
                    oneHigh = ONES * v;
                }
            }
            swar = nAscii <= slots.length;
            high = nAscii + nHigh > slots.length && nHigh > 0;
            ah = oneHigh;
            everyHigh = nHigh > 1 ? -1L : 0;
            int[] second = swar ? second(patterns, filed) : null;
            if (second != null) {
                // Its value takes the first place, the one tested with its second byte.
                for (int k = 0; k < n; k++) {
                    if (slots[k] == ONES * second[0]) {
                        slots[k] = slots[0];
                        slots[0] = ONES * second[0];
                    }
                }
            }
            // Unused slots repeat the first value: one test fewer is not worth a branch per word.
            a0 = slots[0];
            a1 = n > 1 ? slots[1] : slots[0];
            a2 = n > 2 ? slots[2] : slots[0];
            a3 = n > 3 ? slots[3] : slots[0];
            a4 = n > 4 ? slots[4] : slots[0];
            a5 = n > 5 ? slots[5] : slots[0];
            a6 = n > 6 ? slots[6] : slots[0];
            a7 = n > 7 ? slots[7] : slots[0];
            wide = n > 4;
            d0 = second == null ? 0 : second[1];
            u0 = second == null ? a0 : ONES * second[2];
            // a4..a7 count only if wide, a single high value only if high: a1 stands for the untested ones (it is
            // a0's value if that is the only one).
            gate = vector && ByteClasses.VECTOR && swar ? new ByteClasses.AnyOf((byte) a0, d0, (byte) u0,
                    new byte[]{(byte) a1, (byte) a2, (byte) a3, (byte) (wide ? a4 : a1), (byte) (wide ? a5 : a1),
                        (byte) (wide ? a6 : a1), (byte) (wide ? a7 : a1)},
                    (byte) (high ? ah : a1), high && everyHigh != 0) : null;
        }

        /** Adds byte {@code x} to the 256-bit set at {@code set[at..at + 3]}; every byte if {@code x} is -1. */
        private static void allow(long[] set, int at, int x) {
            if (x < 0) {
                Arrays.fill(set, at, at + 4, -1L);
            } else {
                set[at + (x >>> 6)] |= 1L << x;
            }
        }

        /** Whether the 256-bit set at {@code set[at..at + 3]} holds byte {@code x}; -1 (no byte) is in every set. */
        private static boolean holds(long[] set, int at, int x) {
            return x < 0 || (set[at + (x >>> 6)] >>> x & 1) != 0;
        }

        /**
         * An anchor value below 0x80, a distance d of 1 to 7 and a byte that every pattern filed under that value has
         * d bytes after its anchor, as {value, d, byte}; null if none. Where several values have one, the one most
         * common in requests (a MAC's ':' has ':' three bytes on, where JSON has a ':' per key), and a byte outside
         * the base64 alphabet, rarer there.
         */
        private int[] second(byte[][] patterns, long[] filed) {
            int[] best = null;
            int bestScore = Integer.MIN_VALUE;
            for (int v = 0; v < 0x80; v++) {
                if (back[v].length == 0) {
                    continue;
                }
                for (int d = 1; d < 8; d++) {
                    int u = common(patterns, filed, v, d);
                    int score = 2 * rank(v) + (u >= 0 && !Base64Alphabet.isBase64((byte) u) ? 1 : 0);
                    if (u >= 0 && score > bestScore) {
                        bestScore = score;
                        best = new int[]{v, d, u};
                    }
                }
            }
            return best;
        }

        /** The byte every pattern filed under anchor value {@code v} has {@code d} bytes after its anchor, or -1. */
        private static int common(byte[][] patterns, long[] filed, int v, int d) {
            int u = -1;
            for (long e : filed) {
                byte[] p = patterns[(int) (e >>> 32)];
                int j = (int) (e & 0xffff) + (int) (e >>> 16 & 0xffff);
                if ((p[j] & 0xff) != v) {
                    continue;
                }
                if (j + d >= p.length || (u >= 0 && (p[j + d] & 0xff) != u)) {
                    return -1;
                }
                u = p[j + d] & 0xff;
            }
            return u;
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
                if (gate != null) {
                    // Most blocks of 32 hold no anchor (JSON: a ':' whose second byte is no ':'), and in those that
                    // do, the vector compares have found the anchors already (exactly, without the borrows below).
                    long[] hits = new long[ByteClasses.BLOCK / 8];
                    while ((i = gate.next(data, i, to, hits)) + ByteClasses.BLOCK + d0 <= to) {
                        for (int k = 0; k < hits.length; k++) {
                            for (long m = hits[k]; m != 0; m &= m - 1) {
                                at(data, i + 8 * k + (Long.numberOfTrailingZeros(m) >>> 3), from, to, sink);
                            }
                        }
                        i += ByteClasses.BLOCK;
                    }
                }
                // a0's second byte must lie before to as well: the last d0 + 7 bytes or fewer go one at a time.
                for (; i + d0 + 8 <= to; i += 8) {
                    long w = (long) LONG.get(data, i);
                    // A zero byte of w ^ a: exact except in a byte above a true zero (the borrow), which the
                    // per-value distances then rule out, as they do for a byte 0x80 or above that is no anchor.
                    // Neither this nor the test of the second byte misses a true zero, so their AND misses no
                    // anchor of a0's value that a pattern can start from.
                    long t0 = w ^ a0;
                    long s0 = (long) LONG.get(data, i + d0) ^ u0;
                    long t1 = w ^ a1;
                    long t2 = w ^ a2;
                    long t3 = w ^ a3;
                    long m = ((t0 - ONES) & ~t0 & (s0 - ONES) & ~s0) | ((t1 - ONES) & ~t1) | ((t2 - ONES) & ~t2)
                            | ((t3 - ONES) & ~t3);
                    if (wide) {
                        long t4 = w ^ a4;
                        long t5 = w ^ a5;
                        long t6 = w ^ a6;
                        long t7 = w ^ a7;
                        m |= ((t4 - ONES) & ~t4) | ((t5 - ONES) & ~t5) | ((t6 - ONES) & ~t6) | ((t7 - ONES) & ~t7);
                    }
                    if (high) {
                        long th = w ^ ah;
                        m |= ((th - ONES) & ~th) | (w & everyHigh);
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
            int v = data[c] & 0xff;
            // A pattern holding the byte before or after c lies inside [from, to) only if that byte does.
            if (!holds(beside, 8 * v, c > from ? data[c - 1] & 0xff : -1)
                    || !holds(beside, 8 * v + 4, c + 1 < to ? data[c + 1] & 0xff : -1)) {
                return;
            }
            for (int b : back[v]) {
                int w = c - b;
                if (w >= from && w + window <= to) {
                    long key = (w + 8 <= data.length ? (long) LONG.get(data, w) : word(data, w, to)) & table.mask;
                    table.probeWord(data, w, b, from, to, key, sink);
                }
            }
        }
    }
}
