package dev.consentry.redact;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Redacts a body in its own encoding: gzip and deflate bodies are opened, redacted as text and closed again the same
 * way, so the HAR still shows a gzip body where the handset sent one. Bodies that are not UTF-8 text (images,
 * protobuf) and bodies that do not open are returned as they were.
 */
final class Bodies {
    private static final int MAX_INFLATED = 16 * 1024 * 1024;

    private Bodies() {
    }

    static byte[] redact(byte[] body, String contentEncoding, Function<String, String> text) {
        if (body.length == 0) {
            return body;
        }
        String enc = contentEncoding.toLowerCase(Locale.ROOT).strip();
        try {
            byte[] plain = switch (enc) {
                case "", "identity" -> body;
                case "gzip", "x-gzip" -> read(new GZIPInputStream(new ByteArrayInputStream(body)));
                case "deflate" -> read(new InflaterInputStream(new ByteArrayInputStream(body)));
                default -> null;
            };
            if (plain == null) {
                return body;
            }
            String before = utf8(plain);
            if (before == null) {
                return body;
            }
            String after = text.apply(before);
            if (after.equals(before)) {
                return body;
            }
            byte[] out = after.getBytes(StandardCharsets.UTF_8);
            return switch (enc) {
                case "gzip", "x-gzip" -> write(out, GZIPOutputStream::new);
                case "deflate" -> write(out, DeflaterOutputStream::new);
                default -> out;
            };
        } catch (IOException e) {
            return body;
        }
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            byte[] b = in.readNBytes(MAX_INFLATED + 1);
            if (b.length > MAX_INFLATED) {
                throw new IOException("inflates beyond " + MAX_INFLATED + " bytes");
            }
            return b;
        }
    }

    private interface Wrap {
        OutputStream on(OutputStream out) throws IOException;
    }

    private static byte[] write(byte[] data, Wrap wrap) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = wrap.on(bytes)) {
            out.write(data);
        }
        return Arrays.copyOf(bytes.toByteArray(), bytes.size());
    }
}
