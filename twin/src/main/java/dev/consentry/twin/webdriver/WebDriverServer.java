package dev.consentry.twin.webdriver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handset's Appium endpoint: W3C WebDriver over HTTP at the server root, like Appium 3. Listens on loopback
 * only; the Grid relay and the tests run on the same machine.
 */
public final class WebDriverServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router = new Router();
    private final ObjectMapper json = new ObjectMapper();
    private final Device device;

    public WebDriverServer(Device device, int port, String version) throws IOException {
        this(device, InetAddress.getLoopbackAddress(), port, version);
    }

    /**
     * @param bind loopback normally; a twin inside a network namespace binds its management address instead (the
     *             stand-in for a handset's USB cable), which the lab reaches while the handset's traffic goes through
     *             the access point
     */
    public WebDriverServer(Device device, InetAddress bind, int port, String version) throws IOException {
        this.device = device;
        SessionRegistry sessions = new SessionRegistry(device);
        new SessionCommands(device, sessions, version).register(router);
        new ElementCommands(device, sessions).register(router);
        new ScreenCommands(device, sessions).register(router);
        new MobileCommands(device, sessions).register(router);
        server = HttpServer.create(new InetSocketAddress(bind, port), 50);
        AtomicInteger n = new AtomicInteger();
        // Several threads: an implicit wait in one request must not block /status polls from the Grid.
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "twin-" + device.serial() + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        InetAddress a = server.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        return URI.create("http://" + host + ":" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        Object payload;
        try {
            Object body = readBody(exchange);
            Router.Match match = router.route(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
            payload = Collections.singletonMap("value", match.handler().handle(new Request(match.params(), body)));
        } catch (WebDriverException e) {
            status = e.code().status();
            payload = error(e.code(), e.getMessage(), e);
        } catch (RuntimeException e) {
            status = 500;
            device.log("appium", "internal error: " + e);
            payload = error(ErrorCode.UNKNOWN_ERROR, "An unknown server-side error occurred while processing the "
                    + "command. Original error: " + e.getMessage(), e);
        }
        byte[] out = json.writeValueAsBytes(payload);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private Object readBody(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return null;
            }
            return json.readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            throw new WebDriverException(ErrorCode.INVALID_ARGUMENT, "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new WebDriverException(ErrorCode.UNKNOWN_ERROR, "could not read the request: " + e.getMessage());
        }
    }

    private static Map<String, Object> error(ErrorCode code, String message, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("error", code.wireName());
        value.put("message", message);
        value.put("stacktrace", trace.toString());
        return Collections.singletonMap("value", value);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
