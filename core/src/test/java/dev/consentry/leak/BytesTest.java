package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BytesTest {
    private static int naive(byte[] d, int from, byte a, byte b) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == a || d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstOfEitherByteAsAByteByByteSearchWould() {
        Random r = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            byte[] d = new byte[r.nextInt(40)];
            for (int i = 0; i < d.length; i++) {
                // Bytes next to the searched ones (a borrow across byte lanes would show), and the searched ones.
                int k = r.nextInt(r.nextBoolean() ? 9 : 6); // half the arrays without '+', '%' or '\\'
                d[i] = new byte[]{',', '*', '$', '&', (byte) 0x80, (byte) 0xff, '+', '%', '\\'}[k];
            }
            int from = d.length == 0 ? 0 : r.nextInt(d.length);
            assertEquals(naive(d, from, (byte) '+', (byte) '%'), Bytes.indexOfEither(d, from, (byte) '+', (byte) '%'));
            assertEquals(naive(d, from, (byte) '\\', (byte) '\\'), Bytes.indexOfEither(d, from, (byte) '\\', (byte) '\\'));
        }
        assertEquals(8, Bytes.indexOfEither(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, '%'}, 0, (byte) '+', (byte) '%'));
        assertEquals(-1, Bytes.indexOfEither(new byte[]{'%', 2}, 1, (byte) '+', (byte) '%'));
    }

    @Test
    void escapeMaskMarksExactlyTheEscapeCharacters() {
        Random r = new Random(9);
        byte[] palette = {'%', '+', '\\', '$', '*', ',', '[', ']', '\'', (byte) 0xa5, (byte) 0xab, (byte) 0xdc, 0, (byte) 0xff};
        for (int round = 0; round < 20_000; round++) {
            byte[] d = new byte[8];
            for (int i = 0; i < 8; i++) {
                d[i] = r.nextInt(3) == 0 ? palette[r.nextInt(palette.length)] : (byte) r.nextInt(256);
            }
            long expected = 0;
            int kinds = 0;
            for (int i = 0; i < 8; i++) {
                if (d[i] == '%' || d[i] == '+' || d[i] == '\\') {
                    expected |= 0x80L << (8 * i);
                }
                kinds |= Bytes.kind(d[i]);
            }
            assertEquals(expected, Bytes.escapeMask(Bytes.word(d, 0)), java.util.Arrays.toString(d));
            assertEquals(kinds, Bytes.escapes(d));
        }
    }

    /** Long texts with a few escape characters (or none) anywhere: 16-byte blocks are skipped only when clean. */
    @Test
    void skippingCleanBlocksFindsEveryEscapeKindAByteLoopFinds() {
        Random r = new Random(10);
        byte[] near = {'$', '*', ',', '[', ']', (byte) 0xa5, (byte) 0xab, (byte) 0xdc, 0, (byte) 0xff, 'a', '0'};
        byte[] escapes = {'%', '+', '\\'};
        for (int round = 0; round < 20_000; round++) {
            byte[] d = new byte[r.nextInt(100)];
            for (int i = 0; i < d.length; i++) {
                d[i] = near[r.nextInt(near.length)];
            }
            for (int k = r.nextInt(3); k > 0 && d.length > 0; k--) {
                d[r.nextInt(d.length)] = escapes[r.nextInt(3)];
            }
            int kinds = 0;
            for (byte b : d) {
                kinds |= Bytes.kind(b);
            }
            assertEquals(kinds, Bytes.escapes(d), java.util.Arrays.toString(d));
            int skip = Bytes.skipClean(d, 0);
            assertEquals(0, skip % 16);
            for (int i = 0; i < Math.min(skip, d.length); i++) {
                assertEquals(0, Bytes.kind(d[i]), "skipped an escape at " + i);
            }
            assertEquals(true, skip + 16 > d.length || kinds != 0, "stopped early in clean text");
        }
    }

    @Test
    void aWordPastTheEndIsPaddedWithBytesThatAreNoEscape() {
        byte[] d = {'a', '%', 'b'};
        assertEquals(0x80L << 8, Bytes.escapeMask(Bytes.word(d, 0)));
        assertEquals('b', Bytes.word(d, 2));
        assertEquals(Bytes.PERCENT | Bytes.PLUS | Bytes.BACKSLASH, Bytes.escapes("0123456789+%\\".getBytes()));
        assertEquals(0, Bytes.escapes(new byte[0]));
    }
}
