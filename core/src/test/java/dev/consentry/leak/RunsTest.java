package dev.consentry.leak;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Run finding, which reads only every min-th byte, against a byte by byte walk. */
class RunsTest {
    @RepeatedTest(30)
    void findsTheSameRunsAsAByteByByteWalk() {
        Random r = new Random(System.nanoTime());
        // Runs of every length around 8 and 16, at both ends, with non-ASCII and near-miss bytes (',', '.', '=').
        String inClass = "aZ09+/-_";
        String outClass = ",.=\"@ \u00e9\u0080\u00ff";
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(300);
        while (s.length() < n) {
            String from = r.nextInt(3) == 0 ? outClass : inClass;
            int len = 1 + r.nextInt(r.nextBoolean() ? 4 : 20);
            for (int i = 0; i < len; i++) {
                s.append(from.charAt(r.nextInt(from.length())));
            }
        }
        byte[] d = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        int from = d.length == 0 ? 0 : r.nextInt(Math.min(10, d.length) + 1);
        int to = Math.max(from, d.length - r.nextInt(10));
        for (int min : new int[]{1, 2, 7, 8, 9, 10, 16, 17}) {
            List<Integer> expected = new ArrayList<>();
            int i = from;
            while (i < to) {
                if (!Runs.BASE64[d[i] & 0xff]) {
                    i++;
                    continue;
                }
                int e = i;
                while (e < to && Runs.BASE64[d[e] & 0xff]) {
                    e++;
                }
                if (e - i >= min) {
                    expected.add(i);
                    expected.add(e);
                }
                i = e;
            }
            List<Integer> found = new ArrayList<>();
            Runs.each(d, from, to, Runs.BASE64, min, (a, b) -> {
                found.add(a);
                found.add(b);
            });
            assertThat(found).as("min %d in %s [%d, %d)", min, s, from, to).isEqualTo(expected);
        }
    }

    @Test
    void runsExactlyMinLongAtBothEndsAndAcrossWords() {
        byte[] d = "abcdefghij.klmnopqrstuvwxyz0123\u00e9ABCDEFGHIJ".getBytes(StandardCharsets.ISO_8859_1);
        List<String> runs = new ArrayList<>();
        Runs.each(d, 0, d.length, Runs.BASE64, 10, (a, b) -> runs.add(new String(d, a, b - a,
                StandardCharsets.ISO_8859_1)));
        assertThat(runs).containsExactly("abcdefghij", "klmnopqrstuvwxyz0123", "ABCDEFGHIJ");
    }
}
