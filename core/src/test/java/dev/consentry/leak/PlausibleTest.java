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

    @Test
    void aBase64RunIsPlausibleExactlyWhenItsDecodedBytesAre() {
        Random r = new Random(12);
        int yes = 0;
        for (int round = 0; round < 50_000; round++) {
            byte[] decoded = decodedRun(r);
            String text = java.util.Base64.getEncoder().withoutPadding().encodeToString(decoded);
            if (r.nextBoolean()) {
                text = text.replace('+', '-').replace('/', '_');
            }
            byte[] run = ("..." + text + "...").getBytes(StandardCharsets.US_ASCII);
            boolean expected = Plausible.worthSearching(decoded);
            yes += expected ? 1 : 0;
            assertEquals(expected, Base64Alphabet.plausible(run, 3, run.length - 3), text);
        }
        assertTrue(yes > 10_000 && yes < 40_000, "both answers are exercised: " + yes);
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
            assertEquals(Plausible.worthSearching(decoded), HexRunDecoder.plausible(run, 1, decoded.length), text);
        }
    }
}
