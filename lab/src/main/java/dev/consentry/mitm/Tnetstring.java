package dev.consentry.mitm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads tnetstrings as mitmproxy's flow files hold them ({@code mitmproxy/io/tnetstring.py}): one top-level value
 * after another, each {@code LENGTH ":" DATA TYPE}, TYPE one of {@code , ; # ^ ! ~ ] }}. Values: byte strings as
 * {@code byte[]}, text as {@link String}, integers as {@link Long}, floats as {@link Double}, booleans, null as Java
 * {@code null}, lists as {@link List}, dictionaries as {@link Map} (insertion-ordered).
 *
 * <p>It accepts only what mitmproxy's parser reads to the very same value, and nothing it is unsure of: where Python
 * is lenient ({@code int(b" +1_0")}, {@code float(b"inf")}, byte-string keys, a repeated key, which Python resolves
 * silently) this reader refuses, so that a caller can hand such a flow to mitmproxy itself. Every refusal is a
 * {@link TnetstringException} naming the input and the byte offset.
 */
final class Tnetstring {
    /** Python's reader stops at 12 digits of top-level length ("absurdly large length prefix"). */
    private static final int MAX_LENGTH_DIGITS = 12;
    /** Nesting Python's recursive parser handles (its limit is about 1000 frames); deeper is refused here. */
    static final int MAX_DEPTH = 64;

    private final InputStream in;
    private final String name;
    private final long maxValueBytes;
    private long position;
    private long valueStart;

    /**
     * @param name          the input's name for error messages (the file)
     * @param maxValueBytes a top-level value longer than this is refused before it is read (bounded memory)
     */
    Tnetstring(InputStream in, String name, long maxValueBytes) {
        this.in = in;
        this.name = name;
        this.maxValueBytes = maxValueBytes;
    }

    /** Where the value last returned (or refused) by {@link #next()} starts in the input. */
    long valueStart() {
        return valueStart;
    }

    /** Is the input at its end, exactly between two values? (Python's "not a tnetstring: empty file".) */
    private static final Object END = new Object();

    /**
     * @return the next top-level value, or {@link #end()} at the end of the input (only exactly between values)
     * @throws TnetstringException when the bytes from {@link #valueStart()} are not a value this reader accepts
     *                             (the position is unspecified afterwards)
     */
    Object next() throws IOException {
        valueStart = position;
        int c = in.read();
        if (c < 0) {
            return END;
        }
        position++;
        long length = 0;
        int digits = 0;
        while (c >= '0' && c <= '9') {
            if (++digits > MAX_LENGTH_DIGITS) {
                throw error(valueStart, "length prefix longer than " + MAX_LENGTH_DIGITS + " digits");
            }
            length = length * 10 + (c - '0');
            c = in.read();
            if (c < 0) {
                throw error(position, "cut off in the length prefix");
            }
            position++;
        }
        if (c != ':' || digits == 0) {
            throw error(position - 1, "missing or invalid length prefix");
        }
        if (length > maxValueBytes) {
            throw error(valueStart, "value of " + length + " bytes, more than the " + maxValueBytes
                    + " read here");
        }
        byte[] data = in.readNBytes((int) length);
        position += data.length;
        if (data.length < length) {
            throw error(position, "cut off: " + length + " bytes announced, " + data.length + " left");
        }
        int type = in.read();
        if (type < 0) {
            throw error(position, "cut off before the type byte");
        }
        position++;
        return parse(data, 0, data.length, type, valueStart + digits + 1, 0);
    }

    /** The value {@link #next()} returns at the end of the input. */
    static Object end() {
        return END;
    }

    /** Parses one whole value held in {@code data} (for tests and nested use). */
    static Object parseAll(byte[] data, String name) {
        Tnetstring t = new Tnetstring(InputStream.nullInputStream(), name, Long.MAX_VALUE);
        int[] end = new int[1];
        Object v = t.pop(data, 0, data.length, 0, 0, end);
        if (end[0] != data.length) {
            throw t.error(end[0], "trailing bytes after the value");
        }
        return v;
    }

    /**
     * One value starting at {@code from} (its length prefix) within {@code data[from, to)}; {@code end[0]} is set to
     * the index after its type byte. {@code base} is the input offset of {@code data[0]}.
     */
    private Object pop(byte[] data, int from, int to, long base, int depth, int[] end) {
        int i = from;
        long length = 0;
        int digits = 0;
        while (i < to && data[i] >= '0' && data[i] <= '9') {
            if (++digits > 10) {
                throw error(base + from, "length prefix longer than 10 digits");
            }
            length = length * 10 + (data[i] - '0');
            i++;
        }
        if (i >= to || data[i] != ':' || digits == 0) {
            throw error(base + i, "missing or invalid length prefix");
        }
        int start = i + 1;
        if (length >= to - start) { // the type byte must follow within the enclosing value
            throw error(base + from, "length " + length + " runs past the enclosing value");
        }
        int stop = start + (int) length;
        end[0] = stop + 1;
        return parse(data, start, stop, data[stop] & 0xFF, base, depth);
    }

    private Object parse(byte[] data, int from, int to, int type, long base, int depth) {
        switch (type) {
            case ',':
                return java.util.Arrays.copyOfRange(data, from, to);
            case ';':
                return utf8(data, from, to, base);
            case '#':
                return integer(data, from, to, base);
            case '^':
                return floating(data, from, to, base);
            case '!':
                if (is(data, from, to, "true")) {
                    return Boolean.TRUE;
                }
                if (is(data, from, to, "false")) {
                    return Boolean.FALSE;
                }
                throw error(base + from, "invalid boolean literal");
            case '~':
                if (to != from) {
                    throw error(base + from, "invalid null literal");
                }
                return null;
            case ']': {
                checkDepth(depth, base + from);
                List<Object> list = new ArrayList<>();
                int[] end = new int[1];
                int i = from;
                while (i < to) {
                    list.add(pop(data, i, to, base, depth + 1, end));
                    i = end[0];
                }
                return list;
            }
            case '}': {
                checkDepth(depth, base + from);
                Map<String, Object> map = new LinkedHashMap<>();
                int[] end = new int[1];
                int i = from;
                while (i < to) {
                    long keyAt = base + i;
                    Object key = pop(data, i, to, base, depth + 1, end);
                    i = end[0];
                    if (!(key instanceof String k)) {
                        throw error(keyAt, "dictionary key is not text");
                    }
                    if (i >= to) {
                        throw error(base + i, "dictionary key without a value");
                    }
                    Object value = pop(data, i, to, base, depth + 1, end);
                    i = end[0];
                    if (map.containsKey(k)) {
                        throw error(keyAt, "repeated dictionary key '" + k + "'");
                    }
                    map.put(k, value);
                }
                return map;
            }
            default:
                throw error(base + to, "unknown type byte " + type);
        }
    }

    private void checkDepth(int depth, long at) {
        if (depth >= MAX_DEPTH) {
            throw error(at, "nested deeper than " + MAX_DEPTH);
        }
    }

    private String utf8(byte[] data, int from, int to, long base) {
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (data[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw error(base + from, "text is not UTF-8");
        }
    }

    /** {@code -?[0-9]{1,18}}: what Python's int() reads to the same number, and fits a long. */
    private Long integer(byte[] data, int from, int to, long base) {
        int i = from;
        boolean negative = i < to && data[i] == '-';
        if (negative) {
            i++;
        }
        if (i == to || to - i > 18) {
            throw error(base + from, "integer literal not read here");
        }
        long v = 0;
        for (; i < to; i++) {
            int d = data[i] - '0';
            if (d < 0 || d > 9) {
                throw error(base + from, "integer literal not read here");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** {@code -?[0-9]+(.[0-9]+)?([eE][-+]?[0-9]+)?}, finite: read the same (correctly rounded) by Python and Java. */
    private Double floating(byte[] data, int from, int to, long base) {
        int i = from;
        if (i < to && data[i] == '-') {
            i++;
        }
        int digits = digits(data, i, to);
        boolean ok = digits > 0;
        i += digits;
        if (ok && i < to && data[i] == '.') {
            digits = digits(data, i + 1, to);
            ok = digits > 0;
            i += 1 + digits;
        }
        if (ok && i < to && (data[i] == 'e' || data[i] == 'E')) {
            i++;
            if (i < to && (data[i] == '-' || data[i] == '+')) {
                i++;
            }
            digits = digits(data, i, to);
            ok = digits > 0 && digits < 6;
            i += digits;
        }
        if (!ok || i != to || to - from > 64) {
            throw error(base + from, "float literal not read here");
        }
        double d = Double.parseDouble(new String(data, from, to - from, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(d)) {
            throw error(base + from, "float literal out of range");
        }
        return d;
    }

    private static int digits(byte[] data, int from, int to) {
        int i = from;
        while (i < to && data[i] >= '0' && data[i] <= '9') {
            i++;
        }
        return i - from;
    }

    private static boolean is(byte[] data, int from, int to, String literal) {
        if (to - from != literal.length()) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            if (data[from + i] != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private TnetstringException error(long offset, String problem) {
        return new TnetstringException(name + ": byte " + offset + ": " + problem, offset);
    }

    /** The input is not a tnetstring this reader accepts (damaged, cut off, or outside what it reads for certain). */
    static final class TnetstringException extends RuntimeException {
        private final long offset;

        TnetstringException(String message, long offset) {
            super(message);
            this.offset = offset;
        }

        long offset() {
            return offset;
        }
    }
}
