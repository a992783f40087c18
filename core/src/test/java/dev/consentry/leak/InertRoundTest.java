package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link UrlDecoder#inert} reads a first url round without building it; here a reference builds the round and checks
 * the same conditions on its bytes, byte by byte, and both must agree on random forms whose escapes sit in and next
 * to pattern values, base64 runs of about the searched length, escape characters left as they are and bytes that
 * parse as protobuf.
 */
class InertRoundTest {
    private static final List<byte[]> PATTERNS = List.of(ascii("Canary Name"), ascii("+91 98765 00001"),
            ascii("a!b@c.de"), ascii("865123045678901"));

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the round is inert, from the built round: every escape character from {@code first} on is undone, no
     * undone byte is a base64 character, '%' or '\\', could sit in a pattern beside its neighbours, or borders a
     * base64 run of {@code runsMin} or more; the start is printable and neither zlib's header nor "--"; and the round
     * is shorter than {@code minField} or does not parse as protobuf.
     */
    private static int reference(byte[] in, int first, EscapeNeighbours nb) {
        int n = in.length;
        if (first < 4) {
            return -1;
        }
        for (int i = 0; i < 4; i++) {
            if (in[i] < 0x20 || in[i] > 0x7e) {
                return -1;
            }
        }
        if ((in[0] & 0x0f) == 8 && ((in[0] & 0xff) << 8 | (in[1] & 0xff)) % 31 == 0 || in[0] == '-' && in[1] == '-') {
            return -1;
        }
        ByteArrayOutputStream round = new ByteArrayOutputStream();
        List<Integer> undone = new ArrayList<>();
        int kinds = 0;
        for (int i = 0; i < n; ) {
            byte c = in[i];
            if (i < first || c != '%' && c != '+' && c != '\\') {
                round.write(c);
                i++;
            } else if (c == '+') {
                undone.add(round.size());
                round.write(' ');
                kinds |= Bytes.PLUS;
                i++;
            } else if (c == '%' && i + 2 < n && UrlDecoder.hex(in[i + 1]) >= 0 && UrlDecoder.hex(in[i + 2]) >= 0) {
                undone.add(round.size());
                round.write(UrlDecoder.hex(in[i + 1]) * 16 + UrlDecoder.hex(in[i + 2]));
                kinds |= Bytes.PERCENT;
                i += 3;
            } else {
                return -1;
            }
        }
        byte[] out = round.toByteArray();
        for (int o : undone) {
            int v = out[o] & 0xff;
            if (Runs.BASE64[v] || v == '%' || v == '\\') {
                return -1;
            }
            int prev = o > 0 ? out[o - 1] & 0xff : -1;
            int next = o + 1 < out.length ? out[o + 1] & 0xff : -1;
            if (nb.mayMatter(prev, v, next)) {
                return -1;
            }
            int left = 0;
            while (o - left - 1 >= 0 && Runs.BASE64[out[o - left - 1] & 0xff]) {
                left++;
            }
            int right = 0;
            while (o + right + 1 < out.length && Runs.BASE64[out[o + right + 1] & 0xff]) {
                right++;
            }
            if (left >= nb.runsMin || right >= nb.runsMin) {
                return -1;
            }
        }
        return out.length >= nb.minField && ProtobufWire.parses(out, 0, out.length) ? -1 : kinds;
    }

    private static final String[] PIECES = {"+", "+", "%21", "%20", "%2C", "%2B", "%41", "%25", "%5C", "%0A", "%zz", "%2",
            "\\", "&", "=", "q=hello", "world", "Canary", "Name", "98765", "00001", "a", "b", "!", "@c.de", "865123",
            "045678901", "QUJDREVG", "R0hJSktM", "x_-/", "12", "\"0", "\" ", "~~", "h1", ".", "--", "x^"};

    /** Pieces of an ordinary form, most of whose rounds are inert. */
    private static final String[] PLAIN = {"+", "%21", "%20", "%2C", "&", "=", "q=hello", "world", "a", "b", ".", "12",
            "~~", "98765"};

    private static byte[] randomForm(Random r) {
        StringBuilder s = new StringBuilder();
        int pieces = 1 + r.nextInt(14);
        for (int i = 0; i < pieces; i++) {
            s.append(r.nextInt(5) == 0 ? PIECES[r.nextInt(PIECES.length)] : PLAIN[r.nextInt(PLAIN.length)]);
        }
        return ascii(s.toString());
    }

    /** The first escape character, when it is undone and none comes before it (as the decoder asks); else -1. */
    private static int firstUndone(byte[] in) {
        for (int i = 0; i < in.length; i++) {
            byte c = in[i];
            if (c == '+') {
                return i;
            }
            if (c == '%' || c == '\\') {
                return c == '%' && i + 2 < in.length && UrlDecoder.hex(in[i + 1]) >= 0
                        && UrlDecoder.hex(in[i + 2]) >= 0 ? i : -1;
            }
        }
        return -1;
    }

    @Test
    void agreesWithTheBuiltRoundOnRandomForms() {
        Random r = new Random(20261125);
        int[] inert = new int[3];
        int[] cases = new int[3];
        int[][] shapes = {{4, 16}, {6, 16}, {10, 12}};
        for (int s = 0; s < shapes.length; s++) {
            EscapeNeighbours nb = new EscapeNeighbours(PATTERNS, shapes[s][0], shapes[s][1]);
            for (int t = 0; t < 60_000; t++) {
                byte[] in = randomForm(r);
                int first = firstUndone(in);
                if (first < 0) {
                    continue;
                }
                cases[s]++;
                int expected = reference(in, first, nb);
                if (expected >= 0) {
                    inert[s]++;
                }
                assertEquals(expected, UrlDecoder.inert(in, first, nb), new String(in, StandardCharsets.ISO_8859_1));
            }
            // Both answers are common, so the comparison means something.
            assertTrue(inert[s] > cases[s] / 20 && inert[s] < cases[s] * 19 / 20, inert[s] + " of " + cases[s]);
        }
    }

    @Test
    void agreesOnLongFormsWithStretchesOverAVectorBlock() {
        Random r = new Random(7);
        EscapeNeighbours nb = new EscapeNeighbours(PATTERNS, 10, 16);
        int inert = 0;
        for (int t = 0; t < 5_000; t++) {
            StringBuilder s = new StringBuilder("a=1");
            int groups = 1 + r.nextInt(12);
            for (int g = 0; g < groups; g++) {
                s.append("&k").append(r.nextInt(1000)).append('=')
                        .append(".".repeat(r.nextInt(50)))
                        .append((Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + "0000000000000").substring(0, 1 + r.nextInt(13)))
                        .append(PIECES[r.nextInt(PIECES.length)]).append("&q=hello+world%21");
            }
            byte[] in = ascii(s.toString());
            int first = firstUndone(in);
            if (first < 0) {
                continue;
            }
            int expected = reference(in, first, nb);
            inert += expected >= 0 ? 1 : 0;
            assertEquals(expected, UrlDecoder.inert(in, first, nb), s.toString());
        }
        assertTrue(inert > 500 && inert < 4_500, inert + " inert");
    }
}
