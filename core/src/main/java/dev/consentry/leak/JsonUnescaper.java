package dev.consentry.leak;

import java.util.function.Consumer;

/**
 * JSON string escapes undone wherever they occur ("\u0038\u0036" for "86", "\/" for "/"). Works on the bytes rather
 * than parsing JSON, so truncated or invalid documents still decode and nothing here can throw on bad input.
 *
 * <p>A binary string in JSON (JavaScript's strings of char codes 0-255, Python's bytes decoded as latin-1) holds
 * one byte per character: JSON.stringify escapes its controls ("\u005Cu001f") and writes 0x80-0xFF as UTF-8 (C2 8B
 * for 0x8B), Python's ensure_ascii escapes both ("\u005Cu008b"). Read as UTF-8 those bytes are no longer what was
 * sent (a gzip stream's 1f 8b becomes 1f c2 8b), so where a "\u005Cu00XX" escape stands for a control or a byte
 * 0x80-0xFF, a second view reads every character up to U+00FF as that one byte (see {@code latin1} of
 * {@link #unescape(byte[], boolean, Sink, boolean[])}), the rest as UTF-8.
 */
final class JsonUnescaper implements TextDecoder {
    static final String NAME = "json";

    @Override
    public void decode(View view, Consumer<View> out) {
        if ((view.escapes() & Bytes.BACKSLASH) == 0) {
            return; // known from the url decoder's pass over the same bytes, most of the time
        }
        boolean[] binary = {false};
        unescape(view.data(), false, (decoded, dirty) -> out.accept(view.child(NAME, decoded, dirty)), binary);
        if (binary[0]) {
            unescape(view.data(), true, (decoded, dirty) -> out.accept(view.child(NAME, decoded, dirty)), null);
        }
    }

    @FunctionalInterface
    interface Sink {
        /** @param dirty ascending positions of the bytes that came out of an escape, or {@link View#EVERYWHERE} */
        void unescaped(byte[] decoded, int[] dirty);
    }

    /**
     * Emits the unescaped bytes, or nothing when there was no escape to undo. The stretches between backslashes are
     * copied whole (JSON from Android is full of "\\/" in URLs, one every few dozen bytes).
     */
    static void unescape(byte[] in, Sink sink) {
        unescape(in, false, sink, null);
    }

    /**
     * @param latin1 every character up to U+00FF as one byte: those of escapes, and UTF-8's two-byte sequences for
     *               U+0080-U+00FF between them (each a dirty byte)
     * @param binary if not null, its element is set when a "\u005Cu00XX" escape stands for a control other than tab, CR
     *               and LF, or for U+0080-U+00FF: the data may be a binary string, worth a {@code latin1} reading
     */
    static void unescape(byte[] in, boolean latin1, Sink sink, boolean[] binary) {
        int n = in.length;
        byte[] out = null; // never longer than the input: every escape is longer than what it stands for
        DirtyList dirty = null;
        int o = 0;
        int copied = 0; // input before it is in out
        for (int i = Bytes.indexOfEither(in, 0, (byte) '\\', (byte) '\\'); i >= 0 && i + 1 < n;
             i = Bytes.indexOfEither(in, i, (byte) '\\', (byte) '\\')) {
            byte e = in[i + 1];
            int simple = switch (e) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '/' -> '/';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> -1;
            };
            int cp = simple >= 0 ? simple : e == 'u' ? hex4(in, i + 2) : -1;
            if (cp < 0) {
                i++; // a backslash that escapes nothing stays as it is
                continue;
            }
            int consumed = simple >= 0 ? 2 : 6;
            if (simple < 0 && Character.isHighSurrogate((char) cp) && n > i + 7 && in[i + 6] == '\\'
                    && in[i + 7] == 'u') {
                int low = hex4(in, i + 8);
                if (low >= 0 && Character.isLowSurrogate((char) low)) {
                    cp = Character.toCodePoint((char) cp, (char) low);
                    consumed = 12;
                }
            }
            if (out == null) {
                out = new byte[n];
                dirty = new DirtyList(n);
            }
            if (binary != null && consumed == 6 && cp <= 0xff && (cp >= 0x80 || cp < 0x20 && cp != '\t'
                    && cp != '\n' && cp != '\r')) {
                binary[0] = true;
            }
            o = latin1 ? copyLatin1(in, copied, i, out, o, dirty) : copy(in, copied, i, out, o);
            if (latin1 && cp <= 0xff) {
                dirty.add(o);
                out[o++] = (byte) cp;
            } else {
                o = utf8(cp, out, o, dirty);
            }
            i += consumed;
            copied = i;
        }
        if (out != null) {
            o = latin1 ? copyLatin1(in, copied, n, out, o, dirty) : copy(in, copied, n, out, o);
            sink.unescaped(java.util.Arrays.copyOf(out, o), dirty.toArray());
        }
    }

    /** Copies in[from, to) to out at {@code o}; returns the position after it. */
    private static int copy(byte[] in, int from, int to, byte[] out, int o) {
        System.arraycopy(in, from, out, o, to - from);
        return o + to - from;
    }

    /** As {@link #copy}, each UTF-8 sequence for U+0080-U+00FF (C2 or C3, then 80-BF) written as its one byte. */
    private static int copyLatin1(byte[] in, int from, int to, byte[] out, int o, DirtyList dirty) {
        for (int i = from; i < to; i++) {
            int b = in[i] & 0xff;
            if ((b == 0xc2 || b == 0xc3) && i + 1 < to && (in[i + 1] & 0xc0) == 0x80) {
                dirty.add(o);
                out[o++] = (byte) ((b & 0x03) << 6 | in[++i] & 0x3f);
            } else {
                out[o++] = (byte) b;
            }
        }
        return o;
    }

    /**
     * Writes the UTF-8 form of {@code cp} at {@code o}, each byte dirty; a lone surrogate has none and becomes '?'
     * (as String's encoder does). Returns the position after it.
     */
    private static int utf8(int cp, byte[] out, int o, DirtyList dirty) {
        int start = o;
        if (cp < 0x80) {
            out[o++] = (byte) cp;
        } else if (cp < 0x800) {
            out[o++] = (byte) (0xc0 | cp >> 6);
            out[o++] = (byte) (0x80 | cp & 0x3f);
        } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            out[o++] = '?';
        } else if (cp < 0x10000) {
            out[o++] = (byte) (0xe0 | cp >> 12);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
            out[o++] = (byte) (0x80 | cp & 0x3f);
        } else {
            out[o++] = (byte) (0xf0 | cp >> 18);
            out[o++] = (byte) (0x80 | cp >> 12 & 0x3f);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3f);
            out[o++] = (byte) (0x80 | cp & 0x3f);
        }
        for (int k = start; k < o; k++) {
            dirty.add(k);
        }
        return o;
    }

    private static int hex4(byte[] in, int from) {
        if (from + 4 > in.length) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int h = UrlDecoder.hex(in[from + k]);
            if (h < 0) {
                return -1;
            }
            v = v << 4 | h;
        }
        return v;
    }
}
