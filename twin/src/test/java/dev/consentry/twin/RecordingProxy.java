package dev.consentry.twin;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
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
import java.time.Duration;
import java.time.Instant;
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
 * terminates TLS with a certificate from the test CA (when it has one) and records the request inside. Answers 204.
 */
final class RecordingProxy implements AutoCloseable {
    record Flow(String scheme, String method, String host, String target, Map<String, String> headers, byte[] body) {
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
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] line = head.get(0).split(" ");
            if (line[0].equals("CONNECT")) {
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (tls == null) {
                    failures.add("CONNECT " + line[1] + " without a CA to intercept with");
                    return;
                }
                try (SSLSocket inner = (SSLSocket) tls.getSocketFactory().createSocket(socket, null,
                        socket.getPort(), false)) {
                    inner.setUseClientMode(false);
                    inner.startHandshake();
                    List<String> innerHead = readHead(inner.getInputStream());
                    String[] rl = innerHead.get(0).split(" ");
                    Map<String, String> h = headers(innerHead);
                    byte[] body = body(inner.getInputStream(), h);
                    flows.add(new Flow("https", rl[0], line[1].replaceFirst(":443$", ""), rl[1], h, body));
                    respond(inner.getOutputStream());
                } catch (IOException e) {
                    failures.add("TLS with client for " + line[1] + ": " + e);
                }
                return;
            }
            Map<String, String> h = headers(head);
            byte[] body = body(in, h);
            if (line[1].startsWith("/")) {
                // Origin form: a client that took this for the destination server itself, not for a proxy.
                flows.add(new Flow("http", line[0], h.getOrDefault("host", ""), line[1], h, body));
                respond(socket.getOutputStream());
                return;
            }
            java.net.URI uri = java.net.URI.create(line[1]);
            flows.add(new Flow("http", line[0], uri.getHost(), uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), h, body));
            respond(socket.getOutputStream());
        } catch (SocketTimeoutException e) {
            failures.add("timeout: " + e);
        } catch (IOException | RuntimeException e) {
            failures.add(e.toString());
        }
    }

    private static void respond(OutputStream out) throws IOException {
        out.write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
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
