package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Run finding, which samples every min-th byte and walks a word at a time, against a byte by byte walk. */
class RunsTest {
    private static final String BASE64_IN = "aZ09+/-_AzmnMN";
    /** Near misses of both classes (',', '.', '=', '`', '{', '@', '[', ':', 'g', 'G') and bytes of 0x80 and more. */
    private static final String BASE64_OUT = ",.=\"@ `{[:*\u00e9\u0080\u00ff\u00ab\u00af\u00ad";
    private static final String HEX_IN = "09afAF5c";
    private static final String HEX_OUT = "gG/:@`+-_zZ.\u00c1\u00e6\u00b0\u00ff";

    @Test
    void masksAgreeWithTheTablesForEveryByteAtEveryPlaceOfAWord() {
        Random r = new Random(1);
        for (int b = 0; b < 256; b++) {
            for (int k = 0; k < 8; k++) {
                for (int t = 0; t < 20; t++) {
                    long w = r.nextLong() & ~(0xffL << 8 * k) | (long) b << 8 * k;
                    long bit = 0x80L << 8 * k;
                    assertThat((Runs.base64Mask(w) & bit) != 0).as("base64 %02x at %d in %016x", b, k, w)
                            .isEqualTo(Runs.BASE64[b]);
                }
            }
        }
    }

    /**
     * Tens of thousands of inputs: segments of either class with lengths around multiples of 8 and around min,
     * runs at the very start and end of the array, [from, to) not the whole array, ASCII text and bytes of 0x80 or
     * more (from the start, or only past the first 64 bytes, which is all that {@link Runs#each} looks at to choose);
     * every run must match the byte walk's, start and end, by either way of finding them.
     */
    @Test
    void findsTheSameRunsAsAByteByByteWalk() {
        int[] mins = {1, 2, 3, 6, 7, 8, 9, 10, 12, 15, 16, 17, 24, 33};
        for (long seed = 0; seed < 15_000; seed++) {
            Random r = new Random(seed);
            boolean hex = seed % 4 == 3;
            boolean[] cls = hex ? Runs.HEX : Runs.BASE64;
            byte[] d = input(r, hex ? HEX_IN : BASE64_IN, hex ? HEX_OUT : BASE64_OUT, (int) (seed % 3));
            int from = d.length == 0 || r.nextBoolean() ? 0 : r.nextInt(Math.min(20, d.length) + 1);
            int to = r.nextBoolean() ? d.length : Math.max(from, d.length - r.nextInt(20));
            int min = mins[r.nextInt(mins.length)];
            List<Integer> expected = reference(d, from, to, cls, min);
            String what = String.format("seed %d min %d in %s [%d, %d)", seed, min,
                    new String(d, StandardCharsets.ISO_8859_1), from, to);
            assertThat(runs(sink -> Runs.each(d, from, to, cls, min, sink))).as(what).isEqualTo(expected);
            assertThat(runs(sink -> Runs.sampled(d, from, to, cls, min, sink))).as(what).isEqualTo(expected);
            if (!hex && min > 6) {
                assertThat(runs(sink -> Runs.words(d, from, to, min, sink))).as(what).isEqualTo(expected);
            }
            if (!hex) {
                assertThat(runs(sink -> {
                    int[] found = Runs.base64(d, from, to, min);
                    for (int k = 0; k < found.length; k += 2) {
                        sink.run(found[k], found[k + 1]);
                    }
                })).as(what).isEqualTo(expected);
            }
        }
    }

    /**
     * {@link Runs#base64} starts its array at about what JSON needs and grows it: text made of nothing but the
     * shortest runs (min characters and one byte after each), and of runs of every length near min, must still give
     * every run, up to the worst case the array is bounded by.
     */
    @Test
    void theRunArrayGrowsToTheWorstCase() {
        for (int min : new int[]{7, 10, 16}) {
            for (int len : new int[]{0, 1, min, min + 1, 1_000, 40_001}) {
                StringBuilder s = new StringBuilder();
                Random r = new Random(len + min);
                while (s.length() < len) {
                    s.append("aZ09+/-_AzmnMNxyzw".repeat(3), 0, min + (len > 1_000 ? r.nextInt(3) : 0)).append(',');
                }
                byte[] d = s.substring(0, len).getBytes(StandardCharsets.US_ASCII);
                List<Integer> expected = reference(d, 0, d.length, Runs.BASE64, min);
                int[] found = Runs.base64(d, 0, d.length, min);
                List<Integer> got = new ArrayList<>();
                for (int v : found) {
                    got.add(v);
                }
                assertThat(got).as("min %d length %d", min, len).isEqualTo(expected);
                assertThat(found.length).isEqualTo(expected.size());
            }
        }
    }

