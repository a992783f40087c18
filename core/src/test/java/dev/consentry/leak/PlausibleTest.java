package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlausibleTest {
    /** The text rule written out with branches, as it was before the table: the table must agree byte for byte. */
    private static final class Reference {
        private int run;
        private int pending;

        boolean text(int v) {
            if (pending > 0) {
                if ((v & 0xc0) == 0x80) {
                    return --pending == 0 && ++run >= 6;
                }
                pending = 0;
                run = 0;
            }
            if (v >= 0x20 && v < 0x7f) {
                return ++run >= 6;
            }
            if (v >= 0xc2 && v <= 0xf4) {
                pending = v < 0xe0 ? 1 : v < 0xf0 ? 2 : 3;
                return false;
            }
            run = 0;
            return false;
        }
    }

    @Test
    void tableAgreesWithTheRuleOnRandomMixesOfAsciiUtf8AndControlBytes() {
        Random r = new Random(11);
        byte[] palette = {'a', '7', ' ', '~', 0x7f, 0x00, 0x1f, (byte) 0x80, (byte) 0xbf, (byte) 0xc2, (byte) 0xc1,
                (byte) 0xe0, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xff, (byte) 0xa9};
        for (int round = 0; round < 20_000; round++) {
            Plausible.Check c = new Plausible.Check();
            Reference ref = new Reference();
            // Four leading bytes that are no compression magic, then the text rule alone decides.
            for (int k = 0; k < 4; k++) {
                c.add((byte) 'x');
                ref.text('x' & 0xff);
            }
            int n = r.nextInt(30);
            for (int i = 0; i < n; i++) {
                byte b = palette[r.nextInt(palette.length)];
                boolean expected = ref.text(b & 0xff);
                assertEquals(expected, c.add(b), "round " + round + " byte " + i);
                if (expected) {
                    break;
                }
            }
        }
    }

    @Test
    void namesInAnyScriptCountAsTextRandomBytesDoNot() {
        assertTrue(Plausible.worthSearching("Ñandú Pérez".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Plausible.worthSearching("李小龙李小龙".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Plausible.worthSearching(new byte[]{(byte) 0xd3, 0x4d, (byte) 0xf7, 0x01, 'a', 'b', 'c', 'd', 'e'}));
        assertTrue(Plausible.worthSearching(new byte[]{0x1f, (byte) 0x8b, 0x08}));
    }

    /** Runs of base64 characters or hex digits that decode to text, to compression magic, to neither, or to a mix. */
    private static byte[] decodedRun(Random r) {
        byte[] d = new byte[r.nextInt(40)];
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (r.nextInt(4)) {
                case 0 -> (byte) (0x20 + r.nextInt(0x5f));
                case 1 -> (byte) (0x80 + r.nextInt(0x40));
                case 2 -> (byte) (0xc0 + r.nextInt(0x40));
                default -> (byte) r.nextInt(256);
            };
        }
        byte[][] magics = {{0x1f, (byte) 0x8b}, {0x78, (byte) 0x9c}, {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}};
        if (d.length >= 4 && r.nextInt(4) == 0) {
            byte[] m = magics[r.nextInt(magics.length)];
            System.arraycopy(m, 0, d, 0, m.length);
        }
        return d;
    }

    /**
     * What the base64 run decoder must accept: the decoded bytes are plausible, start as a brotli header or are a
     * protobuf message whose first key is one byte.
     */
    private static boolean worthDecodingByReference(byte[] decoded, int runChars) {
        return Plausible.worthSearching(decoded) || Brotli.headerFits(decoded, decoded.length, runChars * 3 / 4)
                || message(decoded);
    }

    static boolean message(byte[] decoded) {
        return decoded.length >= 2 && (decoded[0] & 0xff) >= 8 && (decoded[0] & 0xff) < 0x80
                && ProtobufWire.parses(decoded, 0, decoded.length);
    }

    @Test
    void aBase64RunIsWorthDecodingExactlyWhenItsDecodedBytesArePlausibleOrStartAsBrotli() {
        Random r = new Random(12);
        int yes = 0;
        int tried = 0;
        for (int round = 0; round < 50_000; round++) {
            byte[] decoded = decodedRun(r);
            String text = java.util.Base64.getEncoder().withoutPadding().encodeToString(decoded);
            if (text.length() < 8) {
                continue;
            }
            if (r.nextBoolean()) {
                text = text.replace('+', '-').replace('/', '_');
            }
            byte[] run = ("..." + text + "...").getBytes(StandardCharsets.US_ASCII);
            boolean expected = worthDecodingByReference(decoded, text.length());
            yes += expected ? 1 : 0;
            tried++;
            assertEquals(expected, Base64Alphabet.worthDecoding(run, 3, run.length - 3), text);
        }
        assertTrue(yes > tried / 5 && yes < tried * 4 / 5, "both answers are exercised: " + yes + " of " + tried);
    }

    /**
     * Runs of hex digits only, as in JSON ids, or digits only, as in JSON numbers: most decode to nothing worth
     * searching, but not all (digits decode to lead bytes 0xd3-0xf7 and continuation bytes, i.e. UTF-8 text:
     * "140514051405" is three times a Hebrew letter and '9'). A hex run is decided by its bytes, as any run; a run of
     * digits only by whether it starts as brotli, since what text it holds is found in the run itself
     * ({@link Base64DigitsTest}).
     */
    @Test
    void hexRunsAreDecidedByTheirBytesAndDigitRunsByBrotliAlone() {
        assertTrue(Plausible.worthSearching(java.util.Base64.getDecoder().decode("1405140514051405")));
        assertFalse(Base64Alphabet.worthDecoding("1405140514051405".getBytes(StandardCharsets.US_ASCII), 0, 16));
        Random r = new Random(14);
        String[] alphabets = {"0123456789", "0123456789abcdef", "0123456789ABCDEF", "4567", "0189"};
        int yes = 0;
        int textDigitRuns = 0;
        for (int round = 0; round < 200_000; round++) {
            String alphabet = alphabets[round % alphabets.length];
            StringBuilder s = new StringBuilder();
            int n = 8 + r.nextInt(33);
            for (int i = 0; i < n; i++) {
                s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            byte[] run = (":" + s + ",").getBytes(StandardCharsets.US_ASCII);
            byte[] decoded = Base64Alphabet.decode(run, 1, run.length - 1);
            boolean digitsOnly = s.chars().allMatch(c -> c >= '0' && c <= '9');
            boolean expected = digitsOnly ? Brotli.headerFits(decoded, decoded.length, n * 3 / 4)
                    : worthDecodingByReference(decoded, n);
            yes += expected ? 1 : 0;
            textDigitRuns += digitsOnly && Plausible.worthSearching(decoded) ? 1 : 0;
            assertEquals(expected, Base64Alphabet.worthDecoding(run, 1, run.length - 1), s.toString());
        }
        assertTrue(yes > 1_000, "hex runs that are worth decoding: " + yes);
        assertTrue(textDigitRuns > 100, "digit runs that decode to text, and are not decoded: " + textDigitRuns);
    }

    /** {@link Plausible#next3} is three {@link Plausible#next} steps, for every state and every three bytes. */
    @Test
    void threeBytesAtOnceAgreeWithOneAtATimeEverywhere() {
        for (int state = Plausible.START; state <= Plausible.YES; state++) {
            for (int b0 = 0; b0 < 256; b0++) {
                int s0 = Plausible.next(state, b0);
                for (int b1 = 0; b1 < 256; b1++) {
                    int s1 = Plausible.next(s0, b1);
                    for (int b2 = 0; b2 < 256; b2++) {
                        int expected = Plausible.next(s1, b2) * Plausible.GROUP;
                        int got = Plausible.next3(state * Plausible.GROUP, b0, b1, b2);
                        if (got != expected) {
                            assertEquals(expected, got, state + ": " + b0 + " " + b1 + " " + b2);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aHexRunIsPlausibleExactlyWhenItsDecodedBytesAre() {
        Random r = new Random(13);
        for (int round = 0; round < 20_000; round++) {
            byte[] decoded = decodedRun(r);
            String text = java.util.HexFormat.of().formatHex(decoded);
            if (r.nextBoolean()) {
                text = text.toUpperCase(java.util.Locale.ROOT);
            }
            byte[] run = (":" + text + ":").getBytes(StandardCharsets.US_ASCII);
            assertEquals(Plausible.worthSearching(decoded) || message(decoded),
                    HexRunDecoder.plausible(run, 1, decoded.length), text);
        }
    }
}
