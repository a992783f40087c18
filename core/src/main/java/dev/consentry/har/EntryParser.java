package dev.consentry.har;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;
import dev.consentry.leak.ContentCoding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Reads one HAR entry token by token from Jackson's parser into a {@link CapturedFlow}, without a JSON tree; shared by
 * the whole-file and the streaming reader. Only what a flow needs is required (startedDateTime, request.method,
 * request.url); every other field may be missing, as it often is.
 *
 * <p>The fields of an entry come in any order, so each value is first kept as read (its text, absent, or the JSON type
 * it wrongly has) and checked once the entry is complete, always in the same order: which problem an entry with
 * several is reported for does not depend on the order of its fields. Bodies are the exception, since they are
 * large: each is copied once from the parser into a buffer reused from entry to entry ({@link BodyBuffer}) and
 * decoded when its object (postData, content) closes, its error, if any, kept until the entry is checked.
 */
final class EntryParser {
    private static final byte[] EMPTY = new byte[0];
    private final BodyBuffer buffer = new BodyBuffer();
    private final boolean responseBodies;
    private final boolean textAsSent;

    /**
     * @param responseBodies false: response.content is skipped unread (the body left empty, never an error)
     * @param textAsSent     the HAR's writer keeps bodies as sent even as text (Consentry's HarWriter): a text
     *                       body is then never taken for one its writer decoded
     */
    EntryParser(boolean responseBodies, boolean textAsSent) {
        this.responseBodies = responseBodies;
        this.textAsSent = textAsSent;
    }

    /** A field of one entry is wrong; turned into a HarException or a bad-entry report that also names the entry. */
    static final class BadField extends RuntimeException {
        private final String path;
        private final String problem;

        BadField(String path, String problem) {
            super(path + ": " + problem, null, false, false);
            this.path = path;
            this.problem = problem;
        }

        /** The field, as "request.postData.params[1].name"; "entry" for the entry itself. */
        String path() {
            return path;
        }

        /** What is wrong with it, as "missing" or "expected a string, got number". */
        String problem() {
            return problem;
        }
    }

    /** A value read with another JSON type than the field takes; {@code type} as the error message names it. */
    private record Wrong(String type) {
    }

    /** response.status that is not a JSON integer in int range; {@code shown} is the value as JSON. */
    private record BadInt(String shown) {
    }

    /** A {"name", "value"} item of headers, cookies or params; each part as read (String, null, or Wrong). */
    private record NameValue(Object name, Object value) {
    }

    /**
     * A body as decoded when its object closed: the bytes, or the problem, raised when the entry is checked.
     *
     * @param text the bytes are the HAR's text itself (no "encoding": "base64") or a form rebuilt from params
     */
    private record Body(byte[] bytes, boolean text, BadField problem) {
        byte[] get() {
            if (problem != null) {
                throw problem;
            }
            return bytes;
        }
    }

    /** One of an entry's _webSocketMessages (Chrome's and HTTP Toolkit's HAR), each part as read. */
    private record WsMessage(Object type, Object opcode, Object data) {
    }

    /** An entry's flow, and what the client sent on its WebSocket (the data of each "send" message), in order. */
    record Parsed(CapturedFlow flow, List<byte[]> sentOnWebSocket) {
    }

    private static final class Entry {
        Object webSocket;
        Object started;
        Object request;
        Object response;
        Object error;
        Object id;
        Object client;
    }

    private static final class Request {
        Object method;
        Object url;
        Object httpVersion;
        Object headers;
        List<Object> cookies;
        Object postData;
    }

    private static final class Response {
        Object status;
        Object statusText;
        Object headers;
        Object content;
    }

    /**
     * Reads the entry the parser is at (its first token) up to its last token, and turns it into a flow.
     *
     * @throws BadField when the entry is wrong; the parser is then past the whole entry, so the next can be read
     */
    CapturedFlow entry(JsonParser p, int index) throws IOException {
        return parse(p, index).flow();
    }