    /**
     * The 64-bytes-a-step way (vector classes, bit masks) and the eight-at-a-time one against the byte walk: every
     * min from 7 to 70 (past {@link Runs#MAX_BLOCK_MIN} the vector way leaves it to the other), texts up to 700
     * bytes of runs near min and near the 64-byte blocks, every base64 character of both alphabets, near misses and
     * bytes of 0x80 or more, [from, to) cut anywhere (a partial or empty last block, to short of the array's end).
     */
    @Test
    void byBlocksAndByWordsFindWhatTheByteWalkFinds() {
        for (long seed = 0; seed < 12_000; seed++) {
            Random r = new Random(seed);
            int min = 7 + (int) (seed % 64);
            byte[] d = blockInput(r, min);
            int from = r.nextInt(3) == 0 ? 0 : r.nextInt(Math.min(70, d.length) + 1);
            int to = r.nextInt(3) == 0 ? d.length : from + r.nextInt(d.length - from + 1);
            List<Integer> expected = reference(d, from, to, Runs.BASE64, min);
            for (boolean vector : new boolean[]{true, false}) {
                int[] found = Runs.words(d, from, to, min, vector);
                assertThat(Arrays.stream(found).boxed().toList())
                        .as("seed %d min %d vector %s [%d, %d) of %d", seed, min, vector, from, to, d.length)
                        .isEqualTo(expected);
            }
        }
    }

