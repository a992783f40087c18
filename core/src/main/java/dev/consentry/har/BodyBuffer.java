package dev.consentry.har;

import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * One HAR body's text, taken from the parser once and reused from body to body. A HAR body is a JSON string, either
 * the body as text (UTF-8) or its base64; whether it is which is often said only after it ({@code "encoding"} follows
 * {@code "text"} in mitmproxy's, browsers' and our own files), so the text is held until its object closes.
 *
 * <p>Jackson hands the string over in its own chunks ({@link JsonParser#getText(Writer)}), never as a String. Text
 * that is all ASCII, as base64 always is, is kept one byte per character: that is already its UTF-8 and what the
 * base64 decoder reads, so a text body costs one copy and a base64 body one decoding pass ({@link PlainBase64} for
 * the common shape, java.util.Base64 for the rest). Text with any other character is kept as characters and decoded
 * exactly as a String of it would be. The characters are narrowed to bytes by the JDK's US-ASCII encoder, whose
 * intrinsic takes many at a time (about 8x the loop it replaced, which tested each character twice, in a
 * micro-benchmark).
 */
final class BodyBuffer extends Writer {
    /** Buffers grown past this for one huge body are let go after it, so they are not held for the whole file. */
    private static final int KEEP = 8 << 20;

    private final CharsetEncoder ascii = StandardCharsets.US_ASCII.newEncoder();
    private byte[] bytes = new byte[16 * 1024];
    private char[] chars;
    private int len;
    /** Some character is not ASCII: the text is in {@link #chars}, not {@link #bytes}. */
    private boolean wide;

    /** Takes the string value the parser is at. */
    void fill(JsonParser p) throws IOException {
        len = 0;
        wide = false;
        chars = null;
        int n = p.getTextLength();
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length + (bytes.length >> 1))];
        }
        p.getText(this);
    }

    @Override
    public void write(char[] c, int off, int n) {
        if (wide) {
            appendWide(c, off, n);
            return;
        }
        if (bytes.length - len < n) {
            bytes = Arrays.copyOf(bytes, Math.max(len + n, bytes.length * 2));
        }
        int i = off;
        int end = off + n;
        if (n >= 16) {
            // The JDK's ASCII encoder narrows with a vectorized intrinsic; it stops at the first other character.
            CharBuffer in = CharBuffer.wrap(c, off, n);
            ascii.reset();
            ascii.encode(in, ByteBuffer.wrap(bytes, len, n), false);
            i = in.position();
            len += i - off;
        }
        byte[] b = bytes;
        int l = len;
        for (; i < end; i++) {
            char ch = c[i];
            if (ch >= 0x80) {
                len = l;
                widen();
                appendWide(c, i, end - i);
                return;
            }
            b[l++] = (byte) ch;
        }
        len = l;
    }

    private void widen() {
        chars = new char[Math.max(bytes.length, 1024)];
        for (int i = 0; i < len; i++) {
            chars[i] = (char) bytes[i];
        }
        wide = true;
    }

    private void appendWide(char[] c, int off, int n) {
        if (chars.length - len < n) {
            chars = Arrays.copyOf(chars, Math.max(len + n, chars.length * 2));
        }
        System.arraycopy(c, off, chars, len, n);
        len += n;
    }

    /** The text as UTF-8. */
    byte[] utf8() {
        return wide ? new String(chars, 0, len).getBytes(StandardCharsets.UTF_8) : Arrays.copyOf(bytes, len);
    }

    /**
     * The text as base64, standard or URL-safe alphabet, padded or not. Whitespace is skipped (some tools wrap
     * lines); any other character outside the alphabet makes it invalid, not skipped.
     *
     * @param path the field, for the error
     */
    byte[] base64(String path) {
        try {
            if (wide) {
                return decode(new String(chars, 0, len));
            }
            byte[] plain = PlainBase64.decode(bytes, len);
            if (plain != null) {
                return plain;
            }
            // Whatever the fast path leaves (URL-safe, whitespace, odd padding, invalid) is decided as it always was.
            int n = stripWhitespace();
            try {
                return exact(Base64.getDecoder().decode(ByteBuffer.wrap(bytes, 0, n)));
            } catch (IllegalArgumentException ex) {
                try {
                    return exact(Base64.getUrlDecoder().decode(ByteBuffer.wrap(bytes, 0, n)));
                } catch (IllegalArgumentException ignored) {
                    throw ex;
                }
            }
        } catch (IllegalArgumentException ex) {
            throw new EntryParser.BadField(path, "invalid base64: " + ex.getMessage());
        }
    }

    /** Non-ASCII text: never valid base64, but it is reported with the message it always had. */
    private static byte[] decode(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> b.append((char) c));
        String compact = b.toString();
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException ex) {
            try {
                return Base64.getUrlDecoder().decode(compact);
            } catch (IllegalArgumentException ignored) {
                throw ex;
            }
        }
    }

    /** Drops whitespace (as Character.isWhitespace has it, ASCII being all there is here) in place; the new length. */
    private int stripWhitespace() {
        byte[] b = bytes;
        int w = 0;
        for (int r = 0; r < len; r++) {
            byte c = b[r];
            if (!Character.isWhitespace(c)) {
                b[w++] = c;
            }
        }
        return w;
    }

    /** The decoder's result, which for valid input fills its array exactly. */
    private static byte[] exact(ByteBuffer decoded) {
        byte[] a = decoded.array();
        return decoded.arrayOffset() == 0 && decoded.position() == 0 && decoded.limit() == a.length
                ? a : Arrays.copyOfRange(a, decoded.arrayOffset() + decoded.position(),
                decoded.arrayOffset() + decoded.limit());
    }

    /** After each body: a buffer grown for a huge one is let go. */
    void release() {
        if (bytes.length > KEEP) {
            bytes = new byte[16 * 1024];
        }
        chars = null;
        len = 0;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
