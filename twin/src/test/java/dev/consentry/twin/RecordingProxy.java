package dev.consentry.twin;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A minimal intercepting HTTP proxy on loopback, playing mitmdump's part: records plain HTTP requests, and for CONNECT
 * terminates TLS with a certificate from the test CA (when it has one) and records the request inside (or reads it
 * plain when the client tunnels plain HTTP, as java.net.http does for {@code ws}). Answers 204, or 101 to a WebSocket
 * upgrade, whose messages it then records until the client's close.
 */
final class RecordingProxy implements AutoCloseable {
    /** @param messages what the client sent on a WebSocket this request opened (unmasked), in order */
    record Flow(String scheme, String method, String host, String target, Map<String, String> headers, byte[] body,
                List<byte[]> messages) {
        Flow(String scheme, String method, String host, String target, Map<String, String> headers, byte[] body) {
            this(scheme, method, host, target, headers, body, List.of());
        }

        /** The body as the server would read it (gzip undone). */
        String text() {
            try {
                byte[] b = "gzip".equalsIgnoreCase(headers.get("content-encoding"))
                        ? new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes() : body;
                return new String(b, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-proxy");
        t.setDaemon(true);
        return t;
    });
    final List<Flow> flows = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    RecordingProxy(SSLContext tls) throws IOException {
        this.tls = tls;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Waits (bounded) for a flow matching the condition. */
    Flow await(Predicate<Flow> condition, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            for (Flow f : flows) {
                if (condition.test(f)) {
                    return f;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching flow within " + timeout + "; saw " + flows.stream()
                .map(f -> f.scheme() + " " + f.method() + " " + f.host() + f.target()).toList()
                + (failures.isEmpty() ? "" : "; failures " + failures));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.submit(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            int opening = in.read();
            if (opening == 0x16) {
                // A TLS handshake record straight away: a client that took this for the destination itself.
                tls(socket, null);
                return;
            }
            List<String> head = readHead(in, opening);
            if (head.isEmpty()) {
                return;
            }
            String[] line = head.get(0).split(" ");
            if (line[0].equals("CONNECT")) {
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                int first = in.read();
                if (first == 0x16) {
                    tls(socket, line[1]);
                    return;
                }
                // A plain tunnel (java.net.http takes one for ws://): the request inside, read plain.
                List<String> innerHead = readHead(in, first);
                if (innerHead.isEmpty()) {
                    return;
                }
                serve("http", line[1].replaceFirst(":80$", ""), innerHead.get(0).split(" "), headers(innerHead), in,
                        socket.getOutputStream());
                return;
            }
            Map<String, String> h = headers(head);
            if (line[1].startsWith("/")) {
                // Origin form: a client that took this for the destination server itself, not for a proxy.
                serve("http", h.getOrDefault("host", ""), line, h, in, socket.getOutputStream());
                return;
            }
            java.net.URI uri = java.net.URI.create(line[1]);
            serve("http", uri.getHost(), new String[] {line[0], uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())}, h, in, socket.getOutputStream());
        } catch (SocketTimeoutException e) {
            failures.add("timeout: " + e);
        } catch (IOException | RuntimeException e) {
            failures.add(e.toString());
        }
    }

    /**
     * TLS with the client, whose handshake record's first byte (0x16) has been read, then the request inside.
     * @param connected the CONNECT target, or null when the client came straight here (the Host header names it)
     */
    private void tls(Socket socket, String connected) {
        String what = connected != null ? connected : "a direct connection";
        if (tls == null) {
            failures.add((connected != null ? "CONNECT " + connected : "TLS") + " without a CA to intercept with");
            return;
        }
        try (SSLSocket inner = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                new ByteArrayInputStream(new byte[] {0x16}), false)) {
            inner.setUseClientMode(false);
            inner.startHandshake();
            List<String> innerHead = readHead(inner.getInputStream(), inner.getInputStream().read());
            Map<String, String> h = headers(innerHead);
            String host = connected != null ? connected.replaceFirst(":443$", "") : h.getOrDefault("host", "");
            serve("https", host, innerHead.get(0).split(" "), h, inner.getInputStream(), inner.getOutputStream());
        } catch (IOException e) {
            failures.add("TLS with client for " + what + ": " + e);
        }
    }

    /** Records one request whose line is {@code rl} (method, target) and answers it; a WebSocket is served whole. */
    private void serve(String scheme, String host, String[] rl, Map<String, String> h, InputStream in,
                       OutputStream out) throws IOException {
        byte[] body = body(in, h);
        if ("websocket".equalsIgnoreCase(h.get("upgrade")) && h.containsKey("sec-websocket-key")) {
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(h.get("sec-websocket-key")) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<byte[]> messages = new ArrayList<>();
            for (byte[] frame = frame(in); frame != null; frame = frame(in)) {
                if ((frame[0] & 0x0f) == 8) {
                    out.write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe8}); // close, 1000
                    out.flush();
                    break;
                }
                messages.add(Arrays.copyOfRange(frame, 1, frame.length));
            }
            flows.add(new Flow(scheme.equals("https") ? "wss" : "ws", rl[0], host, rl[1], h, body, messages));
            return;
        }
        flows.add(new Flow(scheme, rl[0], host, rl[1], h, body));
        respond(out);
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One client frame: its first byte, then its payload unmasked; null at the end of the stream. A client that
     * sends an unmasked frame breaks RFC 6455 5.1: recorded as a failure.
     */
    private byte[] frame(InputStream in) throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            return null;
        }
        if ((second & 0x80) == 0) {
            failures.add("an unmasked client frame");
        }
        long n = second & 0x7f;
        if (n >= 126) {
            byte[] ext = in.readNBytes(n == 126 ? 2 : 8);
            n = 0;
            for (byte b : ext) {
                n = n << 8 | (b & 0xff);
            }
        }
        byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
        byte[] payload = in.readNBytes((int) n);
        byte[] out = new byte[payload.length + 1];
        out[0] = (byte) first;
        for (int i = 0; i < payload.length; i++) {
            out[i + 1] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return out;
    }

    private static void respond(OutputStream out) throws IOException {
        out.write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The head's lines, {@code first} being its first byte, already read (-1: the stream had ended). */
    private static List<String> readHead(InputStream in, int first) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        for (int b = first; b >= 0; b = in.read()) {
            if (b == '\n') {
                String l = cur.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
                cur.reset();
                if (l.isEmpty()) {
                    return lines;
                }
                lines.add(l);
            } else {
                cur.write(b);
            }
        }
        return lines;
    }

    private static Map<String, String> headers(List<String> head) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String l : head.subList(1, head.size())) {
            int c = l.indexOf(':');
            h.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
        }
        return h;
    }

    private static byte[] body(InputStream in, Map<String, String> h) throws IOException {
        int n = Integer.parseInt(h.getOrDefault("content-length", "0"));
        return in.readNBytes(n);
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
