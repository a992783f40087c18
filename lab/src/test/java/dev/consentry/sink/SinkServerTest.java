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
