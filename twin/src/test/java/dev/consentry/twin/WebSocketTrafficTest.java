package dev.consentry.twin;

import dev.consentry.twin.firmware.Firmware;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static dev.consentry.twin.TwinTests.awaitLog;
import static dev.consentry.twin.TwinTests.pushCa;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transports {@code ws} and {@code wss}: a push channel that opens, sends one message and closes, through the proxy
 * (java.net.http's client) or without one (written on the socket). The recording proxy stands for mitmdump here and
 * keeps each message as the server received it.
 */
class WebSocketTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HOST = "push.example";

    @TempDir
    static Path dir;
    private static TestCa ca;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = TestCa.create(dir, HOST);
    }

    private static Firmware firmware(String rules) {
        return TwinTests.oneScreenFirmware("ws-test", rules);
    }

    private static String rule(String name, String transport, String port, String path, String body) {
        return String.join("\n",
                "  - name: " + name,
                "    on: [\"idle_every:1\"]",
                "    transport: " + transport,
                "    method: GET",
                "    host: " + HOST,
                port.isEmpty() ? "    headers: { X-Client: \"push/{prop:ro.product.model}\" }" : "    port: " + port,
                "    path: " + path,
                "    body: " + body);
    }

    @Test
    void throughTheProxyWssSendsItsTextMessageAndWsItsGzipdOneAsBinary() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(String.join("\n",
                     rule("register", "wss", "", "/v3/channel?id={android_id}",
                             "{ format: json, fields: { imei: \"{imei}\" } }"),
                     rule("sync", "ws", "", "/v3/sync",
                             "{ format: json, gzip: true, fields: "
                                     + "{ p: { value: \"{phone_number}\", encode: base64 } } }"))))
                     .withSerial("ws").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("ws");
            pushCa(wire, s, ca);
            wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));

            RecordingProxy.Flow wss = proxy.await(f -> f.scheme().equals("wss"), WAIT);
            assertThat(wss.method()).isEqualTo("GET");
            assertThat(wss.host()).isEqualTo(HOST);
            assertThat(wss.target()).isEqualTo("/v3/channel?id=" + twin.identity().androidId());
            assertThat(wss.headers()).containsKey("x-client").doesNotContainKey("content-type");
            assertThat(wss.messages()).extracting(m -> new String(m, StandardCharsets.UTF_8))
                    .containsExactly("{\"imei\":\"" + twin.identity().imei() + "\"}");

            RecordingProxy.Flow ws = proxy.await(f -> f.scheme().equals("ws"), WAIT);
            assertThat(ws.host()).isEqualTo(HOST);
            assertThat(ws.messages()).singleElement().satisfies(m -> assertThat(new String(
                    new GZIPInputStream(new ByteArrayInputStream(m)).readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"p\":\"" + Base64.getEncoder().encodeToString(twin.identity().phoneNumber()
                            .getBytes(StandardCharsets.UTF_8)) + "\"}"));
            awaitLog(twin, WAIT, "GET ws://" + HOST + "/v3/sync via proxy " + proxy.hostPort()
                    + ": WebSocket open, 1 binary message sent");
            awaitLog(twin, WAIT, "GET wss://" + HOST + "/v3/channel?id=");
            assertThat(String.join("\n", twin.logTail(200)))
                    .containsPattern("wss://" + HOST + "/v3/channel\\?id=\\w+ via proxy [0-9.:]+: WebSocket open, "
                            + "1 text message sent \\(\\d+ bytes\\), closed 1000");
            assertThat(proxy.failures).isEmpty();
        }
    }

    @Test
    void withoutAProxyTheHandshakeIsWrittenOnTheSocketToTheDestinationsAddress() throws Exception {
        try (RecordingProxy destination = new RecordingProxy(ca.serverContext)) {
            int port = destination.address().getPort();
            try (VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(String.join("\n",
                            rule("register", "wss", Integer.toString(port), "/v3/channel",
                                    "{ format: form, fields: { imei: \"{imei}\" } }"),
                            rule("sync", "ws", Integer.toString(port), "/v3/sync",
                                    "{ format: json, gzip: true, fields: { s: \"{serial}\" } }"))))
                    .withSerial("ws-direct").withHosts(Map.of(HOST, InetAddress.getLoopbackAddress())).start()) {
                WireClient wire = new WireClient(twin.uri());
                String s = wire.newSession("ws-direct");
                pushCa(wire, s, ca);

                RecordingProxy.Flow wss = destination.await(f -> f.scheme().equals("wss"), WAIT);
                assertThat(wss.host()).isEqualTo(HOST + ":" + port);
                assertThat(wss.target()).isEqualTo("/v3/channel");
                assertThat(wss.messages()).extracting(m -> new String(m, StandardCharsets.UTF_8))
                        .containsExactly("imei=" + twin.identity().imei());
                RecordingProxy.Flow ws = destination.await(f -> f.scheme().equals("ws"), WAIT);
                assertThat(ws.messages()).singleElement().satisfies(m -> assertThat(new String(
                        new GZIPInputStream(new ByteArrayInputStream(m)).readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"s\":\"" + twin.identity().serial() + "\"}"));
                awaitLog(twin, WAIT, "GET ws://" + HOST + ":" + port + "/v3/sync direct to 127.0.0.1:" + port
                        + ": HTTP/1.1 101 Switching Protocols, 1 binary message sent");
                awaitLog(twin, WAIT, "GET wss://" + HOST + ":" + port + "/v3/channel direct to 127.0.0.1:" + port
                        + ": HTTP/1.1 101 Switching Protocols, 1 text message sent ("
                        + ("imei=" + twin.identity().imei()).length() + " bytes), closed 1000");
                assertThat(destination.failures).as("every client frame masked").isEmpty();
            }
        }
    }

    @Test
    void withoutAHostsEntryTheSocketGoesToTheInternetStandIn() throws Exception {
        try (RecordingProxy internet = new RecordingProxy(null);
             VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(rule("sync", "ws", "", "/v3/sync",
                     "{ format: form, fields: { a: \"{android_id}\" } }"))).withSerial("ws-standin")
                     .withInternet(Optional.of(internet.address())).start()) {
            RecordingProxy.Flow ws = internet.await(f -> f.scheme().equals("ws"), WAIT);
            assertThat(ws.target()).isEqualTo("/v3/sync");
            assertThat(ws.host()).isEqualTo(HOST);
            assertThat(ws.messages()).extracting(m -> new String(m, StandardCharsets.UTF_8))
                    .containsExactly("a=" + twin.identity().androidId());
            awaitLog(twin, WAIT, "GET ws://" + HOST
                    + "/v3/sync direct: HTTP/1.1 101 Switching Protocols, 1 text message");
        }
    }

    @Test
    void aServerThatDoesNotSwitchProtocolsGetsNoMessage() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = plain.getLocalPort();
            Thread server = new Thread(() -> answerEach(plain), "refusing-server");
            server.setDaemon(true);
            server.start();
            try (VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(rule("sync", "ws",
                            Integer.toString(port), "/v3/sync", "{ format: form, fields: { imei: \"{imei}\" } }")))
                    .withSerial("ws-refused").withHosts(Map.of(HOST, InetAddress.getLoopbackAddress())).start()) {
                awaitLog(twin, WAIT, "GET ws://" + HOST + ":" + port + "/v3/sync direct to 127.0.0.1:" + port
                        + ": HTTP/1.1 426 Upgrade Required (no WebSocket)");
            }
        }
    }

    /** A server that reads each request head and answers 426 without switching, recording nothing. */
    private static void answerEach(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket c = server.accept()) {
                c.setSoTimeout(5000);
                var in = c.getInputStream();
                int newlines = 0;
                for (int b = in.read(), last = -1; b >= 0; last = b, b = in.read()) {
                    newlines = b == '\n' ? (last == '\r' || last == '\n' ? newlines + 1 : 1) : b == '\r' ? newlines : 0;
                    if (newlines == 2) {
                        break;
                    }
                }
                c.getOutputStream().write("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
        }
    }
}
