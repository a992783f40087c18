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
}
