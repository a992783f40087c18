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
}
