package dev.consentry.cli;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes requests as a mitmproxy 8.1 flow file (what {@code mitmdump -w} writes: one tnetstring per flow, flow state
 * version 17, the fields of a flow recorded through a reverse proxy, without a response), so the bench can time
 * mitmproxy's own filter on the very bytes the engine scanned. The layout was copied from a flow mitmdump 8.1.1 wrote
 * here; {@code mitmdump -nr} reads the result.
 */
final class MitmFlowWriter implements Closeable {
    private final OutputStream out;

    MitmFlowWriter(Path file) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    void write(CapturedFlow flow) throws IOException {
        HttpRequestData q = flow.request();
        double t = flow.started().toEpochMilli() / 1000.0;
        List<Object> headers = new ArrayList<>();
        for (HttpHeader h : q.headers()) {
            headers.add(List.of(bytes(h.name()), bytes(h.value())));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("path", bytes(q.path()));
        request.put("authority", new byte[0]);
        request.put("scheme", bytes(q.scheme()));
        request.put("method", bytes(q.method()));
        request.put("port", (long) q.port());
        request.put("host", q.host());
        request.put("timestamp_end", t);
        request.put("timestamp_start", t);
        request.put("trailers", null);
        request.put("content", q.body());
        request.put("headers", headers);
        request.put("http_version", bytes(q.httpVersion()));

        Map<String, Object> server = new LinkedHashMap<>();
        server.put("via2", null);
        server.put("cipher_list", List.of());
        server.put("cipher_name", null);
        server.put("alpn_offers", List.of());
        server.put("certificate_list", List.of());
        server.put("tls", false);
        server.put("error", null);
        server.put("state", 0L);
        server.put("via", null);
        server.put("tls_version", null);
        server.put("tls_established", false);
        server.put("timestamp_tls_setup", null);
        server.put("timestamp_tcp_setup", t);
        server.put("timestamp_start", t);
        server.put("timestamp_end", null);
        server.put("source_address", List.of("127.0.0.1", 40000L));
        server.put("sni", null);
        server.put("ip_address", List.of("127.0.0.1", (long) q.port()));
        server.put("id", UUID.randomUUID().toString());
        server.put("alpn", null);
        server.put("address", List.of(q.host(), (long) q.port()));

        Map<String, Object> client = new LinkedHashMap<>();
        client.put("cipher_list", List.of());
        client.put("alpn_offers", List.of());
        client.put("certificate_list", List.of());
        client.put("tls", false);
        client.put("error", null);
        client.put("sockname", List.of("127.0.0.1", 8080L));
        client.put("state", 3L);
        client.put("tls_version", null);
        client.put("tls_extensions", List.of());
        client.put("tls_established", false);
        client.put("timestamp_tls_setup", null);
        client.put("timestamp_start", t);
        client.put("timestamp_end", null);
        client.put("sni", null);
        client.put("mitmcert", null);
        client.put("id", UUID.randomUUID().toString());
        client.put("cipher_name", null);
        client.put("alpn", null);
        client.put("address", List.of("10.0.0.2", 40000L));

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "http");
        f.put("version", 17L);
        f.put("websocket", null);
        f.put("response", null);
        f.put("timestamp_created", t);
        f.put("comment", "");
        f.put("metadata", Map.of());
        f.put("marked", "");
        f.put("is_replay", null);
        f.put("intercepted", false);
        f.put("server_conn", server);
        f.put("client_conn", client);
        f.put("request", request);
        f.put("error", null);
        f.put("id", UUID.nameUUIDFromBytes(flow.id().getBytes(StandardCharsets.UTF_8)).toString());
        ByteArrayOutputStream b = new ByteArrayOutputStream(q.body().length + 2048);
        tnetstring(b, f);
        b.writeTo(out);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** tnetstrings as mitmproxy writes them: bytes ',', text ';', int '#', float '^', bool '!', null '~'. */
    private static void tnetstring(ByteArrayOutputStream out, Object v) {
        if (v == null) {
            out.writeBytes("0:~".getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof byte[] b) {
            item(out, b, ',');
        } else if (v instanceof String s) {
            item(out, bytes(s), ';');
        } else if (v instanceof Long l) {
            item(out, bytes(Long.toString(l)), '#');
        } else if (v instanceof Double d) {
            item(out, bytes(Double.toString(d)), '^');
        } else if (v instanceof Boolean bool) {
            item(out, bytes(bool.toString()), '!');
        } else if (v instanceof List<?> list) {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            for (Object o : list) {
                tnetstring(inner, o);
            }
            item(out, inner.toByteArray(), ']');
        } else if (v instanceof Map<?, ?> map) {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                tnetstring(inner, e.getKey());
                tnetstring(inner, e.getValue());
            }
            item(out, inner.toByteArray(), '}');
        } else {
            throw new IllegalArgumentException("no tnetstring for " + v.getClass());
        }
    }

    private static void item(ByteArrayOutputStream out, byte[] data, char type) {
        out.writeBytes(bytes(data.length + ":"));
        out.writeBytes(data);
        out.write(type);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
