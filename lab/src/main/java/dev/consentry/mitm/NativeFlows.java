package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * mitmproxy 8.1.1's serialized flow state (flow-format version 17, what Debian's {@code mitmdump -w} writes), read from
 * a {@link Tnetstring} value into what consentry_flowread.py makes of the same flow through mitmproxy's
 * {@code FlowReader}: the same {@link CapturedFlow} (request as sent, the {@code pretty_host}, response status and
 * headers, error, client address, id, start) and the handset's WebSocket messages.
 *
 * <p>Only where that is certain. The state must have exactly the shape mitmproxy's {@code Flow.from_state} accepts
 * (the keys it pops, the types it takes without converting), text fields must decode as mitmproxy decodes them without
 * its fall-backs (surrogate escapes, IDNA), and certificates must be ones mitmproxy's {@code Cert.from_state} loads
 * ({@link CertCheck}, mitmproxy's own code). Anything else, including any other flow-format version and DNS flows, is
 * {@link Unsure}: the caller hands the file to mitmproxy from that flow on. TCP flows are checked likewise and skipped
 * (consentry_flowread.py writes only HTTP flows).
 */
final class NativeFlows {
    /** mitmproxy.version.FLOW_FORMAT_VERSION of 8.1.1; io/compat.py migrates every older version to it. */
    static final long FLOW_FORMAT_VERSION = 17;

    private static final Set<String> FLOW_KEYS = Set.of("id", "error", "client_conn", "server_conn", "intercepted",
            "is_replay", "marked", "metadata", "comment", "timestamp_created", "version", "type");
    private static final Set<String> HTTP_KEYS = Set.of("request", "response", "websocket");
    private static final Set<String> REQUEST_KEYS = Set.of("host", "port", "method", "scheme", "authority", "path",
            "http_version", "headers", "content", "trailers", "timestamp_start", "timestamp_end");
    private static final Set<String> RESPONSE_KEYS = Set.of("http_version", "status_code", "reason", "headers",
            "content", "trailers", "timestamp_start", "timestamp_end");
    private static final Set<String> WEBSOCKET_KEYS = Set.of("messages", "closed_by_client", "close_code",
            "close_reason", "timestamp_end");
    private static final Set<String> ERROR_KEYS = Set.of("msg", "timestamp");

    /** Does mitmproxy's {@code Cert.from_state} load this PEM? */
    interface CertCheck {
        boolean loads(byte[] pem);
    }

    /** A flow as consentry_flowread.py would give it; {@code flow} is null for a flow it skips (TCP). */
    record Mapped(CapturedFlow flow, List<FlowFile.Message> websocket) {
    }

    /** This state is not one read here for certain: mitmproxy must read it. */
    static final class Unsure extends RuntimeException {
        Unsure(String why) {
            super(why, null, false, false);
        }
    }

    private final CertCheck certs;

    NativeFlows(CertCheck certs) {
        this.certs = certs;
    }

    Mapped map(Object value) {
        Map<String, Object> state = dict(value, "flow");
        Object version = state.get("version");
        if (!(version instanceof Long v) || v != FLOW_FORMAT_VERSION) {
            throw new Unsure("flow-format version " + version + " (only " + FLOW_FORMAT_VERSION + " is read here)");
        }
        String type = text(state, "type");
        switch (type) {
            case "http" -> {
                flowCommon(state, HTTP_KEYS);
                return http(state);
            }
            case "tcp" -> {
                flowCommon(state, Set.of("messages"));
                for (Object m : list(state.get("messages"), "messages")) {
                    List<Object> msg = list(m, "tcp message");
                    if (msg.size() != 3 || !(msg.get(0) instanceof Boolean) || !(msg.get(1) instanceof byte[])
                            || !(msg.get(2) instanceof Double)) {
                        throw new Unsure("tcp message shape");
                    }
                }
                return new Mapped(null, List.of());
            }
            default -> throw new Unsure("flow type " + type);
        }
    }

    /** Flow's {@code _stateobject_attributes}, popped one by one by StateObject.set_state; no key may be left. */
    private void flowCommon(Map<String, Object> state, Set<String> own) {
        for (String key : state.keySet()) {
            if (!FLOW_KEYS.contains(key) && !own.contains(key) && !key.equals("backup")) {
                throw new Unsure("unexpected key " + key);
            }
        }
        for (String key : FLOW_KEYS) {
            need(state, key);
        }
        for (String key : own) {
            need(state, key);
        }
        text(state, "id");
        Object error = state.get("error");
        if (error != null) {
            Map<String, Object> e = exact(error, ERROR_KEYS, "error");
            text(e, "msg");
            real(e, "timestamp");
        }
        connection(dict(state.get("client_conn"), "client_conn"), true);
        connection(dict(state.get("server_conn"), "server_conn"), false);
        bool(state, "intercepted");
        nullOr(state, "is_replay", String.class);
        text(state, "marked");
        json(dict(state.get("metadata"), "metadata"));
        text(state, "comment");
        real(state, "timestamp_created");
    }

    /** Client/Server.set_state: the keys they read, of the types mitmdump writes; PEMs as Cert.from_state loads. */
    private void connection(Map<String, Object> c, boolean client) {
        address(c, "address");
        nullOr(c, "alpn", byte[].class);
        text(c, "id");
        nullOr(c, "sni", String.class);
        nullOr(c, "timestamp_end", Double.class);
        nullOr(c, "timestamp_start", Double.class);
        nullOr(c, "timestamp_tls_setup", Double.class);
        nullOr(c, "tls_version", String.class);
        Object s = need(c, "state");
        if (!(s instanceof Long st) || st < 0 || st > 3) {
            throw new Unsure("connection state " + s); // ConnectionState(x)
        }
        nullOr(c, "error", String.class);
        bool(c, "tls");
        for (Object pem : list(need(c, "certificate_list"), "certificate_list")) {
            cert(pem);
        }
        list(need(c, "alpn_offers"), "alpn_offers");
        nullOr(c, "cipher_name", String.class);
        list(need(c, "cipher_list"), "cipher_list");
        if (client) {
            address(c, "sockname");
            Object mitmcert = need(c, "mitmcert");
            if (mitmcert != null) {
                cert(mitmcert);
            }
        } else {
            address(c, "ip_address");
            address(c, "source_address");
            nullOr(c, "timestamp_tcp_setup", Double.class);
            if (need(c, "via2") != null) {
                // Server.__setattr__ refuses a changed via on an open connection: mitmproxy decides.
                throw new Unsure("via2");
            }
        }
    }

    private void cert(Object pem) {
        if (!(pem instanceof byte[] b) || !certs.loads(b)) {
            throw new Unsure("certificate");
        }
    }

    private Mapped http(Map<String, Object> state) {
        Map<String, Object> q = exact(state.get("request"), REQUEST_KEYS, "request");
        String host = text(q, "host");
        int port = port(q, "port");
        byte[] method = bytes(q, "method");
        String scheme = utf8(bytes(q, "scheme"), "scheme");
        byte[] authority = bytes(q, "authority");
        String path = utf8(bytes(q, "path"), "path");
        byte[] httpVersion = bytes(q, "http_version");
        List<byte[]> headers = headerFields(q, "headers");
        Object content = need(q, "content");
        if (content != null && !(content instanceof byte[])) {
            throw new Unsure("request content");
        }
        headersOrNull(q, "trailers");
        double started = real(q, "timestamp_start");
        nullOr(q, "timestamp_end", Double.class);
        if (!(Math.abs(started) < 1e15)) {
            throw new Unsure("timestamp_start " + started);
        }

        Optional<HttpResponseData> response = Optional.empty();
        Object r = state.get("response");
        if (r != null) {
            Map<String, Object> s = exact(r, RESPONSE_KEYS, "response");
            bytes(s, "http_version");
            int status = port(s, "status_code");
            String reason = new String(bytes(s, "reason"), StandardCharsets.ISO_8859_1);
            List<byte[]> respHeaders = headerFields(s, "headers");
            Object body = need(s, "content");
            if (body != null && !(body instanceof byte[])) {
                throw new Unsure("response content");
            }
            headersOrNull(s, "trailers");
            real(s, "timestamp_start");
            nullOr(s, "timestamp_end", Double.class);
            response = Optional.of(new HttpResponseData(status, reason, headers(respHeaders), new byte[0]));
        }

        List<FlowFile.Message> ws = List.of();
        Object w = state.get("websocket");
        if (w != null) {
            Map<String, Object> d = exact(w, WEBSOCKET_KEYS, "websocket");
            ws = new ArrayList<>();
            for (Object m : list(need(d, "messages"), "websocket messages")) {
                List<Object> msg = list(m, "websocket message");
                if (msg.size() != 6 || !(msg.get(0) instanceof Long op) || (op != 1 && op != 2)
                        || !(msg.get(1) instanceof Boolean fromClient) || !(msg.get(2) instanceof byte[] data)
                        || !(msg.get(3) instanceof Double) || !(msg.get(4) instanceof Boolean)
                        || !(msg.get(5) instanceof Boolean)) {
                    throw new Unsure("websocket message shape");
                }
                if (fromClient) {
                    ws.add(new FlowFile.Message(true, data));
                }
            }
            nullOr(d, "closed_by_client", Boolean.class);
            nullOr(d, "close_code", Long.class);
            nullOr(d, "close_reason", String.class);
            nullOr(d, "timestamp_end", Double.class);
        }

        Object e = state.get("error");
        Optional<String> error = e == null ? Optional.empty() : Optional.of((String) ((Map<?, ?>) e).get("msg"));
        HttpRequestData request = new HttpRequestData(upperAscii(method), scheme,
                prettyHost(host, httpVersion, authority, headers), port, path, utf8(httpVersion, "http_version"),
                headers(headers), content == null ? new byte[0] : (byte[]) content);
        Object address = dict(state.get("client_conn"), "client_conn").get("address");
        String client = "";
        if (address instanceof List<?> a && !a.isEmpty()) {
            client = a.get(0) + ":" + a.get(1);
        }
        CapturedFlow flow = new CapturedFlow(text(state, "id"), instant(started), client, request, response, error);
        return new Mapped(flow, ws);
    }

    /**
     * Request.pretty_host: the Host header (HTTP/2: the authority first) parsed by url.parse_authority(check=False),
     * else the request's host. Decided here only for plain ASCII host names and IPv4 addresses.
     */
    static String prettyHost(String host, byte[] httpVersion, byte[] authority, List<byte[]> headers) {
        String header = null;
        if (new String(httpVersion, StandardCharsets.ISO_8859_1).equals("HTTP/2.0") && authority.length > 0) {
            header = hostText(authority);
        } else {
            for (int i = 0; i < headers.size(); i += 2) {
                byte[] name = headers.get(i);
                if (name.length == 4 && new String(name, StandardCharsets.ISO_8859_1).equalsIgnoreCase("host")) {
                    if (header != null) {
                        throw new Unsure("several Host headers"); // mitmproxy folds them with ", "
                    }
                    header = hostText(headers.get(i + 1));
                }
            }
        }
        if (header == null || header.isEmpty()) {
            return host;
        }
        int colon = header.indexOf(':');
        String name = colon < 0 ? header : header.substring(0, colon);
        if (name.isEmpty() || colon >= 0 && header.indexOf(':', colon + 1) >= 0) {
            return header; // no match of url._authority_re: parse_authority(check=False) gives the value back
        }
        if (colon >= 0) {
            String port = header.substring(colon + 1);
            String significant = port.replaceFirst("^0+(?=.)", "");
            if (port.isEmpty() || !port.chars().allMatch(ch -> ch >= '0' && ch <= '9') || significant.length() > 5
                    || Integer.parseInt(significant) > 65535) {
                return header; // parse_authority(check=False) gives the whole value back
            }
        }
        return validHost(name) ? name : header;
    }

    /** ASCII host names, IPv4 and ports only: no IDNA, IPv6, Unicode digits or control characters. */
    private static String hostText(byte[] raw) {
        for (byte b : raw) {
            boolean ok = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.'
                    || b == '-' || b == '_' || b == ':';
            if (!ok) {
                throw new Unsure("Host header character");
            }
        }
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        if (s.toLowerCase(java.util.Locale.ROOT).contains("xn--")) {
            throw new Unsure("IDNA host");
        }
        return s;
    }

    /** net.check.is_valid_host for [A-Za-z0-9._-]: the idna codec's label lengths, 255 bytes, labels of 1-63. */
    private static boolean validHost(String host) {
        String[] labels = host.split("\\.", -1);
        for (int i = 0; i < labels.length - 1; i++) {
            if (labels[i].isEmpty() || labels[i].length() >= 64) {
                return false;
            }
        }
        if (labels[labels.length - 1].length() >= 64 || host.length() > 255) {
            return false;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : h.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

    private static String upperAscii(byte[] method) {
        char[] c = new char[method.length];
        for (int i = 0; i < method.length; i++) {
            int b = method[i];
            if (b < 0) {
                throw new Unsure("method not ASCII");
            }
            c[i] = b >= 'a' && b <= 'z' ? (char) (b - 32) : (char) b;
        }
        return new String(c);
    }

    /** consentry_flowread.py's _text: UTF-8, else Latin-1. */
    private static String headerText(byte[] raw) {
        try {
            return strictUtf8(raw);
        } catch (CharacterCodingException e) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }

    private static List<HttpHeader> headers(List<byte[]> fields) {
        List<HttpHeader> out = new ArrayList<>(fields.size() / 2);
        for (int i = 0; i < fields.size(); i += 2) {
            out.add(new HttpHeader(headerText(fields.get(i)), headerText(fields.get(i + 1))));
        }
        return out;
    }

    /** Headers(fields): pairs of bytes, flattened name, value, name, value... */
    private static List<byte[]> headerFields(Map<String, Object> m, String key) {
        List<Object> fields = list(need(m, key), key);
        List<byte[]> out = new ArrayList<>(fields.size() * 2);
        for (Object f : fields) {
            List<Object> pair = list(f, key);
            if (pair.size() != 2 || !(pair.get(0) instanceof byte[] n) || !(pair.get(1) instanceof byte[] v)) {
                throw new Unsure(key + " field shape");
            }
            out.add(n);
            out.add(v);
        }
        return out;
    }

    private static void headersOrNull(Map<String, Object> m, String key) {
        if (need(m, key) != null) {
            headerFields(m, key);
        }
    }

    /** The surrogate-escaping decoders give the strict result exactly when the bytes are UTF-8. */
    private static String utf8(byte[] raw, String field) {
        try {
            return strictUtf8(raw);
        } catch (CharacterCodingException e) {
            throw new Unsure(field + " not UTF-8");
        }
    }

    private static String strictUtf8(byte[] raw) throws CharacterCodingException {
        for (byte b : raw) {
            if (b < 0) {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            }
        }
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** An address tuple as the reader prints it ("%s:%s" % peer[:2]): null, empty, or (str, int[, int, int]). */
    private static void address(Map<String, Object> c, String key) {
        Object a = need(c, key);
        if (a == null) {
            return;
        }
        List<Object> l = list(a, key);
        if (l.isEmpty()) {
            return;
        }
        if ((l.size() != 2 && l.size() != 4) || !(l.get(0) instanceof String)) {
            throw new Unsure(key + " shape");
        }
        for (Object o : l.subList(1, l.size())) {
            if (!(o instanceof Long)) {
                throw new Unsure(key + " shape");
            }
        }
    }

    /** StateObject's dict[str, Any]: JSON-serializable (no bytes anywhere). */
    private static void json(Object v) {
        if (v instanceof byte[]) {
            throw new Unsure("metadata holds bytes");
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(NativeFlows::json);
        } else if (v instanceof List<?> l) {
            l.forEach(NativeFlows::json);
        }
    }

    /** Epoch seconds with a fraction, kept to the microsecond, exactly as FlowFile's reading of the JSON line. */
    static Instant instant(double seconds) {
        if (!(Math.abs(seconds) < 1e15)) {
            throw new IllegalArgumentException("started: " + seconds + " is no time");
        }
        long whole = (long) Math.floor(seconds);
        long micros = Math.round((seconds - whole) * 1_000_000);
        return Instant.ofEpochSecond(whole).plusNanos(micros * 1_000);
    }

    private static Object need(Map<String, Object> m, String key) {
        if (!m.containsKey(key)) {
            throw new Unsure("missing " + key);
        }
        return m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(Object v, String what) {
        if (!(v instanceof Map<?, ?>)) {
            throw new Unsure(what + " is not a dictionary");
        }
        return (Map<String, Object>) v;
    }

    /** A dataclass built by cls(**state) or a StateObject: exactly these keys. */
    private static Map<String, Object> exact(Object v, Set<String> keys, String what) {
        Map<String, Object> m = dict(v, what);
        if (!m.keySet().equals(keys)) {
            throw new Unsure(what + " keys " + m.keySet());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v, String what) {
        if (!(v instanceof List<?>)) {
            throw new Unsure(what + " is not a list");
        }
        return (List<Object>) v;
    }

    private static String text(Map<String, Object> m, String key) {
        if (!(need(m, key) instanceof String s)) {
            throw new Unsure(key + " is not text");
        }
        return s;
    }

    private static byte[] bytes(Map<String, Object> m, String key) {
        if (!(need(m, key) instanceof byte[] b)) {
            throw new Unsure(key + " is not bytes");
        }
        return b;
    }

    private static double real(Map<String, Object> m, String key) {
        if (!(need(m, key) instanceof Double d)) {
            throw new Unsure(key + " is not a float");
        }
        return d;
    }

    private static void bool(Map<String, Object> m, String key) {
        if (!(need(m, key) instanceof Boolean)) {
            throw new Unsure(key + " is not a boolean");
        }
    }

    /** An int the JSON line's reader takes as a Java int. */
    private static int port(Map<String, Object> m, String key) {
        if (!(need(m, key) instanceof Long l) || l != (int) (long) l) {
            throw new Unsure(key + " is not an int");
        }
        return (int) (long) l;
    }

    private static void nullOr(Map<String, Object> m, String key, Class<?> type) {
        Object v = need(m, key);
        if (v != null && !type.isInstance(v)) {
            throw new Unsure(key + " is not " + type.getSimpleName());
        }
    }
}
