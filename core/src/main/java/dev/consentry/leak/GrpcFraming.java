package dev.consentry.leak;

import dev.consentry.capture.HttpRequestData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A gRPC request body (Content-Type {@code application/grpc} or {@code application/grpc-web}, with or without
 * {@code +proto}): length-prefixed messages back to back, each a flag byte (bit 0: compressed with the coding the
 * {@code grpc-encoding} header names; bit 7: gRPC-Web's trailers), a 4-byte big-endian length and the message. This is
 * how protobuf travels over HTTP/2 on Android (Google Play services, Firebase). Undivided, the body starts with a flag
 * and a length where a protobuf message would start with a key, so its fields were never taken apart (raw digests in
 * {@code bytes} fields, compressed fields) and a compressed message was never decompressed.
 *
 * <p>The framing is the request's structure, not an encoding a sender applies to data, so each message is searched as
 * the body (location {@code body}), a compressed one as a body declaring the grpc-encoding, and takes none of the three
 * layers. Its damage is said of the message ("gRPC message 2 of 3: gzip stream is cut short ..."). Bytes the framing
 * does not account for (a body cut short mid-message) are searched as they are.
 */
final class GrpcFraming {
    private static final int PREFIX = 5;
    private static final int COMPRESSED = 0x01;
    private static final int TRAILERS = 0x80;

    private GrpcFraming() {
    }

    /**
     * The body's messages as places to search, or empty when the request is not gRPC or its body does not start with a
     * whole message (then it is searched whole, as any body).
     */
    static List<ScanTarget> messages(HttpRequestData request, String location) {
        if (!isGrpc(request) || !ContentCoding.declared(request.headers()).isBlank()) {
            return List.of(); // an HTTP-level coding over the framing: searched as any coded body
        }
        String coding = request.header("grpc-encoding").map(String::strip).orElse("");
        byte[] body = request.body();
        List<byte[]> messages = new ArrayList<>();
        List<Boolean> compressed = new ArrayList<>();
        int at = 0;
        while (at + PREFIX <= body.length) {
            int flag = body[at] & 0xff;
            long length = (body[at + 1] & 0xffL) << 24 | (body[at + 2] & 0xff) << 16 | (body[at + 3] & 0xff) << 8
                    | (body[at + 4] & 0xff);
            if ((flag & ~(COMPRESSED | TRAILERS)) != 0 || at + PREFIX + length > body.length) {
                break;
            }
            int start = at + PREFIX;
            int end = start + (int) length;
            messages.add(Arrays.copyOfRange(body, start, end));
            compressed.add((flag & COMPRESSED) != 0);
            at = end;
        }
        if (messages.isEmpty()) {
            return List.of();
        }
        List<ScanTarget> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String declared = compressed.get(i) ? (coding.isEmpty() ? "identity" : coding) : "";
            out.add(new ScanTarget(location, messages.get(i), declared,
                    "gRPC message " + (i + 1) + " of " + messages.size()));
        }
        if (at < body.length) {
            out.add(new ScanTarget(location, Arrays.copyOfRange(body, at, body.length), "",
                    "the " + (body.length - at) + " bytes after the last whole gRPC message"));
        }
        return out;
    }

    private static boolean isGrpc(HttpRequestData request) {
        String type = request.header("content-type").map(t -> t.strip().toLowerCase(Locale.ROOT)).orElse("");
        return type.startsWith("application/grpc") && !type.startsWith("application/grpc-web-text");
    }
}
