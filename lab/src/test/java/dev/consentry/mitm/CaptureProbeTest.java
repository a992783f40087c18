package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe's own timing, against a loopback proxy that always answers and a stream that is slow on purpose. */
class CaptureProbeTest {

    /** Answers every request at once; its "stream" shows a request only after {@code streamDelay}. */
    private static final class SlowStream implements ProbeTarget, AutoCloseable {
        private final ServerSocket server;
        private final Duration streamDelay;
        private final Set<String> paths = ConcurrentHashMap.newKeySet();
        private final CountDownLatch answered = new CountDownLatch(1);

        SlowStream(Duration streamDelay) throws IOException {
            this.streamDelay = streamDelay;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::serve, "slow-stream proxy");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    paths.add(line.split(" ")[1].replaceFirst("^http://[^/]+", ""));
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    answered.countDown();
                } catch (IOException | RuntimeException e) {
                    // closed, or a request this fake does not understand: the probe will say so
                }
            }
        }

        @Override
        public String name() {
            return "slow-stream";
        }

        @Override
        public InetSocketAddress proxyAddress() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        @Override
        public Optional<CapturedFlow> awaitFlow(Predicate<CapturedFlow> matching, Duration timeout)
                throws InterruptedException {
            Thread.sleep(streamDelay.toMillis()); // deliberately ignores the time-out: a stream that lags
            return paths.stream().map(SlowStream::flow).filter(matching).findFirst();
        }

        private static CapturedFlow flow(String path) {
            return new CapturedFlow(path, Instant.now(), "127.0.0.1:1", new HttpRequestData("GET", "http",
                    CaptureProbe.HOST, 80, path, "HTTP/1.1", List.of(), new byte[0]), Optional.empty(),
                    Optional.empty());
        }

        boolean awaitAnswered() throws InterruptedException {
            return answered.await(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Probes every 10 ms, and closes the probe once one is in flight: answered by the proxy, not yet in the stream. */
    private static CaptureProbe closedWhileInFlight(Duration streamDelay, Duration timeout) throws Exception {
        try (SlowStream target = new SlowStream(streamDelay)) {
            CaptureProbe probe = new CaptureProbe(target, timeout, Clock.systemUTC()).every(Duration.ofMillis(10));
            assertThat(target.awaitAnswered()).as("a periodic probe reached the proxy").isTrue();
            probe.close();
            return probe;
        }
    }

    @Test
    void aProbeInFlightWhenClosedIsLetFinishAndLeavesNoGap() throws Exception {
        CaptureProbe probe = closedWhileInFlight(Duration.ofMillis(400), Duration.ofSeconds(2));

        assertThat(probe.results()).isNotEmpty().allSatisfy(r -> assertThat(r.healthy()).as(r.why()).isTrue());
        assertThat(probe.gaps()).isEmpty();
    }

    @Test
    void aProbeThatOutlivesItsTimeOutIsInterruptedAtCloseAndCountsAsAGap() throws Exception {
        CaptureProbe probe = closedWhileInFlight(Duration.ofMinutes(5), Duration.ofMillis(100));

        assertThat(probe.results()).singleElement().satisfies(r -> {
            assertThat(r.healthy()).isFalse();
            assertThat(r.why()).isEqualTo("interrupted while probing");
        });
        assertThat(probe.gaps()).singleElement()
                .satisfies(g -> assertThat(g.why()).endsWith("the capture did not recover"));
    }
}