    /**
     * One run of every length near min, 64 and 128 at every offset of the first blocks, between non-base64 bytes or
     * reaching [from, to)'s edges: it crosses no block edge, one, or two, starts or ends on one.
     */
    @Test
    void oneRunAtEveryPlaceAcrossBlockEdges() {
        for (int min : new int[]{7, 8, 10, 16, 17, 31, 32, 33, 40, 63, 64}) {
            for (int len : new int[]{min - 1, min, min + 1, 63, 64, 65, 127, 128, 129, 200}) {
                for (int at = 0; at < 140; at++) {
                    for (int from : new int[]{0, 3}) {
                        byte[] d = new byte[from + 340];
                        Arrays.fill(d, (byte) (at % 3 == 0 ? '.' : at % 3 == 1 ? 0x80 : '='));
                        for (int k = 0; k < len; k++) {
                            d[from + at + k] = (byte) BASE64_IN.charAt((at + k) % BASE64_IN.length());
                        }
                        for (int to : new int[]{d.length, from + at + len, from + at + len - 1, from + 64, from + 128}) {
                            List<Integer> expected = reference(d, from, to, Runs.BASE64, min);
                            for (boolean vector : new boolean[]{true, false}) {
                                assertThat(Arrays.stream(Runs.words(d, from, to, min, vector)).boxed().toList())
                                        .as("run of %d at %d, min %d, [%d, %d), vector %s", len, at, min, from, to,
                                                vector)
                                        .isEqualTo(expected);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Every byte value at every place of a 64-byte block gets its bit from the vector classes as from the table. */
    @Test
    void vectorBitsAgreeWithTheTableForEveryByteAtEveryPlace() {
        Random r = new Random(5);
        long[] scratch = new long[4];
        for (int b = 0; b < 256; b++) {
            for (int k = 0; k < 64; k++) {
                byte[] d = new byte[70];
                r.nextBytes(d);
                d[3 + k] = (byte) b;
                long bits = ByteClasses.base64Bits(d, 3, scratch);
                for (int j = 0; j < 64; j++) {
                    assertThat((bits >>> j & 1) != 0).as("byte %02x at %d, place %d", d[3 + j], k, j)
                            .isEqualTo(Runs.BASE64[d[3 + j] & 0xff]);
                }
            }
        }
    }

    /**
     * Runs near min and near multiples of 8 and 64 long, of all base64 characters, between separators of one to a
     * few bytes (some of 0x80 or more), now and then long stretches of short runs only.
     */
    private static byte[] blockInput(Random r, int min) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(5) == 0 ? 64 + r.nextInt(64) : r.nextInt(700);
        String out = ",.=\"@ `{[:*\u00e9\u0080\u00ff\n";
        while (s.length() < n) {
            int len = switch (r.nextInt(5)) {
                case 0 -> 1 + r.nextInt(min);
                case 1 -> Math.max(1, 64 * (1 + r.nextInt(2)) + r.nextInt(5) - 2);
                case 2 -> Math.max(1, min + r.nextInt(5) - 2);
                case 3 -> Math.max(1, 8 * (1 + r.nextInt(8)) + r.nextInt(3) - 1);
                default -> 1 + r.nextInt(150);
            };
            for (int i = 0; i < len; i++) {
                s.append(BASE64_IN.charAt(r.nextInt(BASE64_IN.length())));
            }
            for (int i = r.nextInt(4) == 0 ? 1 + r.nextInt(5) : 1; i > 0; i--) {
                s.append(out.charAt(r.nextInt(out.length())));
            }
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The runs Runs.each reports in {@code text} (one byte per character), as text. */
    private static List<String> texts(String text, boolean[] cls, int min) {
        byte[] d = text.getBytes(StandardCharsets.ISO_8859_1);
        List<String> runs = new ArrayList<>();
        Runs.each(d, 0, d.length, cls, min, (a, b) -> runs.add(new String(d, a, b - a, StandardCharsets.ISO_8859_1)));
        return runs;
    }

    private static List<Integer> runs(java.util.function.Consumer<Runs.Sink> finder) {
        List<Integer> found = new ArrayList<>();
        finder.accept((a, b) -> {
            found.add(a);
            found.add(b);
        });
        return found;
    }

    @Test
    void runsExactlyMinLongAtBothEndsAndAcrossWords() {
        assertThat(texts("abcdefghij.klmnopqrstuvwxyz0123\u00e9ABCDEFGHIJ", Runs.BASE64, 10))
                .containsExactly("abcdefghij", "klmnopqrstuvwxyz0123", "ABCDEFGHIJ");
    }

    /** Runs of 6 and 7 inside one word at every place; words() sees a run by the edges of words, sampling does not. */
    @Test
    void shortRunsInsideOneWordAtEveryOffset() {
        for (int len = 5; len <= 8; len++) {
            for (int at = 1; at < 12; at++) {
                byte[] d = new byte[24];
                java.util.Arrays.fill(d, (byte) '.');
                java.util.Arrays.fill(d, at, at + len, (byte) 'x');
                for (int min = 5; min <= 8; min++) {
                    List<Integer> expected = len >= min ? List.of(at, at + len) : List.of();
                    int m = min;
                    assertThat(runs(sink -> Runs.each(d, 0, d.length, Runs.BASE64, m, sink)))
                            .as("run of %d at %d, min %d", len, at, min).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void hexRunsEndAtTheFirstLetterPastF() {
        assertThat(texts("x0123456789abcdefABCDEFg0123456789ab/", Runs.HEX, 12))
                .containsExactly("0123456789abcdefABCDEF", "0123456789ab");
    }

    /**
     * Segments in and out of the class, their lengths often near a multiple of 8 or a typical min.
     *
     * @param high 0: ASCII only; 1: bytes of 0x80 or more anywhere; 2: only from the 65th byte on
     */
    private static byte[] input(Random r, String in, String out, int high) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(4) == 0 ? r.nextInt(24) : r.nextInt(400);
        boolean inClass = r.nextBoolean();
        while (s.length() < n) {
            String from = inClass ? in : out;
            int len = switch (r.nextInt(4)) {
                case 0 -> 1 + r.nextInt(4);
                case 1 -> Math.max(1, 8 * (1 + r.nextInt(4)) + r.nextInt(3) - 1);
                case 2 -> Math.max(1, new int[]{6, 7, 8, 10, 12, 16, 17}[r.nextInt(7)] + r.nextInt(3) - 1);
                default -> 1 + r.nextInt(60);
            };
            for (int i = 0; i < len; i++) {
                char c = from.charAt(r.nextInt(from.length()));
                while (c >= 0x80 && (high == 0 || high == 2 && s.length() < 64)) {
                    c = from.charAt(r.nextInt(from.length()));
                }
                s.append(c);
            }
            inClass = r.nextInt(5) == 0 ? inClass : !inClass; // now and then two segments of one class in a row
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Integer> reference(byte[] d, int from, int to, boolean[] cls, int min) {
        List<Integer> expected = new ArrayList<>();
        int i = from;
        while (i < to) {
            if (!cls[d[i] & 0xff]) {
                i++;
                continue;
            }
            int e = i;
            while (e < to && cls[d[e] & 0xff]) {
                e++;
            }
            if (e - i >= min) {
                expected.add(i);
                expected.add(e);
            }
            i = e;
        }
        return expected;
    }
}
