package dev.consentry.twin;

import dev.consentry.twin.firmware.Firmware;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.consentry.twin.TwinTests.awaitLog;
import static dev.consentry.twin.TwinTests.pushCa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transports that get past a proxy-only lab: {@code direct} ignores the proxy, {@code https-pinned} defeats it. */
class BypassTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static TestCa ca;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = TestCa.create(dir, "pinned.example");
    }

    private static Firmware firmware(String rules) {
        return TwinTests.oneScreenFirmware("bypass-test", rules);
    }

    @Test
    void directIgnoresTheProxyAndGoesToTheAddressTheHostsMapGives() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(null);
             RecordingProxy destination = new RecordingProxy(null)) {
            int port = destination.address().getPort();
            Firmware fw = firmware(String.join("\n",
                    "  - name: push",
                    "    on: [\"idle_every:1\"]",
                    "    transport: direct",
                    "    method: POST",
                    "    host: push.example",
                    "    port: " + port,
                    "    path: /register?id={android_id}",
                    "  - name: check",
                    "    on: [\"idle_every:1\"]",
                    "    transport: http",
                    "    method: GET",
                    "    host: check.example",
                    "    port: " + port,
                    "    path: /generate_204"));
            try (VirtualHandset twin = VirtualHandset.builder().withFirmware(fw).withSerial("bypass")
                    .withHosts(Map.of("push.example", InetAddress.getLoopbackAddress(),
                            "check.example", InetAddress.getLoopbackAddress())).start()) {
                WireClient wire = new WireClient(twin.uri());
                String s = wire.newSession("bypass");
                wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));
                // The proxy is set: the ordinary request goes through it...
                RecordingProxy.Flow check = proxy.await(f -> f.host().equals("check.example"), WAIT);
                assertThat(check.target()).isEqualTo("/generate_204");
                // ...the direct one straight to the destination, in origin form, as to the real server.
                RecordingProxy.Flow push = destination.await(f -> f.target().startsWith("/register"), WAIT);
                assertThat(push.method()).isEqualTo("POST");
                assertThat(push.host()).isEqualTo("push.example:" + port);
                assertThat(push.target()).isEqualTo("/register?id=" + twin.identity().androidId());
                Thread.sleep(1500);
                assertThat(proxy.flows).noneMatch(f -> f.host().startsWith("push.example"));
                assertThat(String.join("\n", twin.logTail(100)))
                        .contains("POST http://push.example:" + port + "/register")
                        .contains("direct to 127.0.0.1:" + port + ": HTTP/1.1 204");
            }
        }
    }

    @Test
    void directWithoutHostsEntryFallsBackToTheInternetStandInOrGoesNowhere() throws Exception {
        String rule = String.join("\n",
                "  - name: push",
                "    on: [boot]",
                "    transport: direct",
                "    method: GET",
                "    host: push.example",
                "    path: /ping");
        try (RecordingProxy internet = new RecordingProxy(null);
             VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(rule)).withSerial("standin")
                     .withInternet(Optional.of(internet.address())).start()) {
            assertThat(internet.await(f -> f.host().equals("push.example"), WAIT).target()).isEqualTo("/ping");
        }
        try (VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(rule)).withSerial("offline")
                .start()) {
            awaitLog(twin, WAIT, "GET http://push.example/ping: not sent, no route to host (direct connection");
        }
    }

    @Test
    void pinnedHttpsFailsThroughTheInterceptingProxyEvenWithItsCaTrusted() throws Exception {
        String otherKey = "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest("the vendor's real key".getBytes(StandardCharsets.UTF_8)));
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(pinnedRule(otherKey)))
                     .withSerial("pinned").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("pinned");
            pushCa(wire, s, ca);
            wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));
            awaitLog(twin, WAIT, "certificate pinning failure");
            assertThat(String.join("\n", twin.logTail(100)))
                    .contains("GET https://pinned.example/config via proxy").contains("SSLHandshakeException");
            // The proxy saw the CONNECT and a handshake the client broke off, never a request.
            Instant end = Instant.now().plus(WAIT);
            while (proxy.failures.stream().noneMatch(f -> f.contains("pinned.example")) && Instant.now().isBefore(end)) {
                Thread.sleep(50);
            }
            assertThat(proxy.failures).anyMatch(f -> f.startsWith("TLS with client for pinned.example"));
            assertThat(proxy.flows).isEmpty();
        }
    }

    @Test
    void pinnedHttpsSucceedsWhenTheServerHoldsThePinnedKeyWhateverTheTrustStore() throws Exception {
        String caPin = "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(ca.caCert.getPublicKey().getEncoded()));
        try (RecordingProxy proxy = new RecordingProxy(ca.serverContext);
             VirtualHandset twin = VirtualHandset.builder().withFirmware(firmware(pinnedRule(caPin)))
                     .withSerial("pinned-ok").start()) {
            WireClient wire = new WireClient(twin.uri());
            String s = wire.newSession("pinned-ok");
            // No CA pushed: the pin alone decides.
            wire.shell(s, "settings", List.of("put", "global", "http_proxy", proxy.hostPort()));
            RecordingProxy.Flow f = proxy.await(x -> x.scheme().equals("https"), WAIT);
            assertThat(f.host()).isEqualTo("pinned.example");
            assertThat(f.target()).isEqualTo("/config");
        }
    }

    @Test
    void hostsMapRefusesAddressesThatCouldBeOnTheInternet() {
        assertThatThrownBy(() -> VirtualHandset.builder().withHosts(Map.of("x.example",
                InetAddress.getByAddress(new byte[] {8, 8, 8, 8}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hosts entry x.example=8.8.8.8: a virtual handset only connects to loopback");
    }

    private static String pinnedRule(String pin) {
        return String.join("\n",
                "  - name: pinned",
                "    on: [\"idle_every:1\"]",
                "    transport: https-pinned",
                "    pins: [\"" + pin + "\"]",
                "    method: GET",
                "    host: pinned.example",
                "    path: /config");
    }
}
