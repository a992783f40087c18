package dev.consentry.leak;

import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One place in a request a canary can travel, as it was sent.
 *
 * @param location         the Finding location: "url", "header:&lt;lowercased name&gt;", "cookie:&lt;name&gt;", "body"
 * @param declaredEncoding the request's Content-Encoding for the body, "" elsewhere
 */
record ScanTarget(String location, byte[] bytes, String declaredEncoding) {
    static final String URL = "url";
    static final String BODY = "body";

    /** Everything in a request that carries data the handset chose to send. Responses are never scanned. */
    static List<ScanTarget> of(HttpRequestData request) {
        List<ScanTarget> targets = new ArrayList<>();
        targets.add(new ScanTarget(URL, utf8(request.path()), ""));
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
        targets.add(new ScanTarget(BODY, request.body(),
                request.bodyDecoded() ? "" : ContentCoding.declared(request.headers())));
        return targets;
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
