package dev.consentry.leak;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampling matcher against the obvious search: same matches, each once, whatever the lengths and alphabets. */
class MultiMatcherTest {
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
    private static final String OTHER = " @.:\"{}=&%\n\u0001";

    @RepeatedTest(20)
    void findsExactlyWhatIndexOfFinds() {
        Random r = new Random(System.nanoTime());
        // Patterns with bytes outside base64 are found from one anchor byte each: a few anchor values (the eight at a
        // time search), many (the byte by byte one), non-ASCII ones, anchors repeated within a pattern.
        String alphabet = switch (r.nextInt(5)) {
            case 0 -> "0123456789";
            case 1 -> "ab1";
            case 2 -> "ab1 @";
            case 3 -> "a1  :\u00e9";
            default -> "ab1 @.:()[]<>!\u00e9\u00ff\u0080";
        };
        List<byte[]> patterns = new ArrayList<>();
        int count = 1 + r.nextInt(200);
        for (int i = 0; i < count; i++) {
            patterns.add(random(r, alphabet, 6 + r.nextInt(40)).getBytes(StandardCharsets.ISO_8859_1));
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < 20_000) {
            if (r.nextInt(10) == 0) {
                text.append(new String(patterns.get(r.nextInt(patterns.size())), StandardCharsets.ISO_8859_1));
            } else {
                text.append(random(r, alphabet + OTHER + BASE64.substring(0, r.nextInt(BASE64.length())),
                        1 + r.nextInt(30)));
            }
        }
        byte[] data = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        int from = r.nextInt(50);
        int to = data.length - r.nextInt(50);

        Set<String> expected = naive(patterns, data, from, to);
        assertThat(expected).isNotEmpty();
        // The anchor search 32 bytes a step (ByteClasses) and eight.
        for (boolean vector : new boolean[]{true, false}) {
            List<String> found = new ArrayList<>();
            new MultiMatcher(patterns, vector).scan(data, from, to, (id, start) -> found.add(id + "@" + start));
            assertThat(found).as("vector " + vector).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(found)).as("vector " + vector).isEqualTo(expected);
        }
    }

    @RepeatedTest(10)
    void runsOfDigitsHexOrLowerCaseAreSearchedForEveryPatternTheyCanHold() {
        // Mostly base64 patterns with upper case letters (as hash prefixes are), a minority of digits, hex in either
        // case (the same hex upper and lower, as hash prefixes come) and lower case ones, in every length group; the
        // text's runs are of one class or mixed, and hold the patterns whole, cut or with a letter's case flipped.
        Random r = new Random(System.nanoTime());
        String[] alphabets = {"0123456789", "0123456789abcdef", "0123456789ABCDEF", "abcdefghijklmnopqrstuvwxyz0123456789-_",
                BASE64};
        List<byte[]> patterns = new ArrayList<>();
        int count = 50 + r.nextInt(400);
        for (int i = 0; i < count; i++) {
            String alphabet = r.nextInt(5) > 0 ? BASE64 : alphabets[r.nextInt(alphabets.length)];
            String p = random(r, alphabet, 8 + r.nextInt(36));
            patterns.add(bytes(p));
            if (alphabet.equals(alphabets[1]) && r.nextBoolean()) {
                patterns.add(bytes(p.toUpperCase(java.util.Locale.ROOT)));
            }
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < 30_000) {
            String run = random(r, alphabets[r.nextInt(alphabets.length)], 1 + r.nextInt(60));
            if (r.nextInt(4) == 0) {
                String p = new String(patterns.get(r.nextInt(patterns.size())), StandardCharsets.UTF_8);
                int cut = r.nextInt(3) == 0 ? r.nextInt(p.length()) : p.length();
                p = p.substring(0, cut);
                if (r.nextInt(4) == 0) {
                    p = r.nextBoolean() ? p.toUpperCase(java.util.Locale.ROOT) : p.toLowerCase(java.util.Locale.ROOT);
                }
                run = r.nextBoolean() ? p : run + p + random(r, alphabets[r.nextInt(alphabets.length)], r.nextInt(5));
            }
            text.append(run).append(r.nextBoolean() ? "\"," : ".");
        }
        byte[] data = bytes(text.toString());
        Set<String> expected = naive(patterns, data, 0, data.length);
        List<String> found = new ArrayList<>();
        new MultiMatcher(patterns).scan(data, (id, start) -> found.add(id + "@" + start));

        assertThat(found).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(found)).isEqualTo(expected);
        assertThat(expected).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {BASE64, "0123456789abcdef"})
    void aRunFindsItsPatternsAtItsStartAtItsEndAndWhenItIsExactlyOne(String others) {
        // A run reads only the words that stand for the starts a pattern can have, the last of them moved back to
        // the last such start: patterns of each class (digits, hex, lower case, base64 with capitals) at the
        // shortest length of their group and a few longer ones, each alone in a run (a run of exactly the shortest
        // pattern), at a run's start and at its end with 1 to 20 characters of its class beside it (every place of a
        // stride), and in the middle. Other patterns, base64 with capitals, give the classes filters of their own;
        // hex ones make the hex class most of each group, filed at fewer offsets to keep its filter small.
        Random r = new Random(7);
        String[] classes = {"0123456789", "0123456789abcdef", "abcdefghijklmnopqrstuvwxyz0123456789-_", BASE64};
        int[] lengths = {10, 11, 12, 13, 15, 16, 17, 19, 20, 23, 31, 32, 33, 40};
        List<byte[]> patterns = new ArrayList<>();
        for (String alphabet : classes) {
            for (int n : lengths) {
                patterns.add(bytes(random(r, alphabet, n)));
            }
        }
        int placed = patterns.size();
        for (int i = 0; i < 600; i++) {
            patterns.add(bytes(random(r, others, 10 + r.nextInt(31))));
        }
        MultiMatcher m = new MultiMatcher(patterns);
        StringBuilder text = new StringBuilder("\"");
        List<String> wanted = new ArrayList<>();
        for (int id = 0; id < placed; id++) {
            String p = new String(patterns.get(id), StandardCharsets.UTF_8);
            String alphabet = classes[id / lengths.length];
            for (int k = 0; k <= 20; k++) {
                String side = random(r, alphabet, k);
                String side2 = random(r, alphabet, k / 2);
                for (String run : new String[]{p + side, side + p, side2 + p + side}) {
                    int start = text.length() + run.indexOf(p);
                    text.append(run).append("\",\"");
                    wanted.add(id + "@" + start);
                }
            }
        }
        byte[] data = bytes(text.toString());
        List<String> found = new ArrayList<>();
        m.scan(data, (id, start) -> found.add(id + "@" + start));

        assertThat(found).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(found)).isEqualTo(naive(patterns, data, 0, data.length)).containsAll(wanted);
    }

    @Test
    void patternsWithOtherBytesAreFoundOnceEachWhereverTheirAnchorsFall() {
        // Spaces at several places of each pattern (one word reachable from two of them), a pattern whose only
        // byte outside base64 is non-ASCII, matches at both ends of the data and across 8-byte words.
        List<byte[]> patterns = List.of(latin1("12 345 678 9"), latin1("a b c d e f"), latin1("abcd\u00e9fghijk"),
                latin1("x y"), latin1("98 76543210"));
        byte[] data = latin1("a b c d e f  12 345 678 9 1 2 3 abcd\u00e9fghijk\u00e9 x y x y 998 76543210 a b c d e f");
        Set<String> expected = naive(patterns, data, 0, data.length);
        MultiMatcher m = new MultiMatcher(patterns);
        for (int cut = 0; cut < 3; cut++) {
            List<String> found = new ArrayList<>();
            m.scan(data, cut, data.length - cut, (id, start) -> found.add(id + "@" + start));
            assertThat(found).doesNotHaveDuplicates();
            Set<String> inside = new TreeSet<>();
            for (String e : expected) {
                int id = Integer.parseInt(e.substring(0, e.indexOf('@')));
                int s = Integer.parseInt(e.substring(e.indexOf('@') + 1));
                if (s >= cut && s + patterns.get(id).length <= data.length - cut) {
                    inside.add(e);
                }
            }
            assertThat(new TreeSet<>(found)).isEqualTo(inside);
        }
        assertThat(expected).contains("0@13", "1@0", "1@" + (data.length - 11), "2@32", "3@45", "3@49", "4@54");
    }

    @Test
    void anchoredPatternsAreFoundWhateverSurroundsThemAndWhereverTheyStart() {
        // The forms canaries take (MACs upper and lower case, phones spaced or in parentheses, e-mails, UTF-8 names),
        // anchors first and last in their pattern and at every distance from the word they are filed under, each at
        // the start and the end of the data and of the scanned range, next to bytes no pattern has beside its anchor
        // (JSON's '"' and ':', anchor bytes, letters) and next to ones they do. The sets of patterns take each way of
        // searching for anchor bytes: four values, the MACs' ':' with a second ':' three bytes on; a ':' pattern
        // without it; the Latin names' 0xC3 as a fifth value; eight values below 0x80 and 0xC3 searched apart; 0xC3
        // and the Chinese name's byte searched as every byte 0x80 and above; nine values, a byte at a time.
        List<String> forms = new ArrayList<>(List.of("B5:4B:69:C8:05:E5", "b5:4b:69:c8:05:e5", "B5-4B-69-C8-05-E5",
                "+91 98765 00001", "+91-98765 00001", "98765 00001", "+919876500001", "(757) 728-2109",
                "+1 (757) 728-2109", "c5xethdhrhqo7@example.org", "Canary Name 784871", "@a1b2c3d4e", "a1b2c3d4e5f6(",
                "+91 9876 5"));
        for (int b = 0; b < 8; b++) {
            char[] p = "0123456789abc".toCharArray();
            p[p.length - 8 + b] = '@'; // filed under the word of the last 8 bytes, b bytes before its anchor
            forms.add(new String(p));
        }
        List<String> latin = List.of("Jos\u00e9 M\u00fcller", "\u00c5ngstr\u00f6m Zo\u00eb");
        List<String> eight = new ArrayList<>(latin);
        eight.addAll(List.of("a!b1c2d3e4", "a#b1c2d3e4", "a<b1c2d3e4", "a;b1c2d3e4"));
        List<List<String>> extras = List.of(List.of(), List.of("12:345678:9"), latin, eight,
                concat(eight, "\u674e\u5c0f\u9f99 Lee"), concat(eight, "a>b1c2d3e4"));
        String[] beside = {"", "\"k\":", "\":\"", "::", "  ", "((", "@@", "x", "F", "0", "00:", "\u00e9", ":\"", "\"}"};
        for (List<String> extra : extras) {
            List<byte[]> patterns = new ArrayList<>();
            for (String f : forms) {
                patterns.add(bytes(f));
            }
            for (String f : extra) {
                patterns.add(bytes(f));
            }
            MultiMatcher m = new MultiMatcher(patterns);
            // All of them in one text, each between two of the neighbours: long enough for the search 32 bytes a step
            // (ByteClasses), which then meets each set's way of searching (a fifth value, high bytes) too.
            Random r = new Random(extra.size());
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < 4 * patterns.size(); k++) {
                text.append(beside[r.nextInt(beside.length)])
                        .append(new String(patterns.get(r.nextInt(patterns.size())), StandardCharsets.UTF_8));
            }
            byte[] all = bytes(text.toString());
            for (boolean vector : new boolean[]{true, false}) {
                List<String> found = new ArrayList<>();
                new MultiMatcher(patterns, vector).scan(all, (i, start) -> found.add(i + "@" + start));
                assertThat(found).as("vector " + vector).doesNotHaveDuplicates();
                assertThat(new TreeSet<>(found)).as("vector " + vector).isEqualTo(naive(patterns, all, 0, all.length));
            }
            for (int id = 0; id < patterns.size(); id++) {
                for (String before : beside) {
                    for (String after : beside) {
                        byte[] pre = bytes(before);
                        byte[] data = bytes(before + new String(patterns.get(id), StandardCharsets.UTF_8) + after);
                        int end = pre.length + patterns.get(id).length;
                        String want = id + "@" + pre.length;
                        List<String> whole = new ArrayList<>();
                        m.scan(data, (i, start) -> whole.add(i + "@" + start));
                        assertThat(new TreeSet<>(whole)).as("%s in %s", want, new String(data, StandardCharsets.UTF_8))
                                .isEqualTo(naive(patterns, data, 0, data.length)).contains(want);
                        List<String> tight = new ArrayList<>();
                        m.scan(data, pre.length, end, (i, start) -> tight.add(i + "@" + start));
                        assertThat(tight).as("%s alone in %s", want, new String(data, StandardCharsets.UTF_8))
                                .contains(want);
                    }
                }
            }
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    @Test
    void probeFindsAMatchStartingThereOnly() {
        MultiMatcher m = new MultiMatcher(List.of(bytes("865123045678901"), bytes("a@example.org")));
        byte[] data = bytes("x=865123045678901&e=a@example.org");
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s < data.length; s++) {
            m.probe(data, s, (id, start) -> starts.add(start));
        }
        assertThat(starts).containsExactlyInAnyOrder(2, 20);
        List<Integer> none = new ArrayList<>();
        m.probe(data, 3, (id, start) -> none.add(start));
        m.probe(data, -4, (id, start) -> none.add(start));
        m.probe(data, data.length, (id, start) -> none.add(start));
        assertThat(none).isEmpty();
    }

    @Test
    void runsAreReportedWholeAndOnlyWhenLongEnough() {
        byte[] d = bytes("ab..abcdef.abcdefgh..x.abcdefghijk");
        List<String> runs = new ArrayList<>();
        Runs.each(d, 0, d.length, Runs.BASE64, 6, (s, e) -> runs.add(new String(d, s, e - s, StandardCharsets.UTF_8)));
        assertThat(runs).containsExactly("abcdef", "abcdefgh", "abcdefghijk");
        runs.clear();
        Runs.each(d, 5, d.length - 1, Runs.BASE64, 2, (s, e) -> runs.add(new String(d, s, e - s, StandardCharsets.UTF_8)));
        assertThat(runs).containsExactly("bcdef", "abcdefgh", "abcdefghij");
    }

    private static String random(Random r, String alphabet, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    /**
     * A class's own groups of short patterns hash 6-byte words, five starts apart, and a digit run reads the digit
     * patterns of 10-19 characters from one group (two before): digit, hex and lower case patterns of every length
     * from 10 to 20 (the group boundary at 16, the shortest window of 6 and 7 bytes), placed whole at every offset of
     * runs of their class from 10 to 40 characters, and cut by one character at either end (found only if the run
     * holds another occurrence); the other patterns, base64 with capitals, keep those classes' groups apart from the
     * band's. Everything indexOf finds, each once.
     */
    @RepeatedTest(5)
    void shortPatternsOfOneClassAreFoundInRunsOfEveryLengthFromSixByteWords() {
        Random r = new Random(System.nanoTime());
        String[] classes = {"0123456789", "0123456789abcdef", "abcdefghijklmnopqrstuvwxyz0123456789-_"};
        List<byte[]> patterns = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            patterns.add(bytes(random(r, classes[i % 3], 10 + r.nextInt(11))));
        }
        int placed = patterns.size();
        for (int i = 0; i < 900; i++) {
            patterns.add(bytes(random(r, BASE64, 10 + r.nextInt(30))));
        }
        StringBuilder text = new StringBuilder();
        for (int id = 0; id < placed; id++) {
            String p = new String(patterns.get(id), StandardCharsets.UTF_8);
            String alphabet = classes[id % 3];
            int n = Math.max(p.length(), 10 + r.nextInt(31));
            int at = r.nextInt(n - p.length() + 1);
            String run = random(r, alphabet, at) + p + random(r, alphabet, n - p.length() - at);
            if (r.nextInt(4) == 0) {
                run = r.nextBoolean() ? run.substring(at + 1) : run.substring(0, at + p.length() - 1);
            }
            text.append(run).append(r.nextBoolean() ? "\"," : ".");
        }
        byte[] data = bytes(text.toString());
        List<String> found = new ArrayList<>();
        new MultiMatcher(patterns).scan(data, (id, start) -> found.add(id + "@" + start));

        Set<String> expected = naive(patterns, data, 0, data.length);
        assertThat(found).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(found)).isEqualTo(expected);
        assertThat(expected.size()).isGreaterThan(placed / 2);
    }

    /**
     * The shape the test above relies on, with digit patterns a minority as a canary list's are: a digit run reads
     * one group, hashing 6-byte words 5 starts apart; a run with capitals still reads the band's groups, 8-byte words.
     */
    @Test
    void digitRunsReadOneGroupOfSixByteWords() {
        Random r = new Random(3);
        List<byte[]> patterns = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            patterns.add(bytes(random(r, "0123456789", 10 + i % 10)));
        }
        for (int i = 0; i < 1000; i++) {
            patterns.add(bytes(random(r, BASE64, 10 + i % 30)));
        }
        MultiMatcher m = new MultiMatcher(patterns);
        assertThat(m.groupsRead(bytes("12345678901234567890"))).containsExactly("window 6 stride 5 from 10");
        assertThat(m.groupsRead(bytes("1234567890123abcdefZ"))).isNotEmpty()
                .allSatisfy(g -> assertThat(g).startsWith("window 8"));
    }

    /**
     * Past the filter budget a group files its patterns at fewer offsets (down to one), and a run reads more words:
     * 100,000 patterns of 20-31 characters (over the budget even at one offset each) and 30,000 of 16-19 and of 32-40
     * (a shorter stride than the 8 that fits fewer), the shapes of hash prefixes. Some of each, and of the few digit
     * and lower case hex ones, are placed at every offset of runs up to 9 characters longer (a stride is at most 8),
     * alone in a run, at its start and at its end: each is found where it is, once, and nothing else is found that is
     * not there.
     */
    @Test
    void aPatternSetPastTheFilterBudgetIsStillFoundAtEveryOffset() {
        Random r = new Random(11);
        List<byte[]> patterns = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            patterns.add(bytes(random(r, BASE64, 20 + r.nextInt(12))));
        }
        for (int i = 0; i < 30_000; i++) {
            patterns.add(bytes(random(r, BASE64, 16 + r.nextInt(4))));
            patterns.add(bytes(random(r, BASE64, 32 + r.nextInt(9))));
        }
        for (int i = 0; i < 300; i++) {
            patterns.add(bytes(random(r, i % 2 == 0 ? "0123456789" : "0123456789abcdef", 10 + r.nextInt(20))));
        }
        MultiMatcher m = new MultiMatcher(patterns);
        assertThat(m.groupsRead(bytes(random(r, BASE64, 40) + "Z"))).contains("window 8 stride 1 from 20")
                .anySatisfy(g -> assertThat(g).matches("window 8 stride [2-7] from 16"));

        StringBuilder text = new StringBuilder("\"");
        List<String> wanted = new ArrayList<>();
        for (int k = 0; k < 140; k++) {
            int id = k < 100 ? r.nextInt(160_000) : 160_000 + r.nextInt(300);
            String p = new String(patterns.get(id), StandardCharsets.UTF_8);
            String alphabet = id < 160_000 ? BASE64 : id % 2 == 0 ? "0123456789" : "0123456789abcdef";
            for (int pad = 0; pad <= 9; pad++) {
                String before = random(r, alphabet, pad);
                for (String run : new String[]{before + p, p + before, before + p + random(r, alphabet, 9 - pad)}) {
                    wanted.add(id + "@" + (text.length() + run.indexOf(p)));
                    text.append(run).append("\",\"");
                }
            }
        }
        byte[] data = bytes(text.toString());
        List<String> found = new ArrayList<>();
        m.scan(data, (id, start) -> found.add(id + "@" + start));

        // Every pattern at every position, by looking each substring of a pattern's length up.
        Map<String, List<Integer>> ids = new HashMap<>();
        for (int id = 0; id < patterns.size(); id++) {
            ids.computeIfAbsent(new String(patterns.get(id), StandardCharsets.UTF_8), x -> new ArrayList<>()).add(id);
        }
        Set<String> expected = new TreeSet<>();
        String t = text.toString();
        for (int s = 0; s < t.length(); s++) {
            for (int n = 10; n <= 40 && s + n <= t.length(); n++) {
                for (int id : ids.getOrDefault(t.substring(s, s + n), List.of())) {
                    expected.add(id + "@" + s);
                }
            }
        }
        assertThat(found).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(found)).isEqualTo(expected).containsAll(wanted);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every "pattern@start" in [from, to), by comparing each pattern at every position. */
    private static Set<String> naive(List<byte[]> patterns, byte[] data, int from, int to) {
        Set<String> found = new TreeSet<>();
        for (int id = 0; id < patterns.size(); id++) {
            byte[] p = patterns.get(id);
            for (int s = from; s + p.length <= to; s++) {
                if (java.util.Arrays.equals(data, s, s + p.length, p, 0, p.length)) {
                    found.add(id + "@" + s);
                }
            }
        }
        return found;
    }
}
