package dev.consentry.mitm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Turns the addon's JSON lines into typed events. Strict where evidence is concerned: no silent defaults. */
public final class StreamParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 200;

    private StreamParser() {
    }

    public static StreamEvent parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String type = text(n, "type");
            return switch (type) {
                case "hello" -> new StreamEvent.Hello(n.path("v").asInt(), n.path("mitmproxy").asText(""),
                        n.path("pid").asLong(), strings(n.path("listen")), optionalText(n, "sink"));
                case "flow" -> new StreamEvent.Flow(flow(n), optionalText(n, "redirected_to"));
                case "tls_failure" -> new StreamEvent.TlsFailed(new TlsFailure(n.path("client").asText(""),
                        optionalText(n, "sni"), optionalText(n, "host"), n.path("port").asInt(0),
                        instant(n, "time"), n.path("error").asText("")));
                case "bye" -> new StreamEvent.Bye(n.path("flows").asInt(), n.path("tls_failures").asInt(),
                        n.path("lost").asInt());
                default -> new StreamEvent.Unknown(type);
            };
        } catch (Exception e) {
            String excerpt = line.length() > EXCERPT ? line.substring(0, EXCERPT) + "..." : line;
            throw new StreamFormatException("bad stream line (" + e.getMessage() + "): " + excerpt, e);
        }
    }

    static CapturedFlow flow(JsonNode n) {
        JsonNode req = required(n, "request");
        HttpRequestData request = new HttpRequestData(text(req, "method"), text(req, "scheme"), text(req, "host"),
                required(req, "port").asInt(), text(req, "path"), text(req, "http_version"),
                headers(required(req, "headers")), body(req));
        Optional<HttpResponseData> response = present(n, "response").map(r -> new HttpResponseData(
                required(r, "status").asInt(), r.path("reason").asText(""), headers(required(r, "headers")),
                body(r)));
        return new CapturedFlow(text(n, "id"), instant(n, "started"), n.path("client").asText(""), request,
                response, optionalText(n, "error"));
    }

    private static List<HttpHeader> headers(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("headers: expected an array of [name, value]");
        }
        List<HttpHeader> headers = new ArrayList<>(array.size());
        for (JsonNode pair : array) {
            if (!pair.isArray() || pair.size() != 2) {
                throw new IllegalArgumentException("header: expected [name, value], got " + pair);
            }
            headers.add(new HttpHeader(pair.get(0).asText(), pair.get(1).asText()));
        }
        return headers;
    }

    private static byte[] body(JsonNode message) {
        return Base64.getDecoder().decode(message.path("body_b64").asText(""));
    }

    /** Epoch seconds with a fraction, as Python's time.time(); kept to the microsecond. */
    private static Instant instant(JsonNode n, String field) {
        double seconds = required(n, field).asDouble();
        long whole = (long) Math.floor(seconds);
        long micros = Math.round((seconds - whole) * 1_000_000);
        return Instant.ofEpochSecond(whole).plusNanos(micros * 1_000);
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        return required(n, field).asText();
    }

    private static Optional<JsonNode> present(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<String> optionalText(JsonNode n, String field) {
        return present(n, field).map(JsonNode::asText);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
