package dev.consentry.mitm;

import com.sun.net.httpserver.HttpServer;
import dev.consentry.process.FreePorts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flow file written by Debian's real {@code mitmdump -w} around real loopback traffic, in this order: GET /time
 * (its response body holds the IMEI), POST /reg (body {@code imei=IMEI}), a WebSocket session on /live (the client
 * sends {@code hello imei=IMEI}, the server {@code server says +919876500001}).
 */
public final class RealFlowFiles {
    public static final String IMEI = "865123045678901";

    private RealFlowFiles() {
    }

    /** @return the flow file, {@code dir/real.mitm} */
    public static Path record(Path dir) throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"echo\":\"" + IMEI + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        upstream.start();
        ServerSocket wsServer = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        CompletableFuture<String> wsSeen = CompletableFuture.supplyAsync(() -> webSocketServer(wsServer));
        int proxyPort = FreePorts.one();
        Path recorded = dir.resolve("real.mitm");
        Process mitmdump = new ProcessBuilder("mitmdump", "-q", "--listen-host", "127.0.0.1", "-p",
                Integer.toString(proxyPort), "-w", recorded.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mitmdump.log").toFile()).start();
        try {
            awaitPort(proxyPort, Duration.ofSeconds(30), mitmdump);
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort))).build();
            String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
            send(client, HttpRequest.newBuilder(URI.create(base + "/time")).GET());
            send(client, HttpRequest.newBuilder(URI.create(base + "/reg"))
                    .POST(HttpRequest.BodyPublishers.ofString("imei=" + IMEI)));
            CompletableFuture<String> fromServer = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + wsServer.getLocalPort() + "/live"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            fromServer.complete(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(20, TimeUnit.SECONDS);
            ws.sendText("hello imei=" + IMEI, true).get(20, TimeUnit.SECONDS);
            assertThat(fromServer.get(20, TimeUnit.SECONDS)).isEqualTo("server says +919876500001");
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
            assertThat(wsSeen.get(20, TimeUnit.SECONDS)).isEqualTo("hello imei=" + IMEI);
        } finally {
            stop(mitmdump);
            upstream.stop(0);
            wsServer.close();
        }
        assertThat(recorded).isNotEmptyFile();
        return recorded;
    }

    /**
     * A minimal RFC 6455 server for one connection: the handshake, one text message from the client (returned), one
     * text message back, then the closing handshake.
     */
    private static String webSocketServer(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = readHead(in);
            String key = head.lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String received = new String(frame(in), StandardCharsets.UTF_8);
            byte[] reply = "server says +919876500001".getBytes(StandardCharsets.UTF_8);
            out.write(0x81);
            out.write(reply.length);
            out.write(reply);
            out.flush();
            frame(in); // the client's close
            out.write(new byte[]{(byte) 0x88, 2, 0x03, (byte) 0xE8});
            out.flush();
            return received;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in the handshake");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** One masked client frame's payload (short frames only: under 126 bytes). */
    private static byte[] frame(InputStream in) throws IOException {
        in.readNBytes(1);
        int length = in.read() & 0x7F;
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes(length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return payload;
    }

    /** Requests sent through the proxy to {@code base}, the upstream server's "http://127.0.0.1:PORT". */
    public interface Traffic {
        void send(HttpClient client, String base) throws Exception;
    }

    /**
     * Sends {@code traffic} through a real mitmdump (a free loopback port, its log in {@code dir/mitmdump.log},
     * {@code options} such as {@code -w FILE} or an addon script) to a loopback server that answers every request
     * 200 {@code {"ok":true}}, then stops mitmdump with SIGTERM, on which it closes its -w file and runs its addons'
     * done() hooks.
     */
    public static void throughMitmdump(Path dir, List<String> options, Traffic traffic) throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        upstream.start();
        int proxyPort = FreePorts.one();
        List<String> command = new ArrayList<>(List.of("mitmdump", "-q", "--listen-host", "127.0.0.1", "-p",
                Integer.toString(proxyPort)));
        command.addAll(options);
        Process mitmdump = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mitmdump.log").toFile()).start();
        try {
            awaitPort(proxyPort, Duration.ofSeconds(30), mitmdump);
            traffic.send(HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort))).build(),
                    "http://127.0.0.1:" + upstream.getAddress().getPort());
        } finally {
            stop(mitmdump);
            upstream.stop(0);
        }
    }

    /** SIGTERM, on which mitmdump closes its -w file cleanly; killed if it has not ended 20 s later. */
    private static void stop(Process mitmdump) throws InterruptedException {
        mitmdump.destroy();
        if (!mitmdump.waitFor(20, TimeUnit.SECONDS)) {
            mitmdump.destroyForcibly();
        }
    }

    /** Sends the request with a 20 s timeout and expects 200. */
    public static void send(HttpClient client, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    /** Waits until something listens on the loopback port, failing if {@code p} (mitmdump) dies or time runs out. */
    public static void awaitPort(int port, Duration timeout, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("mitmdump running").isTrue();
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("mitmdump did not listen on " + port + " within " + timeout);
    }
}
