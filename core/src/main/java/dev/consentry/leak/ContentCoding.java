package dev.consentry.leak;

import dev.consentry.capture.HttpHeader;

import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** A request's declared Content-Encoding, as the engine reads it, for readers that must judge a recorded body by it. */
public final class ContentCoding {
    /** Enough output to tell a stream from text read as one; a real stream's damage further on is the engine's. */
    private static final int PROBE = 64 * 1024;

    private ContentCoding() {
    }

    /** Every Content-Encoding field in order, as one list: a sender may send a field per coding (RFC 9110 5.3). */
    public static String declared(List<HttpHeader> headers) {
        StringBuilder codings = new StringBuilder();
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase("Content-Encoding")) {
                codings.append(codings.isEmpty() ? "" : ", ").append(h.value());
            }
        }
        return codings.toString();
    }

    /**
     * Whether {@code body} is in the last-applied coding {@code declared} names, as the engine would undo it: gzip and
     * zstd by their magic bytes (a damaged stream still carries them), deflate and brotli, which have none or a weak
     * one, by decoding the first 64 KB without an error. True when nothing or a coding the engine does not undo is
     * declared: then there is nothing to judge.
     */
    public static boolean carries(byte[] body, String declared) {
        List<String> codings = InflateDecoder.codings(declared);
        if (codings.isEmpty()) {
            return true;
        }
        return switch (codings.get(codings.size() - 1)) {
            case InflateDecoder.GZIP -> body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
            case InflateDecoder.ZSTD -> Zstd.startsFrame(body);
            case InflateDecoder.DEFLATE -> inflates(body);
            case "br" -> Brotli.decodeDeclared(body, PROBE).damage().isEmpty();
            default -> true;
        };
    }

    /** zlib when its header says so, else raw deflate (as InflateDecoder reads "deflate"). */
    private static boolean inflates(byte[] body) {
        boolean zlib = body.length >= 2 && (body[0] & 0x0f) == 8
                && ((body[0] & 0xff) << 8 | (body[1] & 0xff)) % 31 == 0;
        Inflater inflater = new Inflater(!zlib);
        try {
            inflater.setInput(body);
            byte[] out = new byte[PROBE];
            int total = 0;
            while (total < PROBE && !inflater.finished()) {
                int n = inflater.inflate(out, total, PROBE - total);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                total += n;
            }
            // Text read as raw deflate decodes garbage for a while before it errs, runs out, or meets an end of
            // block early: only a stream that ends where the body does, or yields the probe's worth, is one.
            return (inflater.finished() && inflater.getRemaining() == 0) || total >= PROBE;
        } catch (DataFormatException e) {
            return false;
        } finally {
            inflater.end();
        }
    }
}
