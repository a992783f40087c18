package dev.consentry.profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A YAML file's text (profiles, policies, canaries), where bytes that are not UTF-8 are an error naming their line and
 * column: Java's own message for them is "Input length = 1", which names neither the file nor the place (a value
 * pasted from a document saved as Latin-1 or UTF-16 is the usual cause).
 */
public final class Utf8File {
    private Utf8File() {
    }

    /** The file's text; a byte order mark, which editors on Windows write, is dropped. */
    public static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new NotUtf8(bytes, in.position());
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Bytes that are not UTF-8; the message is "line:column: ..." for the caller to put after the file name. */
    public static final class NotUtf8 extends IOException {
        NotUtf8(byte[] bytes, int offset) {
            super(where(bytes, offset) + ": not UTF-8 text (byte 0x" + String.format("%02x", bytes[offset] & 0xff)
                    + " at offset " + offset + "): a YAML file must be UTF-8");
        }

        /** Line and column as YAML's messages count them: the column in characters, not bytes. */
        private static String where(byte[] bytes, int offset) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8).length() + 1;
            return line + ":" + column;
        }
    }
}
