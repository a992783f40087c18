package dev.consentry.har;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Reads HAR 1.2 as written by {@link HarWriter}, mitmproxy's hardump and browsers. Only what a flow needs is
 * required (startedDateTime, request.method, request.url); every other field may be missing, as it often is.
 */
public final class HarReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HarReader() {
    }

    /** @throws HarException naming the file, and the entry index and field for a malformed entry */
    public static List<CapturedFlow> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HarException(file + ": cannot read: " + e, e);
        }
        return read(bytes, file.toString());
    }

    /** @param source what to call the data in error messages, usually the file name */
    public static List<CapturedFlow> read(byte[] json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
        JsonNode entries = root == null ? null : root.path("log").get("entries");
        if (entries == null || !entries.isArray()) {
            throw new HarException(source + ": not a HAR file: no log.entries array");
        }
        List<CapturedFlow> flows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                flows.add(entry(entries.get(i), i));
            } catch (BadField e) {
                throw new HarException(source + ": entry " + i + ": " + e.getMessage());
            }
        }
        return List.copyOf(flows);
    }

    /** What {@link #stream} hands over for each entry: the flow, or why that entry could not be read. */
    public interface EntrySink {
        void flow(int index, CapturedFlow flow);

        void badEntry(int index, String problem);
    }

    /**
     * Reads the entries one at a time, so a capture of any size costs one entry's memory, and a bad entry is reported
     * to the sink while the next ones are still read.
     *
     * @throws HarException when the file itself is unusable (unreadable, not JSON, no log.entries), naming the file,
     *                      and line:column where the JSON broke; entries before the break have been delivered
     */
    public static void stream(Path file, EntrySink sink) {
        String source = file.toString();
        JsonFactory factory = JsonFactory.builder()
                // A HAR holds bodies as strings; Jackson's default 20 M-char limit would reject a 16 MB upload.
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE - 64).build())
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        try (InputStream in = Files.newInputStream(file); JsonParser p = factory.createParser(in)) {
            p.setCodec(mapper);
            if (p.nextToken() != JsonToken.START_OBJECT || !seek(p, "log") || p.nextToken() != JsonToken.START_OBJECT
                    || !seek(p, "entries") || p.nextToken() != JsonToken.START_ARRAY) {
                throw new HarException(source + ": not a HAR file: no log.entries array");
            }
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JsonNode e = p.readValueAsTree();
                try {
                    sink.flow(index, entry(e, index));
                } catch (BadField ex) {
                    sink.badEntry(index, "entry " + index + ": " + ex.getMessage());
                }
                index++;
            }
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** Moves past fields of the current object up to the value of {@code name}; false if the object has none. */
    private static boolean seek(JsonParser p, String name) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (p.currentName().equals(name)) {
                return true;
            }
            p.nextToken();
            p.skipChildren();
        }
        return false;
    }

    /** A field of one entry is wrong; turned into a HarException that also names file and entry. */
    private static final class BadField extends RuntimeException {
        BadField(String path, String message) {
            super(path + ": " + message, null, false, false);
        }
    }

    private static CapturedFlow entry(JsonNode e, int index) {
        if (!e.isObject()) {
            throw new BadField("entry", "expected an object");
        }
        Instant started = instant(requiredText(e, "startedDateTime", "startedDateTime"));
        JsonNode req = object(e.get("request"), "request", true);
        String method = requiredText(req, "method", "request.method");
        String url = requiredText(req, "url", "request.url");
        Url u = Url.parse(url).orElseThrow(() -> new BadField("request.url",
                "expected an absolute http(s) URL, got \"" + url + "\""));
        String httpVersion = optionalText(req, "httpVersion", "request.httpVersion").filter(v -> !v.isEmpty())
                .orElse("HTTP/1.1");
        List<HttpHeader> headers = headers(req, "request");
        JsonNode cookies = req.get("cookies");
        if (headers.stream().noneMatch(h -> h.name().equalsIgnoreCase("cookie")) && cookies != null
                && cookies.isArray() && !cookies.isEmpty()) {
            // Some browsers list cookies only here; the leak detector looks for them in the Cookie header.
            StringJoiner c = new StringJoiner("; ");
            for (int i = 0; i < cookies.size(); i++) {
                JsonNode ck = object(cookies.get(i), "request.cookies[" + i + "]", true);
                c.add(requiredText(ck, "name", "request.cookies[" + i + "].name") + "="
                        + optionalText(ck, "value", "request.cookies[" + i + "].value").orElse(""));
            }
            headers = new ArrayList<>(headers);
            headers.add(new HttpHeader("Cookie", c.toString()));
        }
        byte[] body = requestBody(object(req.get("postData"), "request.postData", false));
        HttpRequestData request = new HttpRequestData(method, u.scheme(), u.host(), u.port(), u.path(), httpVersion,
                headers, body);

        Optional<String> error = optionalText(e, "_error", "_error");
        Optional<HttpResponseData> response = Optional.empty();
        JsonNode res = object(e.get("response"), "response", false);
        int status = res == null ? 0 : optionalInt(res, "status", "response.status").orElse(0);
        if (status > 0) {
            JsonNode content = object(res.get("content"), "response.content", false);
            byte[] rb = content == null ? new byte[0] : body(content, "response.content");
            response = Optional.of(new HttpResponseData(status,
                    optionalText(res, "statusText", "response.statusText").orElse(""), headers(res, "response"), rb));
        } else if (error.isEmpty()) {
            error = Optional.of("no response recorded");
        }
        String id = optionalText(e, "_flowId", "_flowId").orElse("har-entry-" + index);
        String client = optionalText(e, "_client", "_client").orElse("");
        return new CapturedFlow(id, started, client, request, response, error);
    }

    private static byte[] requestBody(JsonNode postData) {
        if (postData == null) {
            return new byte[0];
        }
        if (postData.hasNonNull("text")) {
            return body(postData, "request.postData");
        }
        JsonNode params = postData.get("params");
        if (params == null || !params.isArray()) {
            return new byte[0];
        }
        // Only params (some browsers for form posts): rebuild the form body, the closest thing to what was sent.
        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i < params.size(); i++) {
            String p = "request.postData.params[" + i + "]";
            JsonNode param = object(params.get(i), p, true);
            form.add(requiredText(param, "name", p + ".name") + "=" + optionalText(param, "value", p + ".value")
                    .orElse(""));
        }
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] body(JsonNode holder, String path) {
        Optional<String> text = optionalText(holder, "text", path + ".text");
        if (text.isEmpty()) {
            return new byte[0];
        }
        String encoding = optionalText(holder, "encoding", path + ".encoding").orElse("");
        if (encoding.isEmpty()) {
            return text.get().getBytes(StandardCharsets.UTF_8);
        }
        if (!encoding.equalsIgnoreCase("base64")) {
            throw new BadField(path + ".encoding", "expected \"base64\" or nothing, got \"" + encoding + "\"");
        }
        // Line breaks are tolerated (some tools wrap); anything else outside the alphabet is an error, not skipped.
        String compact = stripWhitespace(text.get());
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException ex) {
            try {
                return Base64.getUrlDecoder().decode(compact);
            } catch (IllegalArgumentException ignored) {
                throw new BadField(path + ".text", "invalid base64: " + ex.getMessage());
            }
        }
    }

    /** The text without whitespace; the text itself when it has none (the usual case: no copy, no regex). */
    private static String stripWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                StringBuilder b = new StringBuilder(text.length());
                for (int k = 0; k < text.length(); k++) {
                    char c = text.charAt(k);
                    if (!Character.isWhitespace(c)) {
                        b.append(c);
                    }
                }
                return b.toString();
            }
        }
        return text;
    }

    private static List<HttpHeader> headers(JsonNode holder, String path) {
        JsonNode hs = holder.get("headers");
        if (hs == null || hs.isNull()) {
            return List.of();
        }
        if (!hs.isArray()) {
            throw new BadField(path + ".headers", "expected an array");
        }
        List<HttpHeader> out = new ArrayList<>();
        for (int i = 0; i < hs.size(); i++) {
            String p = path + ".headers[" + i + "]";
            JsonNode h = object(hs.get(i), p, true);
            String name = requiredText(h, "name", p + ".name");
            // HTTP/2 pseudo-headers (":path", ":authority") repeat the request line, which the URL already holds.
            if (!name.startsWith(":")) {
                out.add(new HttpHeader(name, optionalText(h, "value", p + ".value").orElse("")));
            }
        }
        return out;
    }

    private static JsonNode object(JsonNode n, String path, boolean required) {
        if (n == null || n.isNull()) {
            if (required) {
                throw new BadField(path, "missing");
            }
            return null;
        }
        if (!n.isObject()) {
            throw new BadField(path, "expected an object, got " + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return n;
    }

    private static String requiredText(JsonNode holder, String field, String path) {
        return optionalText(holder, field, path).orElseThrow(() -> new BadField(path, "missing"));
    }

    private static Optional<String> optionalText(JsonNode holder, String field, String path) {
        JsonNode n = holder.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new BadField(path, "expected a string, got " + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return Optional.of(n.asText());
    }

    private static Optional<Integer> optionalInt(JsonNode holder, String field, String path) {
        JsonNode n = holder.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new BadField(path, "expected an integer, got " + n);
        }
        return Optional.of(n.asInt());
    }

    private static Instant instant(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadField("startedDateTime", "expected an ISO 8601 date-time with offset, got \"" + s + "\"");
        }
    }

    /** An absolute URL split the way a request line and Host header carry it. Lenient: no java.net.URI rules. */
    record Url(String scheme, String host, int port, String path) {
        static Optional<Url> parse(String url) {
            int sep = url.indexOf("://");
            if (sep <= 0) {
                return Optional.empty();
            }
            String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
            String rest = url.substring(sep + 3);
            int end = rest.length();
            for (char c : new char[]{'/', '?', '#'}) {
                int i = rest.indexOf(c);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            String authority = rest.substring(0, end);
            String path = rest.substring(end);
            int hash = path.indexOf('#');
            if (hash >= 0) {
                path = path.substring(0, hash); // fragments never leave the client
            }
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            String host;
            String portText = "";
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) {
                    return Optional.empty();
                }
                host = authority.substring(1, close);
                if (authority.length() > close + 1 && authority.charAt(close + 1) == ':') {
                    portText = authority.substring(close + 2);
                }
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                portText = colon < 0 ? "" : authority.substring(colon + 1);
            }
            if (host.isEmpty()) {
                return Optional.empty();
            }
            int port;
            if (portText.isEmpty()) {
                port = switch (scheme) {
                    case "http", "ws" -> 80;
                    case "https", "wss" -> 443;
                    default -> -1;
                };
            } else if (portText.matches("\\d{1,5}")) {
                port = Integer.parseInt(portText);
            } else {
                return Optional.empty();
            }
            return port < 0 || port > 65535 ? Optional.empty() : Optional.of(new Url(scheme, host, port, path));
        }
    }

    /** Names where the JSON broke (file:line:column) when Jackson knows, else why the file could not be read. */
    private static HarException unreadable(String source, IOException e) {
        if (e instanceof JsonProcessingException j) {
            JsonLocation l = j.getLocation();
            String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
            return new HarException(source + at + ": not JSON: " + j.getOriginalMessage(), e);
        }
        return new HarException(source + ": cannot read: " + e, e);
    }
}
