package dev.consentry.har;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast base64 path and the body buffer around it against java.util.Base64 and against the buffer's behaviour
 * before the fast path (kept below as {@link #before}): the same bytes for what is accepted, the same message for
 * what is not, on every length up to 300, large bodies, both alphabets, with and without padding or whitespace, and
 * on mutated input (invalid characters, stray or missing '=', wrong lengths, non-ASCII characters).
 */
class PlainBase64Test {
    /** The characters mutations put in: both alphabets' extras, padding, whitespace, invalid and non-ASCII ones. */
    private static final char[] ODD = {'=', '=', '-', '_', '+', '/', ' ', '\n', '\r', '\t', '\u000b', '\f', '\u001c',
            '\0', '*', '.', '@', '\u007f', '\u0080', '\u00e9', '\u00ff', '\u2028', '\u3000', '\ud83d', '\ude00', 'A', '0'};

    /** What BodyBuffer.base64 did before the fast path (90c1abd), from the text: the bytes, or the error message. */
    private static Object before(String text) {
        try {
            boolean wide = false;
            boolean low = false;
            for (int i = 0; i < text.length(); i++) {
                wide |= text.charAt(i) >= 0x80;
                low |= text.charAt(i) <= ' ';
            }
            if (wide) {
                StringBuilder b = new StringBuilder(text.length());
                text.chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> b.append((char) c));
                String compact = b.toString();
                try {
                    return Base64.getDecoder().decode(compact);
                } catch (IllegalArgumentException ex) {
                    try {
                        return Base64.getUrlDecoder().decode(compact);
                    } catch (IllegalArgumentException ignored) {
                        throw ex;
                    }
                }
            }
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            int n = bytes.length;
            if (low) {
                n = 0;
                for (byte c : bytes) {
                    if (!Character.isWhitespace(c)) {
                        bytes[n++] = c;
                    }
                }
            }
            try {
                return array(Base64.getDecoder().decode(ByteBuffer.wrap(bytes, 0, n)));
            } catch (IllegalArgumentException ex) {
                try {
                    return array(Base64.getUrlDecoder().decode(ByteBuffer.wrap(bytes, 0, n)));
                } catch (IllegalArgumentException ignored) {
                    throw ex;
                }
            }
        } catch (IllegalArgumentException ex) {
            return "f: invalid base64: " + ex.getMessage();
        }
    }

    private static byte[] array(ByteBuffer b) {
        return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
    }

    /** BodyBuffer as the parser fills it, in chunks of random sizes: the bytes, or the error message. */
    private static Object now(String text, Random r) {
        BodyBuffer buffer = new BodyBuffer();
        write(buffer, text, r);
        try {
            return buffer.base64("f");
        } catch (EntryParser.BadField e) {
            return e.getMessage();
        }
    }

    private static void write(BodyBuffer buffer, String text, Random r) {
        char[] c = text.toCharArray();
        for (int off = 0; off < c.length; ) {
            int n = Math.min(c.length - off, r.nextInt(4) == 0 ? 1 + r.nextInt(9) : 1 + r.nextInt(3000));
            // Jackson hands over parts of its own larger buffers: copy into one at a random offset.
            char[] chunk = new char[n + 20];
            int at = r.nextInt(20);
            System.arraycopy(c, off, chunk, at, n);
            buffer.write(chunk, at, n);
            off += n;
        }
    }

    private static void assertSame(String text, Random r) {
        Object expected = before(text);
        Object actual = now(text, r);
        if (expected instanceof byte[] e) {
            assertThat(actual).as(text).isInstanceOf(byte[].class);
            assertThat((byte[]) actual).as(text).isEqualTo(e);
        } else {
            assertThat(actual).as(text).isEqualTo(expected);
        }
    }

    private static List<String> encodings(byte[] data) {
        String std = Base64.getEncoder().encodeToString(data);
        String url = Base64.getUrlEncoder().encodeToString(data);
        return List.of(std, std.replace("=", ""), url, url.replace("=", ""),
                Base64.getMimeEncoder().encodeToString(data));
    }

    private static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        for (int k = 0; k < edits; k++) {
            int op = r.nextInt(5);
            int at = b.length() == 0 ? 0 : r.nextInt(b.length() + (op == 0 ? 1 : 0));
            char c = ODD[r.nextInt(ODD.length)];
            switch (op) {
                case 0 -> b.insert(at, c);
                case 1 -> {
                    if (at < b.length()) {
                        b.setCharAt(at, c);
                    }
                }
                case 2 -> {
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                }
                case 3 -> b.setLength(Math.max(0, b.length() - 1 - r.nextInt(3)));
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    @Test
    void fastPathDecodesAsTheJdkOnEveryLengthBothWays() {
        Random r = new Random(1);
        List<Integer> lengths = new ArrayList<>();
        for (int n = 0; n <= 300; n++) {
            lengths.add(n);
        }
        lengths.addAll(List.of(4095, 4096, 4097, 48 * 1024 + 1, 1 << 20, (1 << 20) + 2));
        for (int n : lengths) {
            for (int k = 0; k < (n <= 300 ? 4 : 1); k++) {
                byte[] data = new byte[n];
                r.nextBytes(data);
                String std = Base64.getEncoder().encodeToString(data);
                for (String text : List.of(std, std.replace("=", ""))) {
                    byte[] s = text.getBytes(StandardCharsets.ISO_8859_1);
                    assertThat(PlainBase64.decode(s, s.length)).as(text).isEqualTo(data);
                    // The buffer may be longer than the text.
                    byte[] longer = Arrays.copyOf(s, s.length + 40);
                    assertThat(PlainBase64.decode(longer, s.length)).as(text).isEqualTo(data);
                }
            }
        }
    }

    @Test
    void fastPathAcceptsNothingTheJdksStandardDecoderRejects() {
        Random r = new Random(2);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 40_000; i++) {
            byte[] data = new byte[i % 10 == 0 ? r.nextInt(3000) : r.nextInt(120)];
            r.nextBytes(data);
            String text = mutate(encodings(data).get(r.nextInt(4)), r);
            byte[] s = text.getBytes(StandardCharsets.UTF_8);
            byte[] jdk;
            try {
                jdk = Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                jdk = null;
            }
            byte[] fast = PlainBase64.decode(s, s.length);
            if (fast != null) {
                assertThat(jdk).as(text).isNotNull();
                assertThat(fast).as(text).isEqualTo(jdk);
                accepted++;
            } else {
                refused++;
            }
        }
        // The mutations make both kinds: the test would prove nothing if either were missing.
        assertThat(accepted).isGreaterThan(1000);
        assertThat(refused).isGreaterThan(1000);
    }

    @Test
    void fastPathLeavesOtherShapesToTheJdk() {
        byte[] data = "\u00fb\u00ff\u00bf any bytes".getBytes(StandardCharsets.ISO_8859_1);
        for (String text : List.of(Base64.getUrlEncoder().encodeToString(data), "QUJD\nQUJD", "QUJD QQ==", "QQ=",
                "QUJD=", "QUJDQ", "Q", "QQ==QQ==", "=QUJ", "QUJD\u0080", "QUJD===")) {
            byte[] s = text.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(PlainBase64.decode(s, s.length)).as(text).isNull();
        }
        byte[] empty = new byte[8];
        assertThat(PlainBase64.decode(empty, 0)).isEmpty();
    }

    @Test
    void anyByteValueInAnyPlaceIsDecodedOrRefusedAsTheJdkDoes() {
        byte[] data = new byte[300];
        new Random(3).nextBytes(data);
        byte[] ok = Base64.getEncoder().encode(data);
        for (int at = 0; at < ok.length; at++) {
            for (int c = 0; c < 256; c++) {
                byte[] s = ok.clone();
                s[at] = (byte) c;
                byte[] fast = PlainBase64.decode(s, s.length);
                byte[] jdk;
                try {
                    jdk = Base64.getDecoder().decode(s);
                } catch (IllegalArgumentException e) {
                    jdk = null;
                }
                assertThat(fast).as("byte %d at %d", c, at).isEqualTo(jdk);
            }
        }
    }

    @Test
    void bodyBufferDecodesAndRefusesExactlyAsBefore() {
        Random r = new Random(4);
        for (int n = 0; n <= 200; n++) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            for (String text : encodings(data)) {
                assertSame(text, r);
                assertSame(" " + text + "\n", r);
                assertSame(mutate(text, r), r);
            }
        }
        for (int i = 0; i < 8_000; i++) {
            byte[] data = new byte[i % 20 == 0 ? r.nextInt(70_000) : r.nextInt(200)];
            r.nextBytes(data);
            List<String> all = encodings(data);
            String text = all.get(r.nextInt(all.size()));
            assertSame(r.nextBoolean() ? text : mutate(text, r), r);
        }
    }

    @Test
    void bodyBufferKeepsTextAsUtf8WhereverItsFirstNonAsciiCharacterFalls() {
        Random r = new Random(5);
        for (int i = 0; i < 3_000; i++) {
            int n = i < 300 ? i : r.nextInt(40_000);
            StringBuilder b = new StringBuilder(n);
            for (int k = 0; k < n; k++) {
                b.append((char) (0x20 + r.nextInt(0x5f)));
            }
            if (n > 0 && r.nextBoolean()) {
                int at = r.nextInt(n);
                b.setCharAt(at, ODD[r.nextInt(ODD.length)]);
                b.setCharAt(r.nextInt(n), (char) (0x80 + r.nextInt(0x2000)));
            }
            String text = b.toString();
            BodyBuffer buffer = new BodyBuffer();
            write(buffer, text, r);
            assertThat(buffer.utf8()).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aChunkEndingInHalfASurrogatePairIsStillWidenedThere() {
        String text = "a".repeat(40) + "\ud83d\ude00" + "b".repeat(40) + "\ud83d";
        char[] c = text.toCharArray();
        for (int cut = 1; cut < c.length; cut++) {
            BodyBuffer buffer = new BodyBuffer();
            buffer.write(c, 0, cut);
            buffer.write(c, cut, c.length - cut);
            assertThat(buffer.utf8()).as("cut at %d", cut).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
