package dev.consentry.sink;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The internet, as far as a handset in sink mode can tell: every request to any host, method and path is answered at
 * once, so the handset carries on as if its servers had accepted what it sent.
 *
 * <p>Answers: {@code 200 {}} with {@code application/json} when the request looks like JSON traffic (its Accept or
 * Content-Type mentions json), because JSON clients treat an empty 204 body as a parse error and may retry or stop;
 * {@code 204 No Content} otherwise, since an empty answer is valid for everything else. HEAD always gets 204.
 * A WebSocket upgrade is accepted and its messages read until the client closes ({@link SinkFront}): an app then
 * sends on its socket what it would send on the internet, and the capture sees it. Nothing is forwarded anywhere.
 */
public final class SinkServer implements AutoCloseable {
    public static final int DEFAULT_KEPT = 1_000;
    private static final byte[] JSON_BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    /** Set once the HTTP server is up: where the sink is reached. */
    private SinkFront front;
    private final int kept;
    private final Deque<SinkRequest> recent = new ArrayDeque<>();
    private final AtomicLong count = new AtomicLong();

    private SinkServer(HttpServer server, ExecutorService executor, int kept) {
        this.server = server;
        this.executor = executor;
        this.kept = kept;
    }

    /** A sink on a free loopback port that keeps the last {@value #DEFAULT_KEPT} requests. */
    public static SinkServer start() {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), DEFAULT_KEPT);
    }

    /**
     * @param bind where to listen (port 0: a free one)
     * @param kept how many of the latest requests {@link #requests()} keeps; the count covers all of them
     */
    public static SinkServer start(InetSocketAddress bind, int kept) {
        if (kept < 0) {
            throw new IllegalArgumentException("kept must be >= 0");
        }
        try {
            // The HTTP server answers on loopback only, behind the front that listens where asked.
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "consentry-sink");
                t.setDaemon(true);
                return t;
            });
            SinkServer sink = new SinkServer(server, executor, kept);
            server.createContext("/", sink::handle);
            server.setExecutor(executor);
            server.start();
            try {
                sink.front = SinkFront.start(bind, server.getAddress(), sink::record);
            } catch (IOException e) {
                sink.close();
                throw e;
            }
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("the sink cannot listen on " + bind, e);
        }
    }

    public InetSocketAddress address() {
        return front.address();
    }

    /** All requests answered since start, including those no longer kept. */
    public long count() {
        return count.get();
    }

    /** The latest requests, oldest first (bounded). */
    public List<SinkRequest> requests() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** Latest first match by Host header (case-insensitive, port ignored). */
    public Optional<SinkRequest> lastFor(String host) {
        List<SinkRequest> all = requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            String h = all.get(i).host();
            int colon = h.lastIndexOf(':');
            String bare = colon > 0 && h.indexOf(']') < colon ? h.substring(0, colon) : h;
            if (bare.equalsIgnoreCase(host)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long bodyLength = drain(exchange.getRequestBody());
            Headers in = exchange.getRequestHeaders();
            String host = Optional.ofNullable(in.getFirst("Host")).orElse("");
            record(new SinkRequest(Instant.now(), exchange.getRequestMethod(), host,
                    exchange.getRequestURI().getRawPath() + Optional.ofNullable(exchange.getRequestURI()
                            .getRawQuery()).map(q -> "?" + q).orElse(""), bodyLength));
            boolean json = !"HEAD".equalsIgnoreCase(exchange.getRequestMethod())
                    && (mentionsJson(in.getFirst("Accept")) || mentionsJson(in.getFirst("Content-Type")));
            if (json) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, JSON_BODY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(JSON_BODY);
                }
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
        }
    }

    private static boolean mentionsJson(String header) {
        return header != null && header.toLowerCase(Locale.ROOT).contains("json");
    }

    private static long drain(InputStream body) throws IOException {
        long total = 0;
        byte[] buffer = new byte[8192];
        for (int n; (n = body.read(buffer)) != -1; ) {
            total += n;
        }
        return total;
    }

    private void record(SinkRequest request) {
        count.incrementAndGet();
        synchronized (recent) {
            if (kept == 0) {
                return;
            }
            if (recent.size() == kept) {
                recent.removeFirst();
            }
            recent.addLast(request);
        }
    }

    @Override
    public void close() {
        if (front != null) {
            front.close();
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SinkServer[" + address() + ", " + count() + " requests]";
    }
}
