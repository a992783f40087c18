package dev.consentry.mitm;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.process.ProcessStartException;
import dev.consentry.sink.SinkServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real mitmdump (Debian's 8.1.1) in sink mode. The target hosts do not resolve on this machine: the clients hand
 * the names to the proxy (absolute URL for http, CONNECT for https) and the sink answers, so nothing needs DNS.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MitmdumpCaptureIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path shared;
    @TempDir
    Path work;

    private static SinkServer sink;

    @BeforeAll
    static void startSink() {
        sink = SinkServer.start();
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    private MitmdumpCapture start(String name) {
        return MitmdumpCapture.builder().withName(name).withListenPort(0).withConfDir(shared.resolve("conf"))
                .withSink(sink.address()).withWorkDir(work.resolve(name))
                .withStartupTimeout(Duration.ofSeconds(30)).start();
    }

    private static HttpClient.Builder through(MitmdumpCapture capture) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(capture.proxyAddress()))
                .connectTimeout(Duration.ofSeconds(10));
    }

    @Test
    void plainHttpPostArrivesExactlyAsSentWhileTheSinkAnswers() throws Exception {
        try (MitmdumpCapture capture = start("redmi-1s-miui5-2014")) {
            assertThat(capture.health()).isInstanceOf(CaptureHealth.Running.class);
            CompletableFuture<CapturedFlow> heard = new CompletableFuture<>();
            capture.addListener(new CaptureListener() {
                @Override
                public void onFlow(CapturedFlow flow) {
                    heard.complete(flow);
                }
            });
            HttpClient client = through(capture).version(HttpClient.Version.HTTP_1_1).build();
            String body = "imei=867530900000001&phone=%2B919812345678&name=Canary+One";

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://api.account.xiaomi.com/pass/v2/register?sid=miui_cloud"))
                    .timeout(WAIT).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Canary", "first").header("X-Canary", "second")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(204);
            CapturedFlow flow = capture.awaitFlow(f -> f.request().path().startsWith("/pass/v2/register"), WAIT)
                    .orElseThrow(() -> new AssertionError("no flow; log:\n" + capture.logTail()));
            assertThat(flow.request().method()).isEqualTo("POST");
            assertThat(flow.request().url())
                    .isEqualTo("http://api.account.xiaomi.com/pass/v2/register?sid=miui_cloud");
            assertThat(flow.request().httpVersion()).isEqualTo("HTTP/1.1");
            assertThat(flow.request().body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
            assertThat(flow.request().header("Host")).contains("api.account.xiaomi.com");
            assertThat(flow.request().headers()).filteredOn(h -> h.name().equalsIgnoreCase("X-Canary"))
                    .extracting(HttpHeader::value).containsExactly("first", "second");
            assertThat(flow.response()).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(204));
            assertThat(flow.client()).startsWith("127.0.0.1:");
            assertThat(heard.get(WAIT.toSeconds(), TimeUnit.SECONDS).id()).isEqualTo(flow.id());

            assertThat(sink.lastFor("api.account.xiaomi.com")).hasValueSatisfying(q -> {
                assertThat(q.method()).isEqualTo("POST");
                assertThat(q.path()).isEqualTo("/pass/v2/register?sid=miui_cloud");
                assertThat(q.bodyLength()).isEqualTo(body.length());
            });
        }
    }

    @Test
    void httpsFromAClientThatTrustsTheLabCaIsDecrypted() throws Exception {
        try (MitmdumpCapture capture = start("redmi-note-2014-08")) {
            LabCa ca = LabCa.load(capture.config().confDir());
            assertThat(ca.pemFile()).isEqualTo(capture.caCertificatePem());
            HttpClient client = through(capture).sslContext(trusting(ca)).build(); // HTTP/2 offered, as apps do
            String json = "{\"imei\":\"867530900000002\",\"event\":\"first_boot\"}";

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("https://sa.api.intl.miui.com/track/spock"))
                    .timeout(WAIT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{}");
            CapturedFlow flow = capture.awaitFlow(f -> f.request().host().equals("sa.api.intl.miui.com"), WAIT)
                    .orElseThrow(() -> new AssertionError("no flow; log:\n" + capture.logTail()));
            assertThat(flow.request().url()).isEqualTo("https://sa.api.intl.miui.com/track/spock");
            assertThat(flow.request().body()).asString(StandardCharsets.UTF_8).isEqualTo(json);
            assertThat(sink.lastFor("sa.api.intl.miui.com")).isPresent();

            MitmdumpCapture.Outcome outcome = capture.stop();
            assertThat(outcome.problems()).isEmpty();
            assertThat(outcome.flows()).extracting(CapturedFlow::id).containsExactly(flow.id());
            // The evidence file holds the request as sent (the addon restores it before mitmdump saves it).
            assertThat(new String(Files.readAllBytes(outcome.flowFile()), StandardCharsets.ISO_8859_1))
                    .contains("sa.api.intl.miui.com").contains("867530900000002");
        }
    }

    @Test
    void httpsFromAClientThatRefusesTheLabCaIsATlsFailureAndNoFlow() throws Exception {
        try (MitmdumpCapture capture = start("pixel-untrusting")) {
            HttpClient client = through(capture).build(); // default trust store: no lab CA

            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                            URI.create("https://tracking.intl.miui.com/track/spock")).timeout(WAIT)
                    .POST(HttpRequest.BodyPublishers.ofString("imei=867530900000003")).build(),
                    HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);

            TlsFailure failure = capture.awaitTlsFailure(f -> f.target().equals("tracking.intl.miui.com"), WAIT)
                    .orElseThrow(() -> new AssertionError("no TLS failure; log:\n" + capture.logTail()));
            assertThat(failure.sni()).contains("tracking.intl.miui.com");
            assertThat(failure.host()).contains("tracking.intl.miui.com");
            assertThat(failure.port()).isEqualTo(443);
            assertThat(failure.client()).startsWith("127.0.0.1:");
            assertThat(failure.error()).containsIgnoringCase("certificate");

            // A later plain request as a barrier: the stream is ordered, so once it is here nothing else is coming.
            through(capture).version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                    URI.create("http://barrier.invalid/")).timeout(WAIT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(capture.awaitFlow(f -> f.request().host().equals("barrier.invalid"), WAIT)).isPresent();

            MitmdumpCapture.Outcome outcome = capture.stop();
            assertThat(outcome.flows()).extracting(f -> f.request().host()).containsExactly("barrier.invalid");
            assertThat(outcome.tlsFailures()).containsExactly(failure);
            assertThat(outcome.problems()).isEmpty();
        }
    }

    @Test
    void portAlreadyBoundFailsWithCommandLineAndLogTail() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MitmdumpCapture.Builder builder = MitmdumpCapture.builder().withName("port-clash")
                    .withListenPort(taken.getLocalPort()).withConfDir(shared.resolve("conf"))
                    .withSink(sink.address()).withWorkDir(work.resolve("clash"))
                    .withStartupTimeout(Duration.ofSeconds(30));

            assertThatThrownBy(builder::start).isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("command: mitmdump --listen-host 127.0.0.1 --listen-port "
                            + taken.getLocalPort())
                    .hasMessageContaining("address already in use")
                    .hasMessageContaining("hint: the listen port is taken")
                    .satisfies(e -> assertThat(((ProcessStartException) e).logTail())
                            .contains("error while attempting to bind"));
        }
    }

    @Test
    void closeLeavesNoMitmdumpRunning() throws Exception {
        long pid;
        MitmdumpCapture capture = start("short-lived");
        pid = capture.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        capture.close();

        Optional<ProcessHandle> after = ProcessHandle.of(pid);
        assertThat(after.map(ProcessHandle::isAlive).orElse(false)).as("mitmdump pid %d still alive", pid).isFalse();
        assertThat(capture.health()).isEqualTo(new CaptureHealth.Stopped(0));
        assertThat(capture.stop().complete()).isTrue();
        assertThat(capture.stop()).isSameAs(capture.stop());
    }

    @Test
    void labCaHashMatchesOpenSslForMitmproxysOwnCa() throws Exception {
        try (MitmdumpCapture capture = start("ca-check")) {
            Optional<String> openssl = LabCaTest.OpenSsl.subjectHashOld(capture.caCertificatePem());
            assumeTrue(openssl.isPresent(), "openssl is not installed: cannot cross-check subject_hash_old");
            assertThat(LabCa.load(capture.config().confDir()).androidFileName()).isEqualTo(openssl.get() + ".0");
        }
    }

    @Test
    void capturesStartingTogetherOnAFreshConfDirShareOneCa() throws Exception {
        Path fresh = work.resolve("fresh-conf");
        CompletableFuture<MitmdumpCapture> a = CompletableFuture.supplyAsync(() -> startIn(fresh, "twin-a"));
        CompletableFuture<MitmdumpCapture> b = CompletableFuture.supplyAsync(() -> startIn(fresh, "twin-b"));
        try (MitmdumpCapture first = a.get(60, TimeUnit.SECONDS); MitmdumpCapture second = b.get(60, TimeUnit.SECONDS)) {
            SSLContext trust = trusting(LabCa.load(fresh));
            for (MitmdumpCapture capture : new MitmdumpCapture[] {first, second}) {
                HttpResponse<Void> r = through(capture).sslContext(trust).build().send(HttpRequest.newBuilder(
                        URI.create("https://api.account.xiaomi.com/" + capture.name())).timeout(WAIT).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(r.statusCode()).as(capture.name()).isEqualTo(204);
            }
        }
    }

    private MitmdumpCapture startIn(Path confDir, String name) {
        return MitmdumpCapture.builder().withName(name).withConfDir(confDir).withSink(sink.address())
                .withWorkDir(work.resolve(name)).withStartupTimeout(Duration.ofSeconds(45)).start();
    }

    private static SSLContext trusting(LabCa ca) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("consentry-lab-ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

}
