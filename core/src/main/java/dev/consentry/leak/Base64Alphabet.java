package dev.consentry.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Base64 in both alphabets at once: decoding accepts '+'/'-' as 62 and '/'/'_' as 63, because senders mix them up
 * and a leak detector has no reason to be strict.
 */
final class Base64Alphabet {
    private static final int[] VALUE = new int[256];

    static {
        java.util.Arrays.fill(VALUE, -1);
        String std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < std.length(); i++) {
            VALUE[std.charAt(i)] = i;
        }
        VALUE['-'] = 62;
        VALUE['_'] = 63;
    }

    /** How many leading characters of an alignment's encoding still carry bits of the bytes before the value. */
    private static final int[] SKIP = {0, 2, 3};

    private Base64Alphabet() {
    }

    static boolean isBase64(byte b) {
        return VALUE[b & 0xff] >= 0;
    }

    /** The 6 bits a character stands for in either alphabet; -1 for a byte that is not a base64 character. */
    static int value(byte b) {
        return VALUE[b & 0xff];
    }

    /**
     * The base64 text a value produces wherever it sits in a longer base64 string. A value starting at byte 0, 1 or 2
     * of a 3-byte group encodes differently; for each alignment this is the run of characters that depend only on
     * the value's own bits, in the standard and the URL-safe alphabet.
     */
    static List<EncodedForm> encodings(byte[] value) {
        List<EncodedForm> out = new ArrayList<>();
        for (int align = 0; align < 3; align++) {
            byte[] padded = new byte[align + value.length];
            System.arraycopy(value, 0, padded, align, value.length);
            String enc = Base64.getEncoder().withoutPadding().encodeToString(padded);
            int first = SKIP[align];
            int last = (8 * (align + value.length)) / 6; // exclusive: the char holding the value's last bits may
            // also hold bits of whatever follows it
            if (last - first <= 0) {
                continue;
            }
            String std = enc.substring(first, last);
            out.add(new EncodedForm(std.getBytes(StandardCharsets.US_ASCII), align, first));
            String urlSafe = std.replace('+', '-').replace('/', '_');
            if (!urlSafe.equals(std)) {
                out.add(new EncodedForm(urlSafe.getBytes(StandardCharsets.US_ASCII), align, first));
            }
        }
        return out;
    }

    /**
     * Whether an encoded-form match really is the value. The pattern leaves out the characters at either end that
     * also carry bits of the neighbouring bytes, so up to a few bits of the value's first and last byte are unchecked
     * by the automaton; a number one digit off at the end would otherwise match.
     */
    static boolean verify(byte[] text, int matchStart, EncodedForm form, byte[] value) {
        int groupStart = matchStart - form.leadingChars();
        int chars = (8 * (form.alignment() + value.length) + 5) / 6;
        if (groupStart < 0 || groupStart + chars > text.length) {
            return false;
        }
        for (int i = groupStart; i < groupStart + chars; i++) {
            if (!isBase64(text[i])) {
                return false;
            }
        }
        byte[] decoded = decode(text, groupStart, groupStart + chars);
        return decoded.length >= form.alignment() + value.length && java.util.Arrays.equals(decoded,
                form.alignment(), form.alignment() + value.length, value, 0, value.length);
    }

    /**
     * Where a value found as an encoded form sits in the decoded bytes: the run of base64 characters around the match
     * is decoded from its first character at the match's alignment, so the offset is exact for that decoding. A run
     * that uses the URL-safe alphabet ends at a '/' or '+' (in URLs, "/v1/" before the blob is path, not data).
     */
    static long decodedOffset(byte[] text, int matchStart, EncodedForm form) {
        int groupStart = matchStart - form.leadingChars();
        int runStart = matchStart;
        boolean urlSafe = false;
        while (runStart > 0 && isBase64(text[runStart - 1])) {
            runStart--;
            urlSafe |= text[runStart] == '-' || text[runStart] == '_';
        }
        for (int i = matchStart; !urlSafe && i < text.length && isBase64(text[i]); i++) {
            urlSafe = text[i] == '-' || text[i] == '_';
        }
        if (urlSafe) {
            runStart = matchStart;
            while (runStart > 0 && isBase64(text[runStart - 1]) && text[runStart - 1] != '/'
                    && text[runStart - 1] != '+') {
                runStart--;
            }
        }
        int base = groupStart < runStart ? groupStart : runStart + Math.floorMod(groupStart - runStart, 4);
        return (long) (groupStart - base) / 4 * 3 + form.alignment();
    }

    /**
     * Whether the bytes the run [from, to) of at least 8 characters decodes to are worth searching ({@link
     * Plausible}) or start as a brotli stream does ({@link Brotli#headerFits}, which has no magic), decided without
     * keeping them: the text rule a group (four characters, three bytes, one {@link Plausible#next3} step) at a time,
     * then, for the 99% of runs in JSON (ids, numbers) that are not text, the first two groups decoded once for the
     * compression magic and the brotli header. A run of digits only (half of a JSON body's runs: fractions,
     * timestamps) is asked about brotli alone: see {@link #digits}.
     */
    static boolean worthDecoding(byte[] text, int from, int to) {
        if (to - from < 8) {
            throw new IllegalArgumentException("a run of " + (to - from) + " characters");
        }
        if (digits(text, from, to)) {
            return Brotli.headerFits(head(group(text, from), group(text, from + 4)), (to - from) * 3 / 4);
        }
        int state = Plausible.START * Plausible.GROUP;
        int i = from;
        for (; i + 4 <= to && state != Plausible.YES * Plausible.GROUP; i += 4) {
            state = Plausible.next3(state, classes((int) INT.get(text, i)));
        }
        if (state == Plausible.YES * Plausible.GROUP) {
            return true;
        }
        state /= Plausible.GROUP;
        int rest = to - i;
        if (rest >= 2) {
            int v = VALUE[text[i] & 0xff] << 18 | VALUE[text[i + 1] & 0xff] << 12
                    | (rest == 3 ? VALUE[text[i + 2] & 0xff] << 6 : 0);
            state = Plausible.next(state, v >> 16);
            if (rest == 3) {
                state = Plausible.next(state, v >> 8 & 0xff);
            }
            if (state == Plausible.YES) {
                return true;
            }
        }
        int g0 = group(text, from);
        int g1 = group(text, from + 4);
        int b0 = g0 >> 16;
        int b1 = g0 >> 8 & 0xff;
        if (Plausible.magic(b0, b1) || Plausible.magic(b0, b1, g0 & 0xff, g1 >> 16)) {
            return true;
        }
        return Brotli.headerFits(head(g0, g1), (to - from) * 3 / 4) || message(text, from, to);
    }

    /** The six bytes of two groups, first byte lowest, as {@link Brotli#headerFits(long, int)} reads a header. */
    private static long head(int g0, int g1) {
        return (long) (g0 >> 16 | (g0 & 0xff00) | (g0 & 0xff) << 16)
                | (long) (g1 >> 16 | (g1 & 0xff00) | (g1 & 0xff) << 16) << 24;
    }

    /**
     * Whether the run [from, to) of at least 8 base64 characters is all digits. Decoding such a run can find
     * nothing that searching the run itself does not, brotli aside: a digit stands for 52-61 (binary 11xxxx), so the
     * first byte of every group decoded is 0xd3 or above, and the other two are never '%', '+' or a backslash
     * ({@code Base64DigitsTest} walks all 10,000 groups, and the 2 and 3 digits a run may end with). The bytes hold
     * no three ASCII characters in a row, so no ASCII form, hash text, url or JSON escape, hex or base64 run; their
     * first byte is no compression magic and no one-byte protobuf key. What is left is a form in another script (a
     * name in UTF-8), and the matcher finds that in the run as one of the form's base64 encodings, at every
     * alignment. About 0.6% of these runs pass the text rule (digits decode to UTF-8 lead and continuation bytes),
     * and each run cost the rule's walk (about 40 ns of the bench's JSON runs of 16+ characters).
     */
    static boolean digits(byte[] text, int from, int to) {
        for (int i = from; ; i += 8) {
            if (Runs.digitMask((long) LONG.get(text, Math.min(i, to - 8))) != HIGHS) {
                return false;
            }
            if (i + 8 >= to) {
                return true;
            }
        }
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Whether the run's bytes parse whole as a protobuf message whose first key is one byte ({@link
     * ProtobufWire#shortKey}): base64 of a message that holds a raw digest (a hashed id, gRPC's {@code -bin} headers,
     * JSON's {@code bytes} fields) or a compressed field has no text to pass the text rule. Read a byte at a time off
     * the characters, as a run that is no message fails within a few bytes.
     */
    static boolean message(byte[] text, int from, int to) {
        if (to - from < 4 || !ProtobufWire.shortKey(group(text, from) >> 16)) {
            return false;
        }
        int chars = to - from;
        int length = chars / 4 * 3 + (chars % 4 == 3 ? 2 : chars % 4 == 2 ? 1 : 0);
        return ProtobufWire.parses(i -> {
            int at = from + i / 3 * 4;
            int v = VALUE[text[at] & 0xff] << 18 | VALUE[text[at + 1] & 0xff] << 12
                    | (at + 2 < to ? VALUE[text[at + 2] & 0xff] << 6 : 0) | (at + 3 < to ? VALUE[text[at + 3] & 0xff] : 0);
            return (byte) (v >> (16 - 8 * (i % 3)));
        }, length);
    }

    /**
     * The {@link Plausible#next3} classes of the three bytes four base64 characters (read as a little-endian int)
     * decode to, off {@link #PAIR_CLASSES}: three reads, where decoding first took four and classing three more
     * (measured 2026-11-25 on the bench generator's JSON runs, one JVM, alternated: the whole check 38 ns -> 26 ns).
     */
    private static int classes(int w) {
        int c0 = w & 0x7f;
        int c1 = w >>> 8 & 0x7f;
        int c2 = w >>> 16 & 0x7f;
        int c3 = w >>> 24 & 0x7f;
        return (PAIR_CLASSES[c0 << 7 | c1] & 0xff) + (PAIR_CLASSES[c1 << 7 | c2] >> 8 & 0x1f)
                + (PAIR_CLASSES[c2 << 7 | c3] >> 13);
    }

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * By two base64 characters c and d (index c << 7 | d; every base64 character is below 0x80): each byte of a group
     * is decided by two neighbouring characters, the first by characters 0 and 1 (its {@link Plausible#classOf} times
     * 36 in bits 0-7), the second by 1 and 2 (times 6, bits 8-12), the third by 2 and 3 (bits 13-15). Only the
     * entries of characters' pairs are read; the table is 32 KB, of which a run of digits and hex letters (JSON's
     * numbers and ids) touches about 2 KB.
     */
    private static final char[] PAIR_CLASSES = new char[1 << 14];

    static {
        for (int c = 0; c < 128; c++) {
            for (int d = 0; d < 128; d++) {
                int v = VALUE[c];
                int w = VALUE[d];
                if (v >= 0 && w >= 0) {
                    PAIR_CLASSES[c << 7 | d] = (char) (Plausible.classOf(v << 2 | w >> 4) * 36
                            | Plausible.classOf((v & 0xf) << 4 | w >> 2) * 6 << 8
                            | Plausible.classOf((v & 3) << 6 | w) << 13);
                }
            }
        }
    }

    /** The 24 bits of the 4 base64 characters at {@code i}, first character highest. */
    private static int group(byte[] text, int i) {
        return VALUE[text[i] & 0xff] << 18 | VALUE[text[i + 1] & 0xff] << 12 | VALUE[text[i + 2] & 0xff] << 6
                | VALUE[text[i + 3] & 0xff];
    }

    /** The bytes of the base64 characters [from, to), which must all be in the alphabet, unpadded. */
    static byte[] decode(byte[] text, int from, int to) {
        int chars = to - from;
        int full = chars / 4;
        int rest = chars % 4;
        byte[] out = new byte[full * 3 + (rest == 2 ? 1 : rest == 3 ? 2 : 0)];
        int o = 0;
        int i = from;
        for (int g = 0; g < full; g++, i += 4) {
            int v = VALUE[text[i] & 0xff] << 18 | VALUE[text[i + 1] & 0xff] << 12 | VALUE[text[i + 2] & 0xff] << 6
                    | VALUE[text[i + 3] & 0xff];
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
        }
        if (rest >= 2) {
            int v = VALUE[text[i] & 0xff] << 18 | VALUE[text[i + 1] & 0xff] << 12
                    | (rest == 3 ? VALUE[text[i + 2] & 0xff] << 6 : 0);
            out[o++] = (byte) (v >> 16);
            if (rest == 3) {
                out[o] = (byte) (v >> 8);
            }
        }
        return out;
    }

    /**
     * @param alignment    the value's first byte within its 3-byte group
     * @param leadingChars characters of the group before the pattern (they mix in bits of the preceding bytes)
     */
    record EncodedForm(byte[] text, int alignment, int leadingChars) {
    }
}
