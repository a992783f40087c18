package dev.consentry.sink;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SinkServerTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private SinkServer sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void answersAnythingWith204AndRecordsIt() throws Exception {
        sink = SinkServer.start();

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/track/spock?a=1"))
                .timeout(Duration.ofSeconds(5)).PUT(HttpRequest.BodyPublishers.ofString("imei=123")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(sink.count()).isEqualTo(1);
        assertThat(sink.requests()).singleElement().satisfies(q -> {
            assertThat(q.method()).isEqualTo("PUT");
            assertThat(q.path()).isEqualTo("/track/spock?a=1");
            assertThat(q.bodyLength()).isEqualTo(8);
        });
    }

    @Test
    void jsonClientsGetAnEmptyJsonObject() throws Exception {
        sink = SinkServer.start();

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/config"))
                .timeout(Duration.ofSeconds(5)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void keepsTheOriginalHostHeader() throws Exception {
        sink = SinkServer.start();
        // Raw HTTP: Java's HttpClient will not send a Host header of our choosing, mitmproxy in sink mode does.
        String response = raw("POST /pass/v2 HTTP/1.1\r\nHost: api.account.xiaomi.com\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\nhi");

        assertThat(response).startsWith("HTTP/1.1 204");
        assertThat(sink.lastFor("api.account.xiaomi.com")).hasValueSatisfying(q -> {
            assertThat(q.host()).isEqualTo("api.account.xiaomi.com");
            assertThat(q.method()).isEqualTo("POST");
        });
        assertThat(sink.lastFor("tracking.intl.miui.com")).isEmpty();
    }

    @Test
    void keepsOnlyTheLatestButCountsAll() throws Exception {
        sink = SinkServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2);

        for (int i = 0; i < 5; i++) {
            http.send(HttpRequest.newBuilder(uri("/n" + i)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }

        assertThat(sink.count()).isEqualTo(5);
        assertThat(sink.requests()).extracting(SinkRequest::path).containsExactly("/n3", "/n4");
    }

    @Test
    void acceptsAWebSocketAndReadsWhatIsSentUntilTheClientCloses() throws Exception {
        sink = SinkServer.start();
        // Before 2026-11-25 the upgrade got 204: the client's handshake failed and it never sent its messages.
        java.util.concurrent.CompletableFuture<Integer> closedWith = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + sink.address().getPort() + "/push/v3?app=miui"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int status,
                                                                           String reason) {
                        closedWith.complete(status);
                        return null;
                    }
                }).get(5, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendText("{\"imei\":\"865123045678901\"}", true).get(5, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[70_000]), true).get(5, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendPing(java.nio.ByteBuffer.wrap(new byte[]{1, 2})).get(5, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(closedWith.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(java.net.http.WebSocket.NORMAL_CLOSURE);
        assertThat(sink.requests()).singleElement().satisfies(q -> {
            assertThat(q.method()).isEqualTo("GET");
            assertThat(q.path()).isEqualTo("/push/v3?app=miui");
            assertThat(q.host()).isEqualTo("127.0.0.1:" + sink.address().getPort());
        });
        // The sink still answers plain requests, on a connection kept alive for several.
        String two = raw("GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                + "Connection: close\r\n\r\nx");
        assertThat(two.split("HTTP/1.1 204", -1)).hasSize(3);
        assertThat(sink.count()).isEqualTo(3);
    }

    @Test
    void anUpgradeWithoutAKeyIsRelayedAsAPlainRequest() throws Exception {
        sink = SinkServer.start();
        String response = raw("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 204");
    }

    @Test
    void closingTheSinkEndsOpenConnections() throws Exception {
        sink = SinkServer.start();
        try (Socket s = new Socket()) {
            s.connect(sink.address(), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(129), StandardCharsets.US_ASCII);
            // RFC 6455's own example key and answer.
            assertThat(head).startsWith("HTTP/1.1 101").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            sink.close();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void listensOnLoopbackOnly() {
        sink = SinkServer.start();
        assertThat(sink.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(sink.address().getPort()).isPositive();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + sink.address().getPort() + path);
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(sink.address(), 5_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
