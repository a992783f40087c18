package dev.consentry.leak;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Base64Alphabet#worthDecoding} and {@link Brotli#headerFits} were made faster (classes read off a table of
 * character pairs; a table of the header's first bits): they must decide exactly as the code they replaced, kept
 * here as the oracle, on random and crafted runs of every shape the engine meets.
 */
class WorthDecodingOracleTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";

    /** worthDecoding as it was up to a6fd1ef: decode the first two groups, magic, text rule, brotli header. */
    static boolean oldWorthDecoding(byte[] text, int from, int to) {
        int g0 = group(text, from);
        int g1 = group(text, from + 4);
        int b0 = g0 >> 16;
        int b1 = g0 >> 8 & 0xff;
        if (Plausible.magic(b0, b1) || Plausible.magic(b0, b1, g0 & 0xff, g1 >> 16)) {
            return true;
        }
        int state = Plausible.next3(Plausible.next3(Plausible.START * Plausible.GROUP, b0, b1, g0 & 0xff),
                g1 >> 16, g1 >> 8 & 0xff, g1 & 0xff);
        int i = from + 8;
        for (; i + 4 <= to && state != Plausible.YES * Plausible.GROUP; i += 4) {
            int v = group(text, i);
            state = Plausible.next3(state, v >> 16, v >> 8 & 0xff, v & 0xff);
        }
        if (state == Plausible.YES * Plausible.GROUP) {
            return true;
        }
        state /= Plausible.GROUP;
        int rest = to - i;
        if (rest >= 2) {
            int v = value(text[i]) << 18 | value(text[i + 1]) << 12 | (rest == 3 ? value(text[i + 2]) << 6 : 0);
            state = Plausible.next(state, v >> 16);
            if (rest == 3) {
                state = Plausible.next(state, v >> 8 & 0xff);
            }
            if (state == Plausible.YES) {
                return true;
            }
        }
        long head = (long) (b0 | (g0 & 0xff00) | (g0 & 0xff) << 16)
                | (long) (g1 >> 16 | (g1 & 0xff00) | (g1 & 0xff) << 16) << 24;
        return oldHeaderFits(head, (to - from) * 3 / 4);
    }

    private static int value(byte b) {
        return Base64Alphabet.value(b);
    }

    private static int group(byte[] text, int i) {
        return value(text[i]) << 18 | value(text[i + 1]) << 12 | value(text[i + 2]) << 6 | value(text[i + 3]);
    }

    /** Brotli.headerFits(long, int) as it was up to a6fd1ef, branch by branch. */
    static boolean oldHeaderFits(long v, int length) {
        int pos;
        if ((v & 1) == 0) {
            pos = 1;
        } else if (((v >>> 1) & 7) != 0) {
            pos = 4;
        } else {
            if (((v >>> 4) & 7) == 1) {
                return false;
            }
            pos = 7;
        }
        boolean last = ((v >>> pos++) & 1) == 1;
        if (last && ((v >>> pos++) & 1) == 1) {
            return false;
        }
        int code = (int) (v >>> pos) & 3;
        pos += 2;
        if (code == 3) {
            return false;
        }
        int nibbles = code + 4;
        long mlen = ((v >>> pos) & ((1L << (4 * nibbles)) - 1)) + 1;
        pos += 4 * nibbles;
        if (nibbles > 4 && ((mlen - 1) >>> (4 * (nibbles - 1))) == 0) {
            return false;
        }
        if (!last && ((v >>> pos) & 1) == 1) {
            return false;
        }
        return mlen <= (long) Brotli.MAX_RATIO * length + 1024;
    }

    /** A header that passes more often than random bits: each field drawn over its values, lengths near the bound. */
    private static long craftedHeader(Random r) {
        long v = 0;
        int pos;
        switch (r.nextInt(3)) {
            case 0 -> pos = 1;
            case 1 -> {
                v = 1 | (long) (1 + r.nextInt(7)) << 1;
                pos = 4;
            }
            default -> {
                v = 1 | (long) r.nextInt(8) << 4;
                pos = 7;
            }
        }
        boolean last = r.nextBoolean();
        v |= (last ? 1L : 0) << pos++;
        if (last) {
            v |= (long) r.nextInt(2) << pos++;
        }
        int code = r.nextInt(4);
        v |= (long) code << pos;
        pos += 2;
        int bits = 4 * (code + 4);
        long mlen1 = switch (r.nextInt(3)) {
            case 0 -> r.nextInt(3000);
            case 1 -> r.nextLong() & ((1L << Math.min(bits, 24)) - 1);
            default -> 1L << r.nextInt(Math.min(bits, 24));
        };
        v |= (mlen1 & ((1L << bits) - 1)) << pos;
        pos += bits;
        v |= (long) r.nextInt(2) << pos;
        return v | (r.nextLong() << (pos + 1) & ((1L << 40) - 1) & -(1L << (pos + 1)));
    }

    @Test
    void headerFitsDecidesAsBeforeOnRandomAndCraftedHeaders() {
        Random r = new Random(31);
        int yes = 0;
        for (int i = 0; i < 2_000_000; i++) {
            long v = i % 2 == 0 ? r.nextLong() & ((1L << 40) - 1) : craftedHeader(r);
            int length = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(64);
                case 1 -> r.nextInt(4096);
                case 2 -> r.nextInt(1 << 20);
                default -> r.nextInt(Integer.MAX_VALUE);
            };
            boolean expected = oldHeaderFits(v, length);
            yes += expected ? 1 : 0;
            if (expected != Brotli.headerFits(v, length)) {
                assertEquals(expected, Brotli.headerFits(v, length), Long.toBinaryString(v) + " length " + length);
            }
        }
        assertTrue(yes > 50_000, "headers that fit: " + yes);
    }

    @Test
    void everyFirst12BitsWithEveryLengthEdgeDecideAsBefore() {
        Random r = new Random(32);
        for (int low = 0; low < 4096; low++) {
            for (int k = 0; k < 200; k++) {
                long v = (r.nextLong() & ((1L << 28) - 1)) << 12 | low;
                if (k % 4 == 0) {
                    v &= (1L << (12 + r.nextInt(20))) - 1; // small lengths: the bound's edge is reached
                }
                int length = r.nextInt(3000);
                assertEquals(oldHeaderFits(v, length), Brotli.headerFits(v, length), low + " " + v + " " + length);
            }
        }
    }

    /** A run of {@code n} characters of the alphabet, URL-safe or not, maybe a valid encoding of crafted bytes. */
    private static String run(Random r) {
        int kind = r.nextInt(8);
        int n = 8 + r.nextInt(kind < 2 ? 12 : 60);
        StringBuilder s = new StringBuilder();
        switch (kind) {
            case 0, 2 -> {
                for (int i = 0; i < n; i++) {
                    s.append((char) ('0' + r.nextInt(10)));
                }
            }
            case 1, 3 -> {
                String hex = r.nextBoolean() ? "0123456789abcdef" : "0123456789ABCDEF";
                for (int i = 0; i < n; i++) {
                    s.append(hex.charAt(r.nextInt(16)));
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    s.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                }
            }
            case 5 -> {
                byte[] d = new byte[6 + r.nextInt(40)];
                for (int i = 0; i < d.length; i++) {
                    d[i] = switch (r.nextInt(4)) {
                        case 0 -> (byte) (0x20 + r.nextInt(0x5f));
                        case 1 -> (byte) (0x80 + r.nextInt(0x40));
                        case 2 -> (byte) (0xc0 + r.nextInt(0x40));
                        default -> (byte) r.nextInt(256);
                    };
                }
                byte[][] magics = {{0x1f, (byte) 0x8b}, {0x78, (byte) 0x9c}, {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd},
                        {0x48, 0x0d}};
                if (r.nextInt(3) == 0) {
                    byte[] m = magics[r.nextInt(magics.length)];
                    System.arraycopy(m, 0, d, 0, m.length);
                }
                s.append(Base64.getEncoder().withoutPadding().encodeToString(d));
            }
            case 6 -> {
                byte[] d = new byte[6 + r.nextInt(40)];
                r.nextBytes(d);
                long h = craftedHeader(r);
                for (int i = 0; i < 5; i++) {
                    d[i] = (byte) (h >>> (8 * i));
                }
                s.append(Base64.getEncoder().withoutPadding().encodeToString(d));
            }
            default -> {
                String text = "name=Ñandú Pérez&imei=865123045678901 李小龙".substring(r.nextInt(20));
                byte[] d = text.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < d.length; i++) {
                    if (r.nextInt(6) == 0) {
                        d[i] = (byte) r.nextInt(256);
                    }
                }
                s.append(Base64.getEncoder().withoutPadding().encodeToString(d), r.nextInt(3), Math.max(8, 4 * d.length / 3));
            }
        }
        String t = s.length() >= 8 ? s.toString() : (s + "AAAAAAAA").substring(0, 8);
        return r.nextBoolean() ? t.replace('+', '-').replace('/', '_') : t;
    }

    @Test
    void worthDecodingDecidesAsBeforeOnRandomAndCraftedRuns() {
        Random r = new Random(33);
        int yes = 0;
        int tried = 400_000;
        for (int round = 0; round < tried; round++) {
            String t = run(r);
            // Neighbours that are not base64, as in JSON, and the run sometimes flush with the array's end.
            String before = r.nextBoolean() ? "\":" : "";
            String after = r.nextBoolean() ? "\"," : "";
            byte[] text = (before + t + after).getBytes(StandardCharsets.US_ASCII);
            int from = before.length();
            int to = from + t.length();
            // Since 2026-11-25 a run that decodes to a protobuf message (first key one byte) is worth decoding too;
            // a run of digits only is asked about brotli alone (Base64DigitsTest).
            boolean expected = t.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? Brotli.headerFits(Base64Alphabet.decode(text, from, to), 5, t.length() * 3 / 4)
                    : oldWorthDecoding(text, from, to) || PlausibleTest.message(Base64Alphabet.decode(text, from, to));
            yes += expected ? 1 : 0;
            assertEquals(expected, Base64Alphabet.worthDecoding(text, from, to), t);
        }
        assertTrue(yes > tried / 20 && yes < tried * 19 / 20, "both answers are exercised: " + yes);
    }
}
