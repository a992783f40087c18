package dev.consentry.mitm;

import dev.consentry.process.ExternalProcess;
import dev.consentry.process.ProcessSpec;
import dev.consentry.sink.SinkServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens when something around the capture goes wrong: Java's end, mitmdump itself, a server that hangs. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MitmdumpResilienceIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private static HttpClient client(InetSocketAddress proxy) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(proxy)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(WAIT).build();
    }

    private static HttpResponse<Void> post(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString("imei=867530900000009")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void addonKeepsTheProxyServingWhenJavasEndIsGone() throws Exception {
        try (SinkServer sink = SinkServer.start();
             ServerSocket java = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CaptureConfig config = MitmdumpCapture.builder().withName("orphan").withConfDir(dir.resolve("conf"))
                    .withWorkDir(dir.resolve("orphan")).withSink(sink.address()).config();
            Path addon = AddonScript.installInto(config.workDir());
            ExternalProcess mitmdump = ExternalProcess.start(ProcessSpec.of("mitmdump", MitmdumpCommand.build(config,
                    addon, new InetSocketAddress(java.getInetAddress(), java.getLocalPort())), config.workDir(),
                    config.logFile()));
            try {
                java.setSoTimeout((int) WAIT.toMillis());
                int proxyPort;
                try (Socket addonConnection = java.accept()) {
                    addonConnection.setSoTimeout((int) WAIT.toMillis());
                    String hello = new BufferedReader(new InputStreamReader(addonConnection.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    StreamEvent.Hello h = (StreamEvent.Hello) StreamParser.parse(hello);
                    String listen = h.listen().get(0);
                    proxyPort = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
                } // Java's end closes here
                HttpClient client = client(new InetSocketAddress("127.0.0.1", proxyPort));

                // The first write after the close may still be buffered by the kernel; the next ones fail.
                for (int i = 0; i < 3; i++) {
                    assertThat(post(client, "http://data.mistat.intl.xiaomi.com/n" + i).statusCode()).isEqualTo(204);
                }

                assertThat(mitmdump.isAlive()).isTrue();
                assertThat(sink.count()).isEqualTo(3);
                String log = Files.readString(config.logFile());
                assertThat(log).contains("CONSENTRY STREAM: BROKEN").contains("NOT DELIVERED");
                assertThat(mitmdump.stop(Duration.ofSeconds(10)).exitCode()).isZero();
                assertThat(Files.readString(config.logFile())).contains("did not reach Java");
            } finally {
                mitmdump.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void mitmdumpDyingMakesTheCaptureUnhealthy() throws Exception {
        try (SinkServer sink = SinkServer.start();
             MitmdumpCapture capture = MitmdumpCapture.builder().withName("dies").withConfDir(dir.resolve("conf"))
                     .withWorkDir(dir.resolve("dies")).withSink(sink.address()).start()) {
            ProcessHandle mitmdump = ProcessHandle.of(capture.pid()).orElseThrow();
            mitmdump.destroyForcibly();
            mitmdump.onExit().get(10, TimeUnit.SECONDS);

            assertThat(capture.health()).isEqualTo(new CaptureHealth.Died(137));
            MitmdumpCapture.Outcome outcome = capture.stop();
            assertThat(outcome.health().healthy()).isFalse();
            assertThat(outcome.complete()).isFalse();
            assertThat(outcome.problems()).anySatisfy(p -> assertThat(p).contains("died during the capture"));
        }
    }

    @Test
    void requestStillWaitingForItsAnswerAtStopIsDeliveredOnce() throws Exception {
        // A sink that reads and never answers: the request is in mitmdump, its response never comes.
        try (ServerSocket blackHole = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CountDownLatch requestArrived = new CountDownLatch(1);
            Thread hole = new Thread(() -> {
                try (Socket s = blackHole.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    requestArrived.countDown();
                    s.getInputStream().read(new byte[1024]); // until mitmdump closes it
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            }, "black-hole");
            hole.setDaemon(true);
            hole.start();
            MitmdumpCapture capture = MitmdumpCapture.builder().withName("hang").withConfDir(dir.resolve("conf"))
                    .withWorkDir(dir.resolve("hang"))
                    .withSink(new InetSocketAddress(blackHole.getInetAddress(), blackHole.getLocalPort())).start();
            CompletableFuture<HttpResponse<Void>> pending = client(capture.proxyAddress()).sendAsync(
                    HttpRequest.newBuilder(URI.create("http://sdkconfig.ad.intl.xiaomi.com/config")).timeout(WAIT)
                            .POST(HttpRequest.BodyPublishers.ofString("imei=867530900000010")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(requestArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            MitmdumpCapture.Outcome outcome = capture.stop();

            assertThat(outcome.flows()).singleElement().satisfies(f -> {
                assertThat(f.request().host()).isEqualTo("sdkconfig.ad.intl.xiaomi.com");
                assertThat(f.request().body()).asString().isEqualTo("imei=867530900000010");
                assertThat(f.response()).isEmpty();
                assertThat(f.error()).isPresent();
            });
            assertThat(outcome.problems()).isEmpty();
            assertThat(outcome.health()).isInstanceOf(CaptureHealth.Stopped.class);
            pending.cancel(true);
        }
    }
}
