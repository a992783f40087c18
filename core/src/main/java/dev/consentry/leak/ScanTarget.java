package dev.consentry.leak;

import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One place in a request a canary can travel, as it was sent: what the engine searches, and what the report's evidence
 * replays a finding from.
 *
 * @param location         the Finding location: "url", "host", "header:&lt;lowercased name&gt;", "cookie:&lt;name&gt;",
 *                         "body" (a gRPC body: one per message, see {@link GrpcFraming})
 * @param declaredEncoding the request's Content-Encoding for the body (a compressed gRPC message's grpc-encoding), ""
 *                         elsewhere
 * @param part             which part of the location this is, where it has several ("gRPC message 2 of 3"), else "":
 *                         what was damaged is said of that part
 */
public record ScanTarget(String location, byte[] bytes, String declaredEncoding, String part) {
    public ScanTarget(String location, byte[] bytes, String declaredEncoding) {
        this(location, bytes, declaredEncoding, "");
    }

    static final String URL = "url";
    static final String BODY = "body";
    static final String HOST = "host";
    /**
     * The location of what a handset sent on a WebSocket: not a place in the request, but given to {@link
     * LeakDetector#inspectMessage} by whoever has the messages (a flow file, a HAR's frames).
     */
    public static final String WEBSOCKET = "websocket";

    /** Everything in a request that carries data the handset chose to send. Responses are never scanned. */
    public static List<ScanTarget> of(HttpRequestData request) {
        List<ScanTarget> targets = new ArrayList<>();
        targets.add(new ScanTarget(URL, utf8(request.path()), ""));
        if (!request.host().isEmpty() && !hostHeaderNames(request)) {
            // HTTP/2 and 3 carry the host in :authority, which mitmproxy keeps out of the headers: an identifier in a
            // host name ("865123045678901.t.example.com") would otherwise go unsearched. HTTP/1.1's Host header
            // names it already, and is searched as a header.
            targets.add(new ScanTarget(HOST, utf8(request.host()), ""));
        }
        List<ScanTarget> cookies = new ArrayList<>();
        for (HttpHeader h : request.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                // Scanned per cookie, so the report names the cookie; not again as the whole header line.
                cookies.addAll(cookies(h.value()));
            } else {
                targets.add(new ScanTarget("header:" + name, utf8(h.value()), ""));
            }
        }
        targets.addAll(cookies);
        // A body recorded with its coding already undone (a HAR writer's text) is searched as it is: its
        // Content-Encoding header, still the one sent, is scanned as a header but says nothing of these bytes.
        List<ScanTarget> grpc = request.bodyDecoded() ? List.of() : GrpcFraming.messages(request, BODY);
        if (!grpc.isEmpty()) {
            targets.addAll(grpc);
        } else {
            targets.add(new ScanTarget(BODY, request.body(),
                    request.bodyDecoded() ? "" : ContentCoding.declared(request.headers())));
        }
        return targets;
    }

    /**
     * Whether a Host header names the request's host (its port and case aside), or an :authority one, as browsers'
     * HAR files list HTTP/2's pseudo-headers.
     */
    private static boolean hostHeaderNames(HttpRequestData request) {
        for (HttpHeader h : request.headers()) {
            boolean names = h.name().equalsIgnoreCase("host") || h.name().equals(":authority");
            if (names && h.value().toLowerCase(Locale.ROOT)
                    .contains(request.host().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static List<ScanTarget> cookies(String header) {
        List<ScanTarget> out = new ArrayList<>();
        for (String pair : header.split(";")) {
            String p = pair.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = eq < 0 ? "" : p.substring(0, eq).strip();
            String value = eq < 0 ? p : p.substring(eq + 1).strip();
            out.add(new ScanTarget("cookie:" + name, utf8(value), ""));
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
