package dev.consentry.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.Timeline;
import dev.consentry.lab.CaptureEvidence;
import dev.consentry.lab.tap.TcpdumpTap;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.process.ProcessStartException;
import dev.consentry.sink.SinkServer;
import dev.consentry.summary.SummaryJson;
import dev.consentry.tap.Connection;
import dev.consentry.tap.Reconciliation;
import dev.consentry.twin.VirtualHandset;
import dev.consentry.twin.firmware.FirmwareLoader;
import dev.consentry.verdict.Evidence;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Judge;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real tcpdump on loopback while a virtual handset sends through a real mitmdump and, with its {@code direct}
 * transport, past it to a listener of its own: the tap's pcap, read in pure Java and reconciled against the capture,
 * makes the bypassing connection an unobserved finding (INCONCLUSIVE, never PASS) and the proxied ones nothing.
 */
class NetworkTapIT {
    private static final Path HOME = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final String IMEI = "865123045678905";
    private static SinkServer sink;
    private static SinkServer elsewhere;
    private static Path work;

    @BeforeAll
    static void listeners() throws Exception {
        sink = SinkServer.start();        // where mitmdump sends what it recorded
        elsewhere = SinkServer.start();   // the destination the direct request reaches without the proxy
        work = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "network-tap-it"));
    }

    @AfterAll
    static void stop() {
        sink.close();
        elsewhere.close();
    }

    private static VirtualHandset twin(int proxyPort) {
        int direct = elsewhere.address().getPort();
        return VirtualHandset.builder().withSerial("tap-twin").withImei(IMEI).withPort(0)
                .withHosts(Map.of("push.tap.test", InetAddress.getLoopbackAddress(),
                        "time.xiaomi.com", InetAddress.getLoopbackAddress(),
                        "update.miui.com", InetAddress.getLoopbackAddress()))
                .withFirmware(FirmwareLoader.parse("tap-twin.yaml", TwinFirmwareYaml.yaml("tap-twin",
                        List.of("  global: { http_proxy: \"127.0.0.1:" + proxyPort + "\" }"), "push.tap.test", direct,
                        List.of(
                                // Necessary traffic under policies/default.yaml, once without and once with an
                                // identifier.
                                "  - name: time",
                                "    on: [\"idle_every:1\"]",
                                "    transport: direct",
                                "    method: GET",
                                "    host: time.xiaomi.com",
                                "    port: " + direct,
                                "    path: /api/time",
                                "  - name: ota",
                                "    on: [\"idle_every:1\"]",
                                "    transport: direct",
                                "    method: GET",
                                "    host: update.miui.com",
                                "    port: " + direct,
                                "    path: /check?imei={imei}"))))
                .start();
    }

    @Test
    void aConnectionThatBypassedTheProxyIsUnobservedAndProxiedOnesAreNot() throws Exception {
        int port = elsewhere.address().getPort();
        MitmdumpCapture.Outcome outcome;
        TcpdumpTap.Result tapped;
        Instant begin = Instant.now();
        int proxy;
        try (MitmdumpCapture capture = MitmdumpCapture.builder().withName("tap-twin").withListenPort(0)
                .withConfDir(work.resolve("confdir")).withWorkDir(work.resolve("mitm")).withSink(sink.address())
                .start()) {
            proxy = capture.proxyAddress().getPort();
            // Only this test's ports: other jobs on this machine use loopback too.
            try (TcpdumpTap tap = TcpdumpTap.builder().withInterface("lo")
                    .withFilter("tcp port " + proxy + " or tcp port " + port)
                    .withFile(work.resolve("tap.pcap")).start();
                 VirtualHandset handset = twin(proxy)) {
                capture.awaitFlow(f -> f.request().host().equals("connect.rom.miui.com"), Duration.ofSeconds(20))
                        .orElseThrow(() -> new AssertionError("no connectivity check through the proxy"));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                List<String> direct = List.of("push.tap.test", "time.xiaomi.com", "update.miui.com");
                while (!direct.stream().allMatch(h -> elsewhere.lastFor(h).isPresent())
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(direct).as("the direct requests reached their destination")
                        .allMatch(h -> elsewhere.lastFor(h).isPresent());
                handset.close(); // nothing more on the wire before the tap stops
                tapped = tap.stop();
            }
            outcome = capture.stop();
        }
        assertThat(tapped.problems()).isEmpty();
        assertThat(outcome.flows()).as("the proxy never saw the direct requests")
                .noneMatch(f -> f.request().port() == port || f.request().host().equals("push.tap.test"));

        List<Connection> connections = tapped.connections();
        assertThat(connections).anyMatch(c -> c.server().getPort() == port);
        // Transparent-mode reconciliation (no proxy address given): the proxied connections are still matched,
        // by the client endpoints mitmproxy recorded for its flows.
        Reconciliation byEndpoint = Reconciliation.of(connections, Set.of(InetAddress.getLoopbackAddress()),
                outcome.flows().stream().map(f -> f.client()).toList(), Set.of());
        assertThat(byEndpoint.observed()).isNotEmpty().allMatch(c -> c.server().getPort() != port);
        assertThat(byEndpoint.unobserved()).isNotEmpty().allMatch(c -> c.server().getPort() == port);

        List<Canary> canaries = List.of(Canary.of(CanaryKind.IMEI, IMEI));
        Evidence evidence = CaptureEvidence.withTap(CaptureEvidence.of("tap-twin", "first-boot", outcome,
                        canaries, List.of(), Timeline.EMPTY), outcome, tapped, canaries,
                Set.of(InetAddress.getLoopbackAddress()),
                Set.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy)));
        assertThat(evidence.leaks()).as("the proxy saw no identifier").isEmpty();
        Policy policy = PolicyLoader.load(HOME.resolve("policies/default.yaml"));

        // The bypass alone (no identifier in it, not necessary traffic): never PASS.
        Evidence pushOnly = evidence.withUnobserved(evidence.unobserved().stream()
                .filter(u -> u.host().equals("push.tap.test")).toList());
        FlowResult bypass = Judge.judge(pushOnly, ConsentLedger.EMPTY, policy);
        assertThat(bypass.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(bypass.findings()).isNotEmpty().allSatisfy(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.UNOBSERVED);
            assertThat(j.host()).isEqualTo("push.tap.test"); // from the Host header the tap read
            assertThat(j.exempt()).isFalse();
            assertThat(j.connection()).get().satisfies(c -> {
                assertThat(c.address()).isEqualTo("127.0.0.1");
                assertThat(c.port()).isEqualTo(port);
                assertThat(c.bytesOut()).isPositive();
                assertThat(c.at()).isAfterOrEqualTo(begin.minusSeconds(1));
                assertThat(c.carried()).contains(List.of());
            });
        });
        assertThat(bypass.reason()).get().asString().contains("push.tap.test (127.0.0.1):" + port,
                "bypassed the proxy", "is not necessary traffic");

        // Everything: necessary time traffic without an identifier is exempt; the OTA check carried the IMEI,
        // so it is judged like any leak (before_consent to the vendor) and the test fails.
        FlowResult result = Judge.judge(evidence, ConsentLedger.EMPTY, policy);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.findings()).filteredOn(j -> j.host().equals("time.xiaomi.com")).isNotEmpty()
                .allSatisfy(j -> {
                    assertThat(j.verdict()).isEqualTo(FindingVerdict.UNOBSERVED);
                    assertThat(j.exempt()).isTrue();
                    assertThat(j.explanation()).contains("found no identifier", "necessary traffic ('time'");
                });
        assertThat(result.findings()).filteredOn(j -> j.host().equals("update.miui.com") && j.leak().isPresent())
                .isNotEmpty().allSatisfy(j -> {
                    assertThat(j.verdict()).isEqualTo(FindingVerdict.BEFORE_CONSENT);
                    assertThat(j.leak().get().location()).isEqualTo("tap");
                    assertThat(j.leak().get().flowId()).startsWith("tap:frame ");
                    assertThat(j.explanation()).contains("matches necessary traffic 'ota check'",
                            "not exempt because it carried imei " + IMEI);
                });
        assertThat(result.findings()).filteredOn(j -> j.host().equals("update.miui.com") && j.leak().isEmpty())
                .isNotEmpty().allSatisfy(j -> assertThat(j.exempt()).isFalse());

        Path summary = work.resolve("summary.json");
        SummaryJson.write(List.of(bypass, result), summary);
        JsonNode f = new ObjectMapper().readTree(summary.toFile()).at("/results/0/findings/0");
        assertThat(f.get("verdict").asText()).isEqualTo("unobserved");
        assertThat(f.get("host").asText()).isEqualTo("push.tap.test");
        assertThat(f.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(f.get("port").asInt()).isEqualTo(port);
        assertThat(f.get("bytesOut").asLong()).isPositive();
        assertThat(Instant.parse(f.get("at").asText())).isAfterOrEqualTo(begin.minusSeconds(1));
    }

    @Test
    void aTapOnAMissingInterfaceFailsToStartSayingWhy() {
        assertThatThrownBy(() -> TcpdumpTap.builder().withInterface("cst-nope0").withFile(work.resolve("x.pcap"))
                .start()).isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("tcpdump on cst-nope0")
                .hasMessageContaining("command: tcpdump -i cst-nope0")
                .hasMessageContaining("hint: no interface cst-nope0 here");
    }
}
