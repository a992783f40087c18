package dev.consentry.leak;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * JSON string escapes undone wherever they occur ("\u0038\u0036" for "86", "\/" for "/"). Works on the bytes rather
 * than parsing JSON, so truncated or invalid documents still decode and nothing here can throw on bad input.
 */
final class JsonUnescaper implements TextDecoder {
    static final String NAME = "json";

    @Override
    public void decode(View view, Consumer<View> out) {
        if ((view.escapes() & Bytes.BACKSLASH) == 0) {
            return; // known from the url decoder's pass over the same bytes, most of the time
        }
        unescape(view.data(), (decoded, dirty) -> out.accept(view.child(NAME, decoded, dirty)));
    }

    @FunctionalInterface
    interface Sink {
        /** @param dirty ascending positions of the bytes that came out of an escape */
        void unescaped(byte[] decoded, int[] dirty);
    }

    /** Emits the unescaped bytes, or nothing when there was no escape to undo. */
    static void unescape(byte[] in, Sink sink) {
        int firstBackslash = Bytes.indexOfEither(in, 0, (byte) '\\', (byte) '\\');
        if (firstBackslash < 0) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, firstBackslash);
        boolean changed = false;
        IntList dirty = new IntList();
        int i = firstBackslash;
        while (i < in.length) {
            byte b = in[i];
            if (b != '\\' || i + 1 >= in.length) {
                out.write(b);
                i++;
                continue;
            }
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
            if (simple >= 0) {
                dirty.add(out.size());
                out.write(simple);
                i += 2;
                changed = true;
                continue;
            }
            int cp = e == 'u' ? hex4(in, i + 2) : -1;
            if (cp < 0) {
                out.write(b);
                i++;
                continue;
            }
            int consumed = 6;
            if (Character.isHighSurrogate((char) cp) && in.length > i + 7 && in[i + 6] == '\\' && in[i + 7] == 'u') {
                int low = hex4(in, i + 8);
                if (low >= 0 && Character.isLowSurrogate((char) low)) {
                    cp = Character.toCodePoint((char) cp, (char) low);
                    consumed = 12;
                }
            }
            // A lone surrogate has no UTF-8 form; String's encoder writes '?' for it, which is as good as anything.
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k < utf8.length; k++) {
                dirty.add(out.size() + k);
            }
            out.writeBytes(utf8);
            i += consumed;
            changed = true;
        }
        if (changed) {
            sink.unescaped(out.toByteArray(), dirty.toArray());
        }
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
