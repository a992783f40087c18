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
 * and a run of more than 6 bytes is seen from the edges of the words it touches alone.
 */
final class Runs {
    static final boolean[] BASE64 = new boolean[256];
    static final boolean[] HEX = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            BASE64[b] = Base64Alphabet.isBase64((byte) b);
            HEX[b] = UrlDecoder.hex((byte) b) >= 0;
        }
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7f7f7f7f7f7f7f7fL;
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
        if (cls == BASE64 && min > 6 && ascii(d, from, Math.min(to, from + PEEK))) {
            words(d, from, to, min, sink);
        } else {
            sampled(d, from, to, cls, min, sink);
        }
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
}
