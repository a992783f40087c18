package dev.consentry.process;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HttpProbeTest {
    @Test
    void readyOnlyOnHttp200() throws Exception {
        AtomicInteger status = new AtomicInteger(503);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/status", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/status");
            HttpProbe probe = new HttpProbe(url, Duration.ofSeconds(2));

            assertThat(probe.notReadyBecause()).contains(url + " answered HTTP 503");
            status.set(200);
            assertThat(probe.notReadyBecause()).isEmpty();
        } finally {
            server.stop(0);
        }
    }
}