    /** As {@link #entry}, with the messages the client sent when the entry is a WebSocket. */
    Parsed parse(JsonParser p, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new BadField("entry", "expected an object");
        }
        Entry e = new Entry();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "startedDateTime" -> e.started = scalar(p);
                case "request" -> e.request = t == JsonToken.START_OBJECT ? request(p) : other(p);
                case "response" -> e.response = t == JsonToken.START_OBJECT ? response(p) : other(p);
                case "_error" -> e.error = scalar(p);
                case "_flowId" -> e.id = scalar(p);
                case "_client" -> e.client = scalar(p);
                case "_webSocketMessages" -> e.webSocket = t == JsonToken.START_ARRAY ? messages(p) : other(p);
                default -> p.skipChildren();
            }
        }
        return new Parsed(build(e, index), sent(e.webSocket));
    }

    /**
     * The "send" messages of _webSocketMessages: Chrome's DevTools and HTTP Toolkit record a WebSocket's frames
     * there, {"type": "send"|"receive", "opcode": 1 (text) or 2 (binary, data in base64), "data": ...}. Received
     * ones are not leaks; control frames (opcode 8 and up) carry no data a handset chose.
     */
    private static List<byte[]> sent(Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof Wrong w) {
            throw new BadField("_webSocketMessages", "expected an array, got " + w.type());
        }
        List<byte[]> out = new ArrayList<>();
        List<?> messages = (List<?>) raw;
        for (int i = 0; i < messages.size(); i++) {
            String path = "_webSocketMessages[" + i + "]";
            if (!(messages.get(i) instanceof WsMessage m)) {
                Object o = messages.get(i);
                throw new BadField(path, "expected an object, got " + (o == null ? "null" : ((Wrong) o).type()));
            }
            String type = requiredText(m.type(), path + ".type");
            if (!type.equals("send") && !type.equals("receive")) {
                throw new BadField(path + ".type", "expected \"send\" or \"receive\", got \"" + type + "\"");
            }
            if (m.opcode() instanceof BadInt b) {
                throw new BadField(path + ".opcode", "expected an integer, got " + b.shown());
            }
            int opcode = m.opcode() == null ? 1 : (Integer) m.opcode();
            String data = orEmpty(optionalText(m.data(), path + ".data"));
            if (!type.equals("send") || opcode >= 8) {
                continue;
            }
            if (opcode == 2) {
                try {
                    out.add(java.util.Base64.getDecoder().decode(data.strip()));
                } catch (IllegalArgumentException ex) {
                    throw new BadField(path + ".data", "invalid base64 for a binary message: " + ex.getMessage());
                }
            } else {
                out.add(data.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static final String[] MESSAGE_FIELDS = {"type", "opcode", "data"};
    private static final ValueReader[] MESSAGE_READERS = {EntryParser::scalar, EntryParser::integer,
            EntryParser::scalar};

    private static List<Object> messages(JsonParser p) throws IOException {
        return objects(p, MESSAGE_FIELDS, MESSAGE_READERS, v -> new WsMessage(v[0], v[1], v[2]));
    }

    private Request request(JsonParser p) throws IOException {
        Request r = new Request();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "method" -> r.method = scalar(p);
                case "url" -> r.url = scalar(p);
                case "httpVersion" -> r.httpVersion = scalar(p);
                case "headers" -> r.headers = t == JsonToken.START_ARRAY ? nameValues(p) : other(p);
                // Cookies that are not a list are ignored, as they always were: the Cookie header is what counts.
                case "cookies" -> r.cookies = t == JsonToken.START_ARRAY ? nameValues(p) : skip(p);
                case "postData" -> r.postData = t == JsonToken.START_OBJECT ? postData(p) : other(p);
                default -> p.skipChildren();
            }
        }
        return r;
    }

    private Response response(JsonParser p) throws IOException {
        Response r = new Response();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "status" -> r.status = integer(p);
                case "statusText" -> r.statusText = scalar(p);
                case "headers" -> r.headers = t == JsonToken.START_ARRAY ? nameValues(p) : other(p);
                case "content" -> r.content = !responseBodies ? skip(p)
                        : t == JsonToken.START_OBJECT ? content(p) : other(p);
                default -> p.skipChildren();
            }
        }
        return r;
    }

    /** request.postData: the text body decoded, or, when it has no text, a form body rebuilt from its params. */
    private Body postData(JsonParser p) throws IOException {
        Object text = null;
        Object encoding = null;
        List<Object> params = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "text" -> text = bodyText(p);
                case "encoding" -> encoding = scalar(p);
                case "params" -> params = t == JsonToken.START_ARRAY ? nameValues(p) : skip(p);
                default -> p.skipChildren();
            }
        }
        try {
            return new Body(text != null ? body(text, encoding, "request.postData") : form(params),
                    text == null || !"base64".equalsIgnoreCase(encoding instanceof String e ? e : ""), null);
        } catch (BadField f) {
            return new Body(null, false, f);
        } finally {
            buffer.release();
        }
    }

    private Body content(JsonParser p) throws IOException {
        Object text = null;
        Object encoding = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "text" -> text = bodyText(p);
                case "encoding" -> encoding = scalar(p);
                default -> p.skipChildren();
            }
        }
        try {
            return new Body(body(text, encoding, "response.content"), false, null);
        } catch (BadField f) {
            return new Body(null, false, f);
        } finally {
            buffer.release();
        }
    }

    /** A body's text goes into the buffer (a later "text" in the same object replaces it); BodyBuffer stands for it. */
    private Object bodyText(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            buffer.fill(p);
            return buffer;
        }
        return scalar(p);
    }

    private byte[] body(Object text, Object encodingRaw, String path) {
        if (text == null) {
            return EMPTY;
        }
        if (text instanceof Wrong w) {
            throw new BadField(path + ".text", "expected a string, got " + w.type());
        }
        String encoding = optionalText(encodingRaw, path + ".encoding");
        if (encoding == null || encoding.isEmpty()) {
            return buffer.utf8();
        }
        if (!encoding.equalsIgnoreCase("base64")) {
            throw new BadField(path + ".encoding", "expected \"base64\" or nothing, got \"" + encoding + "\"");
        }
        return buffer.base64(path + ".text");
    }

    /** Only params (some browsers for form posts): the form body rebuilt, the closest thing to what was sent. */
    private static byte[] form(List<Object> params) {
        if (params == null) {
            return EMPTY;
        }
        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i < params.size(); i++) {
            String p = "request.postData.params[" + i + "]";
            NameValue param = item(params.get(i), p);
            form.add(requiredText(param.name(), p + ".name") + "=" + orEmpty(optionalText(param.value(),
                    p + ".value")));
        }
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The checks, in the order they always ran; the first that fails is the entry's problem. */
    private CapturedFlow build(Entry e, int index) {
        Instant started = instant(requiredText(e.started, "startedDateTime"));
        Request req = object(e.request, Request.class, "request", true);
        String method = requiredText(req.method, "request.method");
        String url = requiredText(req.url, "request.url");
        HarReader.Url u = HarReader.Url.parse(url).orElseThrow(() -> new BadField("request.url",
                "expected an absolute http(s) URL, got \"" + url + "\""));
        String httpVersion = optionalText(req.httpVersion, "request.httpVersion");
        if (httpVersion == null || httpVersion.isEmpty()) {
            httpVersion = "HTTP/1.1";
        }
        List<HttpHeader> headers = headers(req.headers, "request");
        if (req.cookies != null && !req.cookies.isEmpty()
                && headers.stream().noneMatch(h -> h.name().equalsIgnoreCase("cookie"))) {
            // Some browsers list cookies only here; the leak detector looks for them in the Cookie header.
            StringJoiner c = new StringJoiner("; ");
            for (int i = 0; i < req.cookies.size(); i++) {
                String path = "request.cookies[" + i + "]";
                NameValue ck = item(req.cookies.get(i), path);
                c.add(requiredText(ck.name(), path + ".name") + "=" + orEmpty(optionalText(ck.value(),
                        path + ".value")));
            }
            headers = new ArrayList<>(headers);
            headers.add(new HttpHeader("Cookie", c.toString()));
        }
        Body postData = object(req.postData, Body.class, "request.postData", false);
        byte[] body = postData == null ? EMPTY : postData.get();
        boolean decoded = false;
        String declared = postData != null && postData.text() && !textAsSent ? ContentCoding.declared(headers) : "";
        if (!declared.isEmpty() && !ContentCoding.carries(body, declared)) {
            // HAR writers store a body as text with its Content-Encoding undone (mitmproxy's har_dump.py writes
            // get_text(), browsers likewise) and keep the header: such a body is not damage, and is searched as it
            // is. One whose text is the coded stream itself, read as latin-1 (what mitmproxy stores of a body it
            // could not decode, lacking a charset), is that stream, and is decoded, and its damage told, as sent.
            byte[] latin1 = latin1(body);
            if (latin1 != null && ContentCoding.carries(latin1, declared)) {
                body = latin1;
            } else {
                decoded = true;
            }
        }
        HttpRequestData request = new HttpRequestData(method, u.scheme(), u.host(), u.port(), u.path(), httpVersion,
                headers, body, decoded);

        Optional<String> error = Optional.ofNullable(optionalText(e.error, "_error"));
        Optional<HttpResponseData> response = Optional.empty();
        Response res = object(e.response, Response.class, "response", false);
        int status = 0;
        if (res != null && res.status != null) {
            if (res.status instanceof BadInt b) {
                throw new BadField("response.status", "expected an integer, got " + b.shown());
            }
            status = (Integer) res.status;
        }
        if (status > 0) {
            Body content = object(res.content, Body.class, "response.content", false);
            byte[] rb = content == null ? EMPTY : content.get();
            response = Optional.of(new HttpResponseData(status, orEmpty(optionalText(res.statusText,
                    "response.statusText")), headers(res.headers, "response"), rb));
        } else if (error.isEmpty()) {
            error = Optional.of("no response recorded");
        }
        String id = optionalText(e.id, "_flowId");
        String client = optionalText(e.client, "_client");
        return new CapturedFlow(id != null ? id : "har-entry-" + index, started, orEmpty(client), request, response,
                error);
    }

    /** The text's characters as bytes, if it has one above U+007F and none above U+00FF; else null. */
    private static byte[] latin1(byte[] utf8) {
        boolean wide = false;
        for (byte b : utf8) {
            wide |= b < 0;
        }
        if (!wide) {
            return null;
        }
        String text = new String(utf8, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                return null;
            }
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @SuppressWarnings("unchecked")
    private static List<HttpHeader> headers(Object raw, String path) {
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof Wrong) {
            throw new BadField(path + ".headers", "expected an array");
        }
        List<Object> hs = (List<Object>) raw;
        List<HttpHeader> out = new ArrayList<>(hs.size());
        for (int i = 0; i < hs.size(); i++) {
            String p = path + ".headers[" + i + "]";
            NameValue h = item(hs.get(i), p);
            String name = requiredText(h.name(), p + ".name");
            // HTTP/2 pseudo-headers (":path", ":authority") repeat the request line, which the URL already holds.
            if (!name.startsWith(":")) {
                out.add(new HttpHeader(name, orEmpty(optionalText(h.value(), p + ".value"))));
            }
        }
        return out;
    }

    /** An item of a name/value list, which keeps an item that is not an object as null (JSON null) or Wrong. */
    private static NameValue item(Object raw, String path) {
        return object(raw, NameValue.class, path, true);
    }

    private static <T> T object(Object raw, Class<T> type, String path, boolean required) {
        if (raw == null) {
            if (required) {
                throw new BadField(path, "missing");
            }
            return null;
        }
        if (raw instanceof Wrong w) {
            throw new BadField(path, "expected an object, got " + w.type());
        }
        return type.cast(raw);
    }

    private static String requiredText(Object raw, String path) {
        String s = optionalText(raw, path);
        if (s == null) {
            throw new BadField(path, "missing");
        }
        return s;
    }

    /** The text, or null when the field is missing or JSON null. */
    private static String optionalText(Object raw, String path) {
        if (raw instanceof Wrong w) {
            throw new BadField(path, "expected a string, got " + w.type());
        }
        return (String) raw;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Instant instant(String s) {
        try {
            return StartedTimes.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadField("startedDateTime", "expected an ISO 8601 date-time with offset, got \"" + s + "\"");
        }
    }

    // Reading values as they are, errors kept for later: String, null (missing or JSON null) or Wrong.

    private static Object scalar(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : other(p);
    }

    /** A value of another type than the field takes: null for JSON null, else its type (the value is skipped). */
    private static Object other(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        p.skipChildren();
        return new Wrong(typeName(t));
    }

    private static <T> T skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    /** An Integer, null, or BadInt showing the value as JSON (a tree only for this rare error). */
    private static Object integer(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        return new BadInt(String.valueOf((Object) p.readValueAsTree()));
    }

    private static final String[] NAME_VALUE_FIELDS = {"name", "value"};
    private static final ValueReader[] NAME_VALUE_READERS = {EntryParser::scalar, EntryParser::scalar};

    /** A list of name/value objects; an item that is not an object is kept as null or Wrong, its index preserved. */
    private static List<Object> nameValues(JsonParser p) throws IOException {
        return objects(p, NAME_VALUE_FIELDS, NAME_VALUE_READERS, v -> new NameValue(v[0], v[1]));
    }

    /** Reads one field's value as kept until the entry is checked (see the class comment). */
    @FunctionalInterface
    private interface ValueReader {
        Object read(JsonParser p) throws IOException;
    }

    /**
     * An array of objects, each made by {@code make} from the values of {@code fields} (read by the matching
     * {@code readers}; absent ones null, other fields skipped); an item that is not an object is kept as null or
     * Wrong, its index preserved.
     */
    private static List<Object> objects(JsonParser p, String[] fields, ValueReader[] readers,
                                        java.util.function.Function<Object[], Object> make) throws IOException {
        List<Object> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                out.add(other(p));
                continue;
            }
            Object[] values = new Object[fields.length];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                int k = 0;
                while (k < fields.length && !fields[k].equals(f)) {
                    k++;
                }
                if (k < fields.length) {
                    values[k] = readers[k].read(p);
                } else {
                    p.skipChildren();
                }
            }
            out.add(make.apply(values));
        }
        return out;
    }

    /** The type as JsonNode named it ("string", "number", "boolean", "array", "object"). */
    private static String typeName(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }
}
