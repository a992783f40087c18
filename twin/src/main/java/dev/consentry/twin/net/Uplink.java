package dev.consentry.twin.net;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Puts rendered requests on the wire for real. Through a proxy: java.net.http with HTTP/1.1 (an Android 4.4 stack
 * never speaks HTTP/2; h2c upgrade headers would be a giveaway), CONNECT for HTTPS. Direct to the internet stand-in:
 * plain HTTP in absolute form (which RFC 9112 obliges servers to accept), HTTPS as TLS on a socket to the stand-in
 * with the real host name for SNI and certificate checks. To a destination's own address (hosts map): a socket to
 * that address, HTTP in origin form with a Host header, TLS with the real SNI, as a handset without a proxy sends it.
 * WebSockets: see {@link WebSocketSender}.
 */
final class Uplink {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final Consumer<String> log;
    private final WebSocketSender webSockets = new WebSocketSender(REQUEST_TIMEOUT);
    private CachedClient cached;

    private record CachedClient(InetSocketAddress via, String trustKey, HttpClient client) { }

    /** What HTTPS is verified against; {@code key} changes whenever what is trusted does. */
    record Trust(String key, SSLContext context) { }

    Uplink(Consumer<String> log) {
        this.log = log;
    }

    void send(RenderedRequest request, Route route, Trust anchors) {
        String line = request.method() + " " + request.uri();
        // Java 17: no pattern matching in switch yet.
        if (route instanceof Route.Unroutable u) {
            log.accept(line + ": not sent, " + u.reason());
        } else if (route instanceof Route.ViaProxy p) {
            String what = line + " via proxy " + p.proxy().getHostString() + ":" + p.proxy().getPort();
            if (request.transport().webSocket()) {
                webSocketViaProxy(request, p.proxy(), anchors, what);
            } else {
                viaHttpClient(request, p.proxy(), anchors, what);
            }
        } else if (route instanceof Route.ToDestination d) {
            exchange(request, d.address(), request.transport().tls() ? anchors.context() : null,
                    line + " direct to " + d.address().getAddress().getHostAddress() + ":" + d.address().getPort());
        } else if (route instanceof Route.Direct d) {
            if (request.transport().tls() || request.transport().webSocket()) {
                // A WebSocket to the stand-in goes in origin form: java.net.http would send it CONNECT.
                exchange(request, d.internet(), request.transport().tls() ? anchors.context() : null,
                        line + " direct");
            } else {
                viaHttpClient(request, d.internet(), anchors, line + " direct");
            }
        }
    }

    private void webSocketViaProxy(RenderedRequest request, InetSocketAddress via, Trust anchors, String what) {
        try {
            log.accept(what + ": " + webSockets.viaClient(client(via, anchors), request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void viaHttpClient(RenderedRequest request, InetSocketAddress via, Trust anchors,
                               String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(REQUEST_TIMEOUT)
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        try {
            HttpResponse<Void> r = client(via, anchors).send(b.build(), HttpResponse.BodyHandlers.discarding());
            log.accept(what + ": HTTP " + r.statusCode());
        } catch (IOException e) {
            log.accept(what + ": failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized HttpClient client(InetSocketAddress via, Trust anchors) {
        if (cached == null || !cached.via().equals(via) || !cached.trustKey().equals(anchors.key())) {
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(CONNECT_TIMEOUT).proxy(ProxySelector.of(via))
                    .followRedirects(HttpClient.Redirect.NEVER).sslContext(anchors.context()).build();
            cached = new CachedClient(via, anchors.key(), c);
        }
        return cached.client();
    }

    /**
     * One request on its own connection (a WebSocket's whole life); {@code tls} null for plain HTTP. Logs the status
     * line or the failure.
     */
    private void exchange(RenderedRequest request, InetSocketAddress to, SSLContext tls, String what) {
        String host = request.uri().getHost();
        try (Socket raw = new Socket()) {
            raw.connect(to, (int) CONNECT_TIMEOUT.toMillis());
            raw.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            Socket s = raw;
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, to.getPort(), false);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setServerNames(List.of(new SNIHostName(host)));
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                s = ssl;
            }
            try (Socket conn = s) {
                if (request.transport().webSocket()) {
                    log.accept(what + ": " + webSockets.onSocket(conn, request));
                    return;
                }
                OutputStream out = conn.getOutputStream();
                out.write(head(request).getBytes(StandardCharsets.ISO_8859_1));
                out.write(request.body());
                out.flush();
                String status = new BufferedReader(new InputStreamReader(conn.getInputStream(),
                        StandardCharsets.ISO_8859_1)).readLine();
                log.accept(what + ": " + Objects.requireNonNullElse(status, "connection closed without a response"));
            }
        } catch (IOException e) {
            log.accept(what + ": failed: " + describe(e));
        }
    }

    private static String head(RenderedRequest r) {
        return r.originHead().append("Content-Length: ").append(r.body().length)
                .append("\r\nConnection: close\r\n\r\n").toString();
    }

    static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return s.toString();
    }
}
