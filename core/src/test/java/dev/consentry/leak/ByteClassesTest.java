package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vector searches against byte-by-byte specs and against the SWAR loops they stand in for: every length 0..70
 * (no block, one, two, with every remainder), every start, bytes of all 256 values and the wanted ones dense or rare.
 */
class ByteClassesTest {
    private static final byte[] ESCAPES = {'%', '+', '\\'};

    /** Surefire passes --add-modules jdk.incubator.vector (see pom.xml); without it the tests below test nothing. */
    @Test
    void theBuildRunsTheVectorPath() {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(ByteClasses.VECTOR).as("256-bit vectors (AVX2) on this machine").isTrue();
    }

    @Test
    void skipsExactlyTheBlocksWithoutAnEscapeAndSkipCleanAnswersAsByWords() {
        Random r = new Random(11);
        for (int len = 0; len <= 70; len++) {
            for (int round = 0; round < 60; round++) {
                byte[] d = data(r, len, ESCAPES);
                for (int from = 0; from <= len; from++) {
                    int i = ByteClasses.skipWithout(d, from, (byte) '%', (byte) '+', (byte) '\\');
                    String at = Arrays.toString(d) + " from " + from;
                    assertThat(i - from).as(at).isGreaterThanOrEqualTo(0).matches(n -> n % ByteClasses.BLOCK == 0);
                    assertThat(firstEscape(d, from, i)).as(at).isEqualTo(-1);
                    if (i + ByteClasses.BLOCK <= len) {
                        assertThat(firstEscape(d, i, i + ByteClasses.BLOCK)).as(at).isNotEqualTo(-1);
                    }
                    int clean = cleanBy16(d, from);
                    assertThat(Bytes.skipCleanWords(d, from)).as(at).isEqualTo(clean);
                    assertThat(Bytes.skipCleanWords(d, i)).as(at).isEqualTo(clean);
                    assertThat(Bytes.skipClean(d, from)).as(at).isEqualTo(clean);
                }
            }
        }
    }

    @Test
    void findsExactlyTheWantedBytesOfTheFirstBlockThatHasOne() {
        Random r = new Random(13);
        long[] hits = new long[ByteClasses.BLOCK / 8];
        for (int set = 0; set < 400; set++) {
            byte[] others = new byte[7];
            int n = 1 + r.nextInt(7);
            for (int k = 0; k < 7; k++) {
                others[k] = k < n ? (byte) r.nextInt(256) : others[r.nextInt(n)]; // unused ones repeat
            }
            byte first = (byte) r.nextInt(256);
            byte second = (byte) r.nextInt(256);
            int reach = r.nextInt(8);
            boolean everyHigh = r.nextInt(4) == 0;
            byte high = r.nextBoolean() ? (byte) (0x80 + r.nextInt(128)) : others[0];
            ByteClasses.AnyOf any = new ByteClasses.AnyOf(first, reach, second, others, high, everyHigh);
            // The wanted values, their neighbours (a borrow or carry across bytes would show) and anything.
            byte[] near = new byte[2 * 10];
            byte[] wanted = {first, second, high, others[0], others[1], others[2], others[3], others[4], others[5],
                others[6]};
            for (int k = 0; k < wanted.length; k++) {
                near[2 * k] = wanted[k];
                near[2 * k + 1] = (byte) (wanted[k] ^ 1 << r.nextInt(8));
            }
            int len = set < 71 ? set : r.nextInt(300);
            byte[] d = data(r, len, near);
            for (int from = 0; from <= len; from++) {
                int to = from + r.nextInt(len - from + 1);
                Arrays.fill(hits, 0x5555L);
                int i = any.next(d, from, to, hits);
                String at = Arrays.toString(d) + " [" + from + ", " + to + ") reach " + reach;
                assertThat(i - from).as(at).isGreaterThanOrEqualTo(0).matches(x -> x % ByteClasses.BLOCK == 0);
                for (int j = from; j < i; j++) {
                    assertThat(any.wants(d, j)).as(at + " at " + j).isFalse();
                }
                if (i + ByteClasses.BLOCK + reach <= to) {
                    long[] want = new long[hits.length];
                    for (int j = 0; j < ByteClasses.BLOCK; j++) {
                        if (any.wants(d, i + j)) {
                            want[j / 8] |= 0x80L << 8 * (j % 8);
                        }
                    }
                    assertThat(hits).as(at).isEqualTo(want);
                    assertThat(want).as(at).isNotEqualTo(new long[hits.length]);
                } else {
                    // The first block that does not fit: the one before it did.
                    assertThat(i == from || i + reach <= to).as(at).isTrue();
                }
            }
        }
    }

