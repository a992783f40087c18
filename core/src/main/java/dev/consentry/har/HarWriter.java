package dev.consentry.har;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;
import dev.consentry.capture.SentOnWebSockets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Captured flows as HAR 1.2, for the evidence attached to reports and for any HAR viewer. Bodies are written exactly
 * as sent (a gzip body stays gzip, as base64), because the evidence must show what left the handset, not a cleaned-up
 * version. Consentry's own fields: "_flowId" (mitmproxy's id, also in findings), "_client", "_error". What the handset
 * sent on a WebSocket goes where Chrome's DevTools and HTTP Toolkit put a socket's frames, "_webSocketMessages", so
 * that HAR viewers show it and {@link HarReader} (analyze) searches it again.
 */
public final class HarWriter {
    private static final JsonFactory JSON = new JsonFactory();
    /** log.creator.name, by which HarReader knows a text body here is as sent, not decoded by the writer. */
    static final String CREATOR = "consentry";

    private HarWriter() {
    }

    public static byte[] write(List<CapturedFlow> flows) {
        return write(flows, SentOnWebSockets.NONE);
    }

    public static byte[] write(List<CapturedFlow> flows, SentOnWebSockets sent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(flows, sent, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing HAR into memory", e);
        }
        return out.toByteArray();
    }

