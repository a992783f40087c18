package dev.consentry.suite;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.Timeline;
import dev.consentry.lab.CaptureEvidence;
import dev.consentry.lab.tap.TcpdumpTap;
import dev.consentry.mitm.CaptureMode;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.netns.AccessPointNetwork;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.process.ExternalProcess;
import dev.consentry.process.HttpProbe;
import dev.consentry.process.ProcessSpec;
import dev.consentry.sink.SinkServer;
import dev.consentry.verdict.Evidence;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Judge;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The network tap where serious labs put it: tcpdump on the access point's handset-facing interface, in the lab-AP
 * network namespace, while a virtual handset with no proxy setting sends plain HTTP (redirected to the transparent
 * mitmdump) and a request to a port the access point does not redirect (it bypasses the capture). Reconciled by the
 * client endpoints mitmproxy recorded, the bypass is the only unobserved connection.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AccessPointTapIT {
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path HOME = MODULE.getParent();
    private static final String HTTP_HOST = TwinFirmwareYaml.CHECK_HOST;
    private static final String BYPASS_HOST = "push.bypass.example";

    private static String firmware(int bypassPort) {
        return TwinFirmwareYaml.yaml("ap-tap-twin", List.of(), BYPASS_HOST, bypassPort, List.of());
    }

    @Test
    void onTheAccessPointOnlyTheConnectionThatBypassedTheTransparentProxyIsUnobserved() throws Exception {
        AccessPointNetwork.unsupportedBecause().ifPresent(why -> fail(why
                + ". CI runs `./consentry test` as root with iproute2 and iptables installed (README, setup)."));
        Path work = Files.createDirectories(MODULE.resolve("target/access-point-tap-it"));
        String id;
        MitmdumpCapture.Outcome outcome;
        TcpdumpTap.Result tapped;
        FlowResult result;
        try (AccessPointNetwork network = AccessPointNetwork.builder().start();
             SinkServer sink = SinkServer.start(new InetSocketAddress(network.upstreamAddress(), 0), 100);
             // Not 80 or 443: the access point does not redirect it, so it goes past the capture.
             SinkServer bypass = SinkServer.start(new InetSocketAddress(network.upstreamAddress(), 0), 100)) {
            id = network.id();
            Path firmwareFile = work.resolve("firmware.yaml");
            Files.writeString(firmwareFile, firmware(bypass.address().getPort()));
            try (MitmdumpCapture capture = MitmdumpCapture.builder().withName("ap-tap-" + id)
                    .withMode(CaptureMode.TRANSPARENT).inNamespace(network.accessPointNamespace())
                    .withListenHost("0.0.0.0").withListenPort(network.proxyPort())
                    .withReachableAt(network.accessPointAddress()).withStreamBind(network.upstreamAddress())
                    .withConfDir(work.resolve("confdir")).withWorkDir(work.resolve("capture"))
                    .withSink(sink.address()).start();
                 TcpdumpTap tap = TcpdumpTap.builder().withNamespace(network.accessPointNamespace())
                         .withInterface(network.rules().handsetInterface())
                         .withFilter("host " + network.handsetAddress().getHostAddress())
                         .withFile(work.resolve("tap.pcap")).start()) {
                try (ExternalProcess twin = startTwin(network, firmwareFile, work)) {
                    assertThat(capture.awaitFlow(f -> f.request().host().equals(HTTP_HOST), Duration.ofSeconds(30)))
                            .as("the redirected request reached the capture (twin log:\n" + twin.logTail() + ")")
                            .isPresent();
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (bypass.lastFor(BYPASS_HOST).isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(bypass.lastFor(BYPASS_HOST)).as("the bypassing request reached its destination")
                            .isPresent();
                }
                tapped = tap.stop();
                outcome = capture.stop();
            }
            assertThat(tapped.problems()).isEmpty();
            assertThat(outcome.flows()).noneMatch(f -> f.request().host().equals(BYPASS_HOST));
            List<Canary> canaries = List.of(Canary.of(CanaryKind.IMEI, "865123045678905"));
            Evidence evidence = CaptureEvidence.withTap(CaptureEvidence.of("ap-tap-twin", "first-boot", outcome,
                            canaries, List.of(), Timeline.EMPTY), outcome, tapped, canaries,
                    Set.of(network.handsetAddress()), Set.of()); // transparent: no proxy address to match
            result = Judge.judge(evidence, ConsentLedger.EMPTY, PolicyLoader.load(HOME.resolve("policies"),
                    "default"));
            String handset = network.handsetAddress().getHostAddress();
            assertThat(tapped.connections()).as("the tap saw the redirected connections too")
                    .anyMatch(c -> c.clientAddress().equals(network.handsetAddress()) && c.server().getPort() == 80);
            assertThat(result.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(result.findings()).isNotEmpty().allSatisfy(j -> {
                assertThat(j.verdict()).isEqualTo(FindingVerdict.UNOBSERVED);
                assertThat(j.host()).isEqualTo(BYPASS_HOST);
                assertThat(j.connection()).get().satisfies(c -> {
                    assertThat(c.address()).isEqualTo(network.upstreamAddress().getHostAddress());
                    assertThat(c.port()).isEqualTo(bypass.address().getPort());
                    assertThat(c.bytesOut()).isPositive();
                    assertThat(c.detail()).contains("from " + handset + ":");
                });
            });
            assertThat(result.reason()).get().asString().contains(BYPASS_HOST, "bypassed the proxy");
        }
        assertThat(run("ip", "netns", "list")).doesNotContain("cst-" + id);
        assertThat(result.findings()).extracting(JudgedFinding::host).doesNotContain(HTTP_HOST);
    }

    private static ExternalProcess startTwin(AccessPointNetwork network, Path firmware, Path work) throws Exception {
        String cp = MODULE.resolve("target/classes") + File.pathSeparator
                + Files.readString(MODULE.resolve("target/runtime-classpath.txt")).trim();
        String upstream = network.upstreamAddress().getHostAddress();
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", cp, "dev.consentry.twin.TwinMain",
                "--firmware-file", firmware.toString(), "--serial", "ap-tap", "--port", "4723",
                "--bind", network.handsetManagementAddress().getHostAddress(),
                "--host", HTTP_HOST + "=" + upstream, "--host", BYPASS_HOST + "=" + upstream));
        ExternalProcess twin = ExternalProcess.start(ProcessSpec.of("twin in " + network.handsetNamespace(),
                network.inHandset(java), work, work.resolve("twin.log")));
        return twin.awaitReady("the twin's WebDriver answers on its management address", Duration.ofSeconds(60),
                new HttpProbe(URI.create("http://" + network.handsetManagementAddress().getHostAddress()
                        + ":4723/status"), Duration.ofSeconds(2)));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
