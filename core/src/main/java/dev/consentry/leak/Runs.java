package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Maximal runs of bytes of one class (base64 characters, hex digits) at least {@code min} long, found in one of two
 * ways. Sampled: any such run holds a position that is a multiple of {@code min}, so only those are read, and only
 * around a hit is the run followed to its ends; in binary data this reads a fraction of the bytes. By words: in
 * ASCII text (JSON, forms) nearly every sample hits and the walks to the run's ends read three quarters of the bytes,
 * each walk ending in a mispredicted branch, so there every byte is classed, eight at a time ({@link #base64Mask}),
 * and a run of more than 6 bytes is seen from the edges of the words it touches alone. With 256-bit vectors,
 * neither: every byte is classed, 64 at a time, into a mask of bits ({@link #blocks}), text or not.
 */
final class Runs {
    static final boolean[] BASE64 = new boolean[256];
    static final boolean[] HEX = new boolean[256];

    // Not UrlDecoder.hex: UrlDecoder's own tables read BASE64, and a cycle between the two initializers left them
    // empty when Runs was loaded first (ClassInitOrderTest).
    static {
        for (int b = 0; b < 256; b++) {
            BASE64[b] = Base64Alphabet.isBase64((byte) b);
            HEX[b] = b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
        }
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7f7f7f7f7f7f7f7fL;
    /** Multiplies the bits 0, 8, .., 56 of a word into bits 56..63 (bit 8j to 56 + j), with no carry between. */
    private static final long GATHER = 0x0102040810204080L;
    /** The longest {@code min} that {@link #blocks} takes: its shifts reach back at most into the block before. */
    static final int MAX_BLOCK_MIN = 64;
    /** How far {@link #ascii} looks to choose between the two ways. */
    private static final int PEEK = 64;

    @FunctionalInterface
    interface Sink {
        void run(int start, int end);
    }

    private Runs() {
    }

    /**
     * The maximal runs of base64 characters within [from, to) at least {@code min} long, as (start, end) pairs in
     * order, in an array exactly that long: what {@link #each} reports, without a call per run (a JSON body has about
     * 30,000 runs of 10 or more characters per MB; collecting them through a sink into a list took 5% of its scan's
     * profile samples).
     */
    static int[] base64(byte[] d, int from, int to, int min) {
        if (byBlocks(from, to, min)) {
            return blocks(d, from, to, min);
        }
        if (min > 6 && ascii(d, from, Math.min(to, from + PEEK))) {
            return words(d, from, to, min);
        }
        IntList found = new IntList();
        sampled(d, from, to, BASE64, min, (start, end) -> {
            found.add(start);
            found.add(end);
        });
        return found.toArray();
    }

    /** Reports each maximal run within [from, to) of at least {@code min} bytes of the class, in order. */
    static void each(byte[] d, int from, int to, boolean[] cls, int min, Sink sink) {
        if (cls == BASE64 && (byBlocks(from, to, min) || min > 6 && ascii(d, from, Math.min(to, from + PEEK)))) {
            words(d, from, to, min, sink);
        } else {
            sampled(d, from, to, cls, min, sink);
        }
    }

    /**
     * Whether {@link #words} takes 64 bytes a step ({@link #blocks}): then it is the way for binary bytes too. It
     * reads every byte, but without a mispredicted branch at every fourth sample or so (a quarter of all bytes are
     * base64 characters): measured 2026-11-25 10:49 UTC on 400 bodies of each kind of the bench generator (min 10,
     * one JVM, alternating, thread CPU time, medians of 100 rounds, two runs, load ~8): 1.91x and 1.94x sampling's
     * speed on random bytes, 1.27x and 1.48x on gzip'd bytes.
     */
    private static boolean byBlocks(int from, int to, int min) {
        return ByteClasses.VECTOR && min > 6 && min <= MAX_BLOCK_MIN && to - from >= 64;
    }

    /**
     * Measured on the bench generator's bodies (thread CPU time, medians of 30 alternated rounds): by words is 1.07x
     * as fast on JSON and 1.3x on forms, but 0.85x on random bytes, where sampling skips most of them. Text shows
     * itself in its first bytes: random or compressed bytes hold one of 0x80 or more every other byte.
     */
    private static boolean ascii(byte[] d, int from, int to) {
        long high = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            high |= (long) LONG.get(d, i);
        }
        for (; i < to; i++) {
            high |= d[i];
        }
        return (high & HIGHS) == 0;
    }

    static void sampled(byte[] d, int from, int to, boolean[] cls, int min, Sink sink) {
        int step = Math.max(1, min);
        int done = from; // everything before has been reported or ruled out
        for (int p = from + step - 1; p < to; p += step) {
            if (!cls[d[p] & 0xff]) {
                continue;
            }
            int start = p;
            while (start > done && cls[d[start - 1] & 0xff]) {
                start--;
            }
            int end = p + 1;
            while (end < to && cls[d[end] & 0xff]) {
                end++;
            }
            if (end - start >= min) {
                sink.run(start, end);
            }
            done = end;
            // d[end] ends this run; a run after it of min bytes or more holds one of end + k * step (k >= 1).
            p = end;
        }
    }

    /** {@link #words(byte[], int, int, int)} reported to a sink. */
    static void words(byte[] d, int from, int to, int min, Sink sink) {
        int[] runs = words(d, from, to, min);
        for (int r = 0; r < runs.length; r += 2) {
            sink.run(runs[r], runs[r + 1]);
        }
    }

    /**
     * Base64 runs of at least {@code min} > 6 bytes, a word at a time, as (start, end) pairs. A run inside one word,
     * touching neither of its edges, is at most 6 bytes long, so only the bytes of the class at a word's low end (they
     * close the run open before it) and at its high end (they open the next) matter: the lowest and highest byte not
     * of the class give both.
     */
    static int[] words(byte[] d, int from, int to, int min) {
        return words(d, from, to, min, ByteClasses.VECTOR);
    }

    /** {@code vector}: whether 64 bytes a step may be classed by vector (tests compare it with eight by SWAR). */
    static int[] words(byte[] d, int from, int to, int min, boolean vector) {
        if (vector && byBlocks(from, to, min)) {
            return blocks(d, from, to, min);
        }
        // A run and the byte that ends it take min + 1 bytes: room for every run in the worst case, but started at
        // about what text holds (JSON: a run of 10+ characters per 30 bytes) and grown when needed.
        int most = 2 * ((to - from) / (min + 1) + 1);
        int[] out = new int[Math.min(most, 16 + (to - from) / 16)];
        int n = 0;
        int open = from; // [open, i) are base64 characters: the run reaching word i starts there
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long o = ~base64Mask((long) LONG.get(d, i)) & HIGHS;
            if (o != 0) {
                int end = i + (Long.numberOfTrailingZeros(o) >>> 3);
                if (end - open >= min) {
                    if (n + 2 > out.length) {
                        out = Arrays.copyOf(out, Math.min(most, 2 * out.length));
                    }
                    out[n] = open;
                    out[n + 1] = end;
                    n += 2;
                }
                open = i + 8 - (Long.numberOfLeadingZeros(o) >>> 3);
            }
        }
        int end = to;
        if (i < to) {
            // The last, partial word: the bytes from `to` on count as not of the class.
            long w = i + 8 <= d.length ? (long) LONG.get(d, i) : Bytes.word(d, i);
            long o = ~base64Mask(w) & HIGHS | HIGHS << 8 * (to - i);
            end = i + (Long.numberOfTrailingZeros(o) >>> 3);
        }
        if (end - open >= min) {
            if (n + 2 > out.length) {
                out = Arrays.copyOf(out, n + 2);
            }
            out[n] = open;
            out[n + 1] = end;
            n += 2;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * {@link #words} 64 bytes a step, for {@code min} from 7 to {@link #MAX_BLOCK_MIN}: the block's bits of base64
     * characters (bit k: byte i + k; {@link ByteClasses#base64Bits}) are AND-ed with themselves shifted up, in doubling
     * steps, into {@code t}: bit k set where a run of at least {@code min} characters ends at byte i + k. A long run
     * shows as the first bit of its stretch in {@code t} (its start is {@code min - 1} before) and the byte after its
     * last bit (its end), and starts and ends alternate, so all of a block's show in one mask, in order. Why: the SWAR
     * loop spends most of its time on a mispredicted branch per word (does the run it closes count?) and the
     * multiplies of its classing; here, classing is a few vector compares and a run costs only the stores of its
     * two ends. Measured 2026-11-25 10:26 UTC on 400 JSON and 400 form bodies of the bench generator (min 10, one
     * JVM, both ways alternating, thread CPU time, median of 40 rounds at load ~7): 1.68x (quartiles 1.44-1.82) the
     * SWAR loop's speed on JSON, 1.35x (1.32-1.41) on forms.
     */
    private static int[] blocks(byte[] d, int from, int to, int min) {
        int most = 2 * ((to - from) / (min + 1) + 1);
        // As in words(..) for text (binary bytes hold hardly any long run: there, start small), plus room for one
        // block's stores past the last end: up to 16 (a long run and the byte after it take 8 or more, so a block
        // holds at most 8 starts and 8 ends), the first 4 made even if unused.
        int guess = ascii(d, from, from + PEEK) ? 16 + (to - from) / 16 : 16 + (to - from) / 1024;
        int[] out = new int[Math.min(most, guess) + 16];
        // Step k takes runs of len to len + s_k (s_k <= len), from len = 1 to min; steps 5 and 6 only for min > 16.
        int len = 1;
        int s1 = Math.min(len, min - len);
        len += s1;
        int s2 = Math.min(len, min - len);
        len += s2;
        int s3 = Math.min(len, min - len);
        len += s3;
        int s4 = Math.min(len, min - len);
        len += s4;
        int s5 = Math.min(len, min - len);
        len += s5;
        int s6 = min - len;
        boolean deep = s5 > 0;
        // The previous block's input to each step (its top bits continue this block's shifts: q >>> 64 - s) and t.
        long q1 = 0;
        long q2 = 0;
        long q3 = 0;
        long q4 = 0;
        long q5 = 0;
        long q6 = 0;
        long before = 0;
        long[] scratch = new long[4];
        int n = 0;
        int i = from;
        boolean last = false;
        while (!last) {
            long b;
            if (i + 64 <= to) {
                b = ByteClasses.base64Bits(d, i, scratch);
            } else {
                b = tailBits(d, i, to);
                last = true; // a block of fewer than 64 bytes, maybe none: it ends a run still open at `to`
            }
            long t = b;
            long u;
            // With s = 0 a step keeps t: t & (t | q) (q >>> -0 is q).
            u = t & (t << s1 | q1 >>> -s1);
            q1 = t;
            t = u;
            u = t & (t << s2 | q2 >>> -s2);
            q2 = t;
            t = u;
            u = t & (t << s3 | q3 >>> -s3);
            q3 = t;
            t = u;
            u = t & (t << s4 | q4 >>> -s4);
            q4 = t;
            t = u;
            if (deep) {
                u = t & (t << s5 | q5 >>> -s5);
                q5 = t;
                t = u;
                u = t & (t << s6 | q6 >>> -s6);
                q6 = t;
                t = u;
            }
            long shifted = t << 1 | before >>> 63;
            long ends = ~b & shifted | t & ~shifted;
            before = t;
            if (n + 16 > out.length) {
                out = Arrays.copyOf(out, 2 * out.length);
            }
            // Even places take starts, odd ones ends: the block's first mark is of the kind n's parity says.
            int here = (n & 1) == 0 ? i - (min - 1) : i;
            int next = (n & 1) == 0 ? i : i - (min - 1);
            int c = Long.bitCount(ends);
            // Four stores whether or not there are marks (JSON: about 2 runs a block, 4 marks): a loop over the
            // marks mispredicted its exit about once a block.
            out[n] = here + Long.numberOfTrailingZeros(ends);
            ends &= ends - 1;
            out[n + 1] = next + Long.numberOfTrailingZeros(ends);
            ends &= ends - 1;
            out[n + 2] = here + Long.numberOfTrailingZeros(ends);
            ends &= ends - 1;
            out[n + 3] = next + Long.numberOfTrailingZeros(ends);
            ends &= ends - 1;
            if (c > 4) {
                for (int k = n + 4; ends != 0; k += 2) {
                    out[k] = here + Long.numberOfTrailingZeros(ends);
                    ends &= ends - 1;
                    out[k + 1] = next + Long.numberOfTrailingZeros(ends);
                    ends &= ends - 1;
                }
            }
            n += c;
            i += 64;
        }
        return Arrays.copyOf(out, n);
    }

    /** Bit k set where byte i + k is a base64 character, for the bytes from i to {@code to} (fewer than 64). */
    private static long tailBits(byte[] d, int i, int to) {
        long b = 0;
        for (int k = 0; i + 8 * k < to; k++) {
            int at = i + 8 * k;
            long w = at + 8 <= d.length ? (long) LONG.get(d, at) : Bytes.word(d, at);
            // The high bits of the word's bytes, gathered into its lowest byte by one multiply.
            b |= (base64Mask(w) >>> 7) * GATHER >>> 56 << 8 * k;
        }
        return b & ~(-1L << (to - i));
    }

    /**
     * The high bit of every byte of {@code w} that is a base64 character in either alphabet ([A-Za-z0-9+/-_]), and no
     * other bit. Per byte, with its high bit cleared (a byte of 0x80 or more is no character, see the last mask):
     * x + (0x80 - lo) sets the high bit when x >= lo, x + (0x7f - hi) when x > hi, and neither carries into the next
     * byte. '+' to '9' is one range less ',' and '.' (the bytes that are 0x2e once 0x02 is set); x | 0x20 is in
     * 'a'..'z' exactly for the letters of either case.
     */
    static long base64Mask(long w) {
        long x = w & LOWS;
        long commaDot = ((x | ONES * 0x02) ^ ONES * 0x2e) + LOWS; // high bit clear at ',' and '.'
        long plusToNine = (x + ONES * (0x80 - '+')) & ~(x + ONES * (0x7f - '9')) & commaDot;
        long l = x | ONES * 0x20;
        long letter = (l + ONES * (0x80 - 'a')) & ~(l + ONES * (0x7f - 'z'));
        long underscore = ~((x ^ ONES * '_') + LOWS);
        return (plusToNine | letter | underscore) & ~w & HIGHS;
    }

    /**
     * The high bit of every byte of {@code w} that is an ASCII digit, and no other bit, for bytes below 0x80 (a run's):
     * x + (0x80 - '0') sets the high bit when x >= '0', x + (0x7f - '9') when x > '9', and neither carries into the
     * next byte.
     */
    static long digitMask(long w) {
        return (w + ONES * (0x80 - '0')) & ~(w + ONES * (0x7f - '9')) & HIGHS;
    }
}