    public static void write(List<CapturedFlow> flows, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(flows, out);
        }
    }

    /** Writes to {@code out} and leaves it open. */
    public static void write(List<CapturedFlow> flows, OutputStream out) throws IOException {
        write(flows, SentOnWebSockets.NONE, out);
    }

    /** As {@link #write(List, OutputStream)}, with the messages each WebSocket flow sent. */
    public static void write(List<CapturedFlow> flows, SentOnWebSockets sent, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("log");
            g.writeStringField("version", "1.2");
            g.writeObjectFieldStart("creator");
            g.writeStringField("name", CREATOR);
            g.writeStringField("version", "0.1");
            g.writeEndObject();
            g.writeArrayFieldStart("entries");
            for (CapturedFlow f : flows) {
                entry(g, f, sent);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void entry(JsonGenerator g, CapturedFlow f, SentOnWebSockets sent) throws IOException {
        HttpRequestData req = f.request();
        g.writeStartObject();
        g.writeStringField("startedDateTime", f.started().toString());
        g.writeNumberField("time", 0);
        g.writeObjectFieldStart("request");
        g.writeStringField("method", req.method());
        g.writeStringField("url", url(req));
        g.writeStringField("httpVersion", req.httpVersion() == null ? "" : req.httpVersion());
        g.writeArrayFieldStart("cookies");
        for (HttpHeader h : req.headers()) {
            if (h.name().equalsIgnoreCase("cookie")) {
                for (String pair : h.value().split(";")) {
                    String p = pair.strip();
                    if (!p.isEmpty()) {
                        int eq = p.indexOf('=');
                        nameValue(g, eq < 0 ? "" : p.substring(0, eq), eq < 0 ? p : p.substring(eq + 1));
                    }
                }
            }
        }
        g.writeEndArray();
        headers(g, req.headers());
        g.writeArrayFieldStart("queryString");
        int q = req.path().indexOf('?');
        if (q >= 0) {
            for (String pair : req.path().substring(q + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    nameValue(g, decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        g.writeEndArray();
        byte[] body = req.body();
        if (body.length > 0) {
            g.writeObjectFieldStart("postData");
            g.writeStringField("mimeType", req.header("Content-Type").orElse(""));
            text(g, body);
            g.writeEndObject();
        }
        g.writeNumberField("headersSize", -1);
        g.writeNumberField("bodySize", body.length);
        g.writeEndObject();

        g.writeObjectFieldStart("response");
        Optional<HttpResponseData> response = f.response();
        if (response.isPresent()) {
            HttpResponseData r = response.get();
            byte[] rb = r.body();
            g.writeNumberField("status", r.status());
            g.writeStringField("statusText", r.reason() == null ? "" : r.reason());
            g.writeStringField("httpVersion", req.httpVersion() == null ? "" : req.httpVersion());
            g.writeArrayFieldStart("cookies");
            g.writeEndArray();
            headers(g, r.headers());
            g.writeObjectFieldStart("content");
            g.writeNumberField("size", rb.length);
            g.writeStringField("mimeType", header(r.headers(), "Content-Type"));
            text(g, rb);
            g.writeEndObject();
            g.writeStringField("redirectURL", header(r.headers(), "Location"));
            g.writeNumberField("headersSize", -1);
            g.writeNumberField("bodySize", rb.length);
        } else {
            // HAR has no entry without a response; status 0 is what browsers write for requests that got none.
            g.writeNumberField("status", 0);
            g.writeStringField("statusText", "");
            g.writeStringField("httpVersion", "");
            g.writeArrayFieldStart("cookies");
            g.writeEndArray();
            g.writeArrayFieldStart("headers");
            g.writeEndArray();
            g.writeObjectFieldStart("content");
            g.writeNumberField("size", 0);
            g.writeStringField("mimeType", "");
            g.writeEndObject();
            g.writeStringField("redirectURL", "");
            g.writeNumberField("headersSize", -1);
            g.writeNumberField("bodySize", -1);
        }
        g.writeEndObject();
        g.writeObjectFieldStart("cache");
        g.writeEndObject();
        g.writeObjectFieldStart("timings");
        g.writeNumberField("send", 0);
        g.writeNumberField("wait", 0);
        g.writeNumberField("receive", 0);
        g.writeEndObject();
        g.writeStringField("_flowId", f.id());
        g.writeStringField("_client", f.client());
        if (f.error().isPresent()) {
            g.writeStringField("_error", f.error().get());
        }
        if (sent.holds(f.id())) {
            webSocketMessages(g, sent.of(f.id()));
        }
        g.writeEndObject();
    }

    /**
     * Chrome's shape: the entry's "_resourceType" is "websocket", and each message {"type": "send", "opcode": 1 (text)
     * or 2 (binary, data in base64), "data": ...}, without the "time" Chrome also writes: the capture keeps no time per
     * message, and one made up would be read as measured.
     */
    private static void webSocketMessages(JsonGenerator g, List<byte[]> messages) throws IOException {
        g.writeStringField("_resourceType", "websocket");
        g.writeArrayFieldStart("_webSocketMessages");
        for (byte[] m : messages) {
            Optional<String> text = Bodies.asText(m);
            g.writeStartObject();
            g.writeStringField("type", "send");
            g.writeNumberField("opcode", text.isPresent() ? 1 : 2);
            g.writeStringField("data", text.orElseGet(() -> Base64.getEncoder().encodeToString(m)));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void text(JsonGenerator g, byte[] body) throws IOException {
        Optional<String> text = Bodies.asText(body);
        if (text.isPresent()) {
            g.writeStringField("text", text.get());
        } else {
            g.writeStringField("text", Base64.getEncoder().encodeToString(body));
            g.writeStringField("encoding", "base64");
        }
    }

    private static void headers(JsonGenerator g, List<HttpHeader> headers) throws IOException {
        g.writeArrayFieldStart("headers");
        for (HttpHeader h : headers) {
            nameValue(g, h.name(), h.value());
        }
        g.writeEndArray();
    }

    private static void nameValue(JsonGenerator g, String name, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("value", value);
        g.writeEndObject();
    }

    private static String header(List<HttpHeader> headers, String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst()
                .orElse("");
    }

    static String url(HttpRequestData req) {
        String host = req.host().contains(":") && !req.host().startsWith("[") ? "[" + req.host() + "]" : req.host();
        boolean defaultPort = ("http".equals(req.scheme()) && req.port() == 80)
                || ("https".equals(req.scheme()) && req.port() == 443);
        String path = req.path().isEmpty() || req.path().startsWith("/") ? req.path() : "/" + req.path();
        return req.scheme() + "://" + host + (defaultPort ? "" : ":" + req.port()) + path;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // malformed escapes: the viewer gets the raw text, the url keeps the truth anyway
        }
    }
}