    /**
     * The common case, searched with three compares besides the first value's (the other values and the high one
     * without repeats): the bench's four anchor values as MultiMatcher passes them, the unused places repeating a
     * value, over JSON-like text holding all of them; every block's hits exactly the bytes the spec wants.
     */
    @Test
    void fourValuesAsTheMatcherPassesThemFindEveryWantedByte() {
        ByteClasses.AnyOf any = new ByteClasses.AnyOf((byte) ':', 3, (byte) ':',
                new byte[]{' ', '(', '@', ' ', ' ', ' ', ' '}, (byte) ' ', false);
        Random r = new Random(21);
        byte[] pick = "\":,{}a1b2c3d4e5f6 (@:".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] d = new byte[20_000];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(8) == 0 ? pick[r.nextInt(pick.length)] : (byte) ('a' + r.nextInt(26));
        }
        long[] hits = new long[ByteClasses.BLOCK / 8];
        int blocks = 0;
        for (int i = 0; (i = any.next(d, i, d.length, hits)) + ByteClasses.BLOCK + 3 <= d.length;
             i += ByteClasses.BLOCK) {
            long[] want = new long[hits.length];
            for (int j = 0; j < ByteClasses.BLOCK; j++) {
                if (any.wants(d, i + j)) {
                    want[j / 8] |= 0x80L << 8 * (j % 8);
                }
            }
            assertThat(hits).as("block at " + i).isEqualTo(want);
            blocks++;
        }
        assertThat(blocks).isGreaterThan(100);
    }

    @Test
    void theSpecOfAWantedByteIsWhatItSays() {
        ByteClasses.AnyOf any = new ByteClasses.AnyOf((byte) ':', 3, (byte) ':',
                new byte[]{' ', '(', '@', ' ', ' ', ' ', ' '}, (byte) ' ', false);
        byte[] d = "ab:cd:ef (x@y) :x".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        StringBuilder s = new StringBuilder();
        for (int j = 0; j + 3 < d.length; j++) {
            s.append(any.wants(d, j) ? '^' : '.');
        }
        assertThat(s).hasToString("..^.....^^.^..");
        assertThat(new ByteClasses.AnyOf((byte) 1, 0, (byte) 1, new byte[7], (byte) 0, true).wants(new byte[]{-1}, 0))
                .isTrue();
    }

    /** Bytes of any value, with values from {@code pick} often, rarely or (in a third of the arrays) not at all. */
    private static byte[] data(Random r, int len, byte[] pick) {
        byte[] d = new byte[len];
        int every = new int[]{0, 3, 40}[r.nextInt(3)];
        for (int i = 0; i < len; i++) {
            if (every > 0 && r.nextInt(every) == 0) {
                d[i] = pick[r.nextInt(pick.length)];
            } else {
                byte b;
                do {
                    b = (byte) r.nextInt(256);
                } while (every == 0 && indexOf(pick, b) >= 0);
                d[i] = b;
            }
        }
        return d;
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int firstEscape(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            if (indexOf(ESCAPES, d[i]) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes.skipClean's contract, byte by byte. */
    private static int cleanBy16(byte[] d, int from) {
        int i = from;
        while (i + 16 <= d.length && firstEscape(d, i, i + 16) < 0) {
            i += 16;
        }
        return i;
    }
}
