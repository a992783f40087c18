package dev.consentry.lab;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.allure.EvidenceChain;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.consent.Timeline;
import dev.consentry.leak.Finding;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.sink.SinkServer;
import dev.consentry.verdict.Evidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handset that sends personal data over a WebSocket, through a real mitmdump (Debian's 8.1.1): the addon's stream
 * carries the upgrade only, so the evidence reads the messages from mitmdump's -w file. Before 2026-11-25 they were
 * never searched in a run (`analyze` searched them in flow files).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebSocketEvidenceIT {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");
    private static final Canary PHONE = Canary.of(CanaryKind.PHONE_NUMBER, "+919876500001");

    @TempDir
    Path work;

    @Test
    void whatTheHandsetSendsOnAWebSocketIsSearchedAndWhatTheServerSendsIsNot() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> serveOne(server,
                    "{\"to\":\"" + PHONE.value() + "\"}"));
            MitmdumpCapture capture = MitmdumpCapture.builder().withName("ws").withListenPort(0)
                    .withConfDir(work.resolve("conf")).withoutSink().withWorkDir(work.resolve("ws"))
                    .withStartupTimeout(Duration.ofSeconds(30)).start();
            MitmdumpCapture.Outcome outcome;
            String sync = "{\"op\":\"sync\",\"d\":\""
                    + Base64.getEncoder().encodeToString(("imei=" + IMEI.value()).getBytes()) + "\"}";
            try {
                HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(capture.proxyAddress()))
                        .connectTimeout(Duration.ofSeconds(10)).build();
                CompletableFuture<CharSequence> fromServer = new CompletableFuture<>();
                WebSocket ws = client.newWebSocketBuilder().buildAsync(
                        URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/sync"), new WebSocket.Listener() {
                            @Override
                            public CompletableFuture<?> onText(WebSocket w, CharSequence data, boolean last) {
                                fromServer.complete(data);
                                return null;
                            }
                        }).get(20, TimeUnit.SECONDS);
                assertThat(fromServer.get(20, TimeUnit.SECONDS).toString()).contains(PHONE.value());
                ws.sendText(sync, true).get(10, TimeUnit.SECONDS);
                ws.sendText("{\"op\":\"ping\"}", true).get(10, TimeUnit.SECONDS);
                assertThat(served.get(20, TimeUnit.SECONDS)).contains("\"op\":\"ping\"");
                // Left open: mitmproxy's save addon writes a still-open WebSocket flow when mitmdump stops.
                capture.awaitFlow(f -> f.request().path().equals("/sync"), Duration.ofSeconds(15));
            } finally {
                outcome = capture.stop();
            }
            Evidence e = CaptureEvidence.of("handset", "cloud-opt-out", outcome, List.of(IMEI, PHONE), List.of(),
                    Timeline.EMPTY);

            assertThat(e.problems()).isEmpty();
            assertThat(e.leaks()).singleElement().satisfies(f -> {
                assertThat(f.canary()).isEqualTo(IMEI);
                assertThat(f.location()).isEqualTo("websocket");
                assertThat(f.transforms()).containsExactly("base64");
                assertThat(f.host()).isEqualTo("127.0.0.1");
            });

            // The evidence keeps the messages it searched, so the report replays the finding from them.
            Finding found = e.leaks().get(0);
            CapturedFlow upgrade = outcome.flows().stream().filter(f -> f.id().equals(found.flowId())).findFirst()
                    .orElseThrow();
            assertThat(e.sent().byFlow()).containsOnlyKeys(found.flowId());
            List<byte[]> sentOn = e.sent().of(found.flowId());
            assertThat(sentOn).extracting(m -> new String(m, StandardCharsets.UTF_8))
                    .containsExactly(sync, "{\"op\":\"ping\"}");
            EvidenceChain chain = EvidenceChain.replay(found, upgrade, sentOn);
            assertThat(chain.reached()).isTrue();
            assertThat(chain.stages()).extracting(EvidenceChain.Stage::step).containsExactly("sent", "base64");
            assertThat(EvidenceChain.replay(found, upgrade).reached()).isFalse(); // the upgrade request holds none

            // A flow file that cannot be read leaves the messages unsearched: a problem, never silence.
            Files.writeString(outcome.flowFile(), "not a flow file");
            Evidence broken = CaptureEvidence.of("handset", "cloud-opt-out", outcome, List.of(IMEI), List.of(),
                    Timeline.EMPTY);
            assertThat(broken.leaks()).extracting(Finding::location).doesNotContain("websocket");
            assertThat(broken.sent().byFlow()).isEmpty();
            assertThat(broken.problems()).isNotEmpty().anyMatch(p -> p.contains("was not searched")
                    || p.contains("were not searched"));
        }
    }

    @Test
    void inSinkModeTheSinkAcceptsTheSocketSoWhatTheHandsetSendsIsCaptured() throws Exception {
        // Before 2026-11-25 the sink answered the upgrade with 204: the handshake failed, and an app that would have
        // sent personal data on its socket sent nothing the capture could see.
        try (SinkServer sink = SinkServer.start()) {
            MitmdumpCapture capture = MitmdumpCapture.builder().withName("ws-sink").withListenPort(0)
                    .withConfDir(work.resolve("conf")).withSink(sink.address()).withWorkDir(work.resolve("ws-sink"))
                    .withStartupTimeout(Duration.ofSeconds(30)).start();
            MitmdumpCapture.Outcome outcome;
            try {
                HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(capture.proxyAddress()))
                        .connectTimeout(Duration.ofSeconds(10)).build();
                CompletableFuture<Integer> closed = new CompletableFuture<>();
                WebSocket ws = client.newWebSocketBuilder().buildAsync(
                        URI.create("ws://push.example.invalid/v3/channel"), new WebSocket.Listener() {
                            @Override
                            public CompletableFuture<?> onClose(WebSocket w, int status, String reason) {
                                closed.complete(status);
                                return null;
                            }
                        }).get(20, TimeUnit.SECONDS);
                ws.sendText("{\"op\":\"register\",\"imei\":\"" + IMEI.value() + "\"}", true)
                        .get(10, TimeUnit.SECONDS);
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
                assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
                capture.awaitFlow(f -> f.request().path().equals("/v3/channel"), Duration.ofSeconds(15));
            } finally {
                outcome = capture.stop();
            }
            assertThat(sink.lastFor("push.example.invalid")).hasValueSatisfying(
                    q -> assertThat(q.path()).isEqualTo("/v3/channel"));
            Evidence e = CaptureEvidence.of("handset", "first-boot", outcome, List.of(IMEI, PHONE), List.of(),
                    Timeline.EMPTY);
            assertThat(e.problems()).isEmpty();
            assertThat(e.leaks()).singleElement().satisfies(f -> {
                assertThat(f.canary()).isEqualTo(IMEI);
                assertThat(f.location()).isEqualTo("websocket");
                assertThat(f.host()).isEqualTo("push.example.invalid");
                assertThat(f.transforms()).isEmpty();
            });
        }
    }

    /**
     * One WebSocket connection (RFC 6455): the upgrade, one text message to the client, then the client's text
     * messages (masked) until two have come or the connection ends; returns what the client sent.
     */
    private static String serveOne(ServerSocket server, String toClient) {
        try (Socket s = server.accept()) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = readHead(in);
            Matcher key = Pattern.compile("(?im)^sec-websocket-key:\\s*(\\S+)").matcher(head);
            if (!key.find()) {
                return "no key in: " + head;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] text = toClient.getBytes(StandardCharsets.UTF_8);
            out.write(new byte[]{(byte) 0x81, (byte) text.length});
            out.write(text);
            out.flush();
            StringBuilder got = new StringBuilder();
            for (int messages = 0; messages < 2; messages++) {
                int b0 = in.read();
                int b1 = in.read();
                if (b0 < 0 || b1 < 0) {
                    break;
                }
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = len << 8 | in.read();
                    }
                }
                byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
                byte[] payload = in.readNBytes((int) len);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                got.append(new String(payload, StandardCharsets.UTF_8)).append('\n');
            }
            return got.toString();
        } catch (Exception e) {
            return "server failed: " + e;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && head.size() < 16_384) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
