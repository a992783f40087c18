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

    @Test
    void aWordPastTheEndIsPaddedWithBytesThatAreNoEscape() {
        byte[] d = {'a', '%', 'b'};
        assertEquals(0x80L << 8, Bytes.escapeMask(Bytes.word(d, 0)));
        assertEquals('b', Bytes.word(d, 2));
        assertEquals(Bytes.PERCENT | Bytes.PLUS | Bytes.BACKSLASH, Bytes.escapes("0123456789+%\\".getBytes()));
        assertEquals(0, Bytes.escapes(new byte[0]));
    }
}
