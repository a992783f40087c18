package dev.consentry.suite;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.consent.ConsentEntry;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.Timeline;
import dev.consentry.lab.CaptureEvidence;
import dev.consentry.mitm.CaptureMode;
import dev.consentry.mitm.CaptureProbe;
import dev.consentry.mitm.LabCa;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.netns.AccessPointNetwork;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.prep.AppiumShell;
import dev.consentry.prep.CanaryContact;
import dev.consentry.prep.HandsetPrep;
import dev.consentry.prep.PrepPlan;
import dev.consentry.prep.PreparedHandset;
import dev.consentry.process.ExternalProcess;
import dev.consentry.process.HttpProbe;
import dev.consentry.process.ProcessSpec;
import dev.consentry.profile.DeviceProfile;
import dev.consentry.profile.DeviceProfileLoader;
import dev.consentry.sink.SinkServer;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Judge;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.Verdict;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Access-point capture end to end, with real processes in network namespaces: a virtual handset with NO proxy
 * setting runs in its own namespace (its WebDriver port on a management link), its traffic is routed through a
 * lab-AP namespace whose iptables redirect TCP 80/443 to a transparent mitmdump there and reject UDP 443, and the
 * requests go on to the sink in this namespace. Flows must carry the host the handset meant (Host header / SNI, not
 * the destination address) and the handset's address as client; afterwards nothing of the network remains.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AccessPointCaptureIT {
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path HOME = MODULE.getParent();
    private static final String PROFILE = "redmi-1s-miui5-2014-08";
    private static final String HTTP_HOST = "tracking.intl.miui.com";
    private static final String HTTPS_HOST = "api.account.xiaomi.com";
    private static final String DIRECT_HOST = "collect.analytics.example";

    /** The bundled firmware's device, screens and wizard; its traffic replaced by one request per transport. */
    private static String firmware() throws Exception {
        String yaml = Files.readString(HOME.resolve("twin/src/main/resources/firmware/" + PROFILE + ".yaml"));
        int traffic = yaml.indexOf("\ntraffic:");
        assertThat(traffic).as("the firmware has a traffic section").isPositive();
        return yaml.substring(0, traffic) + """

                traffic:
                  - name: ap-http-imei
                    on: [contacts_changed]
                    delay: 300ms
                    transport: http
                    method: POST
                    host: %s
                    path: /track/spock
                    body: { format: json, fields: { i: "{imei}" } }
                  - name: ap-https-contacts
                    on: [contacts_changed]
                    delay: 300ms
                    transport: https
                    method: POST
                    host: %s
                    path: /pass/v4/cloudmsg/contacts
                    body: { format: json, fields: { c: "{contacts.phones}" } }
                  - name: ap-direct-phone
                    on: [contacts_changed]
                    delay: 300ms
                    transport: direct
                    method: POST
                    host: %s
                    path: /v1/p
                    body: { format: json, fields: { p: "{phone_number}" } }
                """.formatted(HTTP_HOST, HTTPS_HOST, DIRECT_HOST);
    }

    @Test
    void aHandsetWithoutProxyIsCapturedThroughTheAccessPointAndAttributedByItsAddress() throws Exception {
        AccessPointNetwork.unsupportedBecause().ifPresent(why -> fail(why
                + ". CI runs `./consentry test` as root with iproute2 and iptables installed (README, setup)."));
        Path work = Files.createDirectories(MODULE.resolve("target/access-point-it"));
        DeviceProfile profile = DeviceProfileLoader.load(HOME.resolve("device-profiles/" + PROFILE + ".yaml"));
        Path firmwareFile = work.resolve("firmware.yaml");
        Files.writeString(firmwareFile, firmware());
        List<String> rootRulesBefore = rootRules();
        String id;
        String apNamespace;
        List<String> applied;
        try (AccessPointNetwork network = AccessPointNetwork.builder().start();
             SinkServer sink = SinkServer.start(new InetSocketAddress(network.upstreamAddress(), 0), 100)) {
            id = network.id();
            apNamespace = network.accessPointNamespace();
            applied = network.appliedRules();
            Path confDir = work.resolve("confdir");
            try (MitmdumpCapture capture = MitmdumpCapture.builder().withName("ap-" + id)
                    .withMode(CaptureMode.TRANSPARENT).inNamespace(network.accessPointNamespace())
                    .withListenHost("0.0.0.0").withListenPort(network.proxyPort())
                    .withReachableAt(network.accessPointAddress()).withStreamBind(network.upstreamAddress())
                    .withConfDir(confDir).withWorkDir(work.resolve("capture")).withSink(sink.address()).start();
                 ExternalProcess twin = startTwin(network, firmwareFile, profile.udid(), work)) {
                // The health probe reaches the transparent proxy on the access point's uplink address (not redirected:
                // mitmdump then takes the probe's own Host header as the destination).
                CaptureProbe probe = new CaptureProbe(capture, Duration.ofSeconds(3));
                assertThat(probe.probe()).as("probe through the transparent proxy")
                        .satisfies(r -> assertThat(r.healthy()).as(r.why() + "\n" + capture.logTail()).isTrue());
                URI twinUri = URI.create("http://" + network.handsetManagementAddress().getHostAddress() + ":4723");
                LabCa ca = LabCa.load(confDir);
                AndroidDriver driver = new AndroidDriver(twinUri.toURL(),
                        new UiAutomator2Options().setUdid(profile.udid()).setNoReset(true));
                PreparedHandset prepared;
                Instant beforePrep = Instant.now();
                try {
                    HandsetPrep prep = new HandsetPrep(new AppiumShell(driver, Duration.ofSeconds(10)),
                            (path, bytes) -> driver.executeScript("mobile: pushFile", Map.of("remotePath", path,
                                    "payload", Base64.getEncoder().encodeToString(bytes))), profile);
                    // ":0" is Android's "no proxy": the access point is the only way the capture sees anything.
                    prepared = prep.prepare(new PrepPlan(":0", ca.pem(), ca.androidFileName(),
                            CanaryContact.generate(2)));
                    for (String host : List.of(HTTP_HOST, HTTPS_HOST, DIRECT_HOST)) {
                        assertThat(capture.awaitFlow(f -> f.request().host().equals(host), Duration.ofSeconds(20)))
                                .as("a flow for " + host + " (twin log:\n" + twin.logTail() + "\nmitmdump log:\n"
                                        + capture.logTail() + ")").isPresent();
                    }
                    prep.restore(prepared);
                } finally {
                    driver.quit();
                }
                assertUdp443IsRejected(network);
                assertIpv6IsRefused(network);

                MitmdumpCapture.Outcome outcome = capture.stop();
                assertThat(outcome.problems()).isEmpty();
                String client = network.handsetAddress().getHostAddress() + ":";
                CapturedFlow http = first(outcome, HTTP_HOST);
                assertThat(http.request().scheme()).isEqualTo("http");
                assertThat(http.client()).startsWith(client);
                assertThat(body(http)).contains(canary(prepared, CanaryKind.IMEI));
                CapturedFlow https = first(outcome, HTTPS_HOST);
                assertThat(https.request().scheme()).as("decrypted: the lab CA was trusted").isEqualTo("https");
                assertThat(https.client()).startsWith(client);
                assertThat(body(https)).contains(canary(prepared, CanaryKind.CONTACT_PHONE));
                CapturedFlow direct = first(outcome, DIRECT_HOST);
                assertThat(direct.client()).startsWith(client);
                assertThat(body(direct)).contains(canary(prepared, CanaryKind.PHONE_NUMBER));
                assertThat(CaptureEvidence.handsetFlows(outcome)).as("every flow but the probe's came from the handset")
                        .allSatisfy(f -> assertThat(f.client()).startsWith(client));
                assertThat(sink.lastFor(HTTPS_HOST)).as("the sink stood in for the vendor").isPresent();

                // Cloud Messaging granted before anything was sent: the vendor may have the contacts over HTTPS,
                // but the IMEI over plain HTTP is cleartext and the phone number went to a host no policy lists.
                Policy policy = PolicyLoader.load(HOME.resolve("policies"), "default");
                ConsentLedger ledger = ConsentLedger.EMPTY.with(new ConsentEntry("cloud_messaging", true,
                        "Mi Cloud", "prep", "cloud_messaging_switch", beforePrep));
                FlowResult result = Judge.judge(CaptureEvidence.of(PROFILE, "access-point", outcome,
                        prepared.canaries(), List.of(), Timeline.EMPTY), ledger, policy);
                assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
                assertThat(verdicts(result, HTTP_HOST)).containsOnly(FindingVerdict.CLEARTEXT);
                assertThat(verdicts(result, HTTPS_HOST)).containsOnly(FindingVerdict.ALLOWED);
                assertThat(verdicts(result, DIRECT_HOST)).containsOnly(FindingVerdict.UNLISTED_DESTINATION);
            }
        }
        assertThat(applied).anyMatch(r -> r.contains("REDIRECT") && r.contains("--dport 443"))
                .anyMatch(r -> r.contains("-p udp --dport 443 -j REJECT"));
        assertNothingLeft(id, apNamespace);
        assertThat(rootRules()).as("the root namespace's iptables are untouched").isEqualTo(rootRulesBefore);
    }

    private static ExternalProcess startTwin(AccessPointNetwork network, Path firmware, String serial, Path work)
            throws Exception {
        String cp = MODULE.resolve("target/classes") + File.pathSeparator
                + Files.readString(MODULE.resolve("target/runtime-classpath.txt")).trim();
        String upstream = network.upstreamAddress().getHostAddress();
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", cp, "dev.consentry.twin.TwinMain",
                "--firmware-file", firmware.toString(), "--serial", serial, "--port", "4723",
                "--bind", network.handsetManagementAddress().getHostAddress()));
        for (String host : List.of(HTTP_HOST, HTTPS_HOST, DIRECT_HOST)) {
            java.addAll(List.of("--host", host + "=" + upstream));
        }
        ExternalProcess twin = ExternalProcess.start(ProcessSpec.of("twin in " + network.handsetNamespace(),
                network.inHandset(java), work, work.resolve("twin.log")));
        // Port 4723 is the twin's own in its namespace: nothing else there can hold it.
        return twin.awaitReady("the twin's WebDriver answers on its management address", Duration.ofSeconds(60),
                new HttpProbe(URI.create("http://" + network.handsetManagementAddress().getHostAddress()
                        + ":4723/status"), Duration.ofSeconds(2)));
    }

    /**
     * A datagram to UDP 443 (QUIC) from the handset gets ICMP port-unreachable from the access point; one to another
     * UDP port of the same address gets through, so the rejection is the rule's doing and not a broken route.
     */
    private static void assertUdp443IsRejected(AccessPointNetwork network) throws Exception {
        String target = network.upstreamAddress().getHostAddress();
        try (DatagramSocket listener = new DatagramSocket(new InetSocketAddress(network.upstreamAddress(), 0))) {
            listener.setSoTimeout(5000);
            assertThat(udpFromHandset(network, target, 443)).isEqualTo("refused");
            udpFromHandset(network, target, listener.getLocalPort());
            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            listener.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("quic?");
        }
    }

    /**
     * The transparent capture listens on IPv4 only, so the access point refuses to forward IPv6: a TCP connection from
     * the handset to the upstream's IPv6 address is refused at once, while the access point itself reaches the same
     * listener over IPv6, so the route exists and the refusal is the rule's doing.
     */
    private static void assertIpv6IsRefused(AccessPointNetwork network) throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(network.upstreamAddress6(), 0));
            String target = network.upstreamAddress6().getHostAddress();
            assertThat(tcp6(network.inAccessPoint(List.of("python3", "-c", tcp6Script(target, listener.getLocalPort())))))
                    .as("the access point reaches the upstream over IPv6").isEqualTo("connected");
            assertThat(tcp6(network.inHandset(List.of("python3", "-c", tcp6Script(target, listener.getLocalPort())))))
                    .as("IPv6 from the handset is refused, not forwarded past the capture")
                    .startsWith("refused");
        }
        assertThat(network.appliedRules()).contains("ip6tables -A FORWARD -i " + network.rules().handsetInterface()
                + " -j REJECT --reject-with icmp6-adm-prohibited");
    }

    private static String tcp6Script(String host, int port) {
        return """
                import socket
                s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                s.settimeout(5)
                try:
                    s.connect(("%s", %d))
                    print("connected")
                except socket.timeout:
                    print("timeout")
                except OSError as e:
                    print("refused " + type(e).__name__ + " " + str(e.errno))
                """.formatted(host, port);
    }

    private static String tcp6(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("python3 in a namespace finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private static String udpFromHandset(AccessPointNetwork network, String host, int port) throws Exception {
        String script = """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3)
                s.connect(("%s", %d))
                s.send(b"quic?")
                try:
                    s.recv(64)
                    print("answered")
                except ConnectionRefusedError:
                    print("refused")
                except socket.timeout:
                    print("timeout")
                """.formatted(host, port);
        Process p = new ProcessBuilder(network.inHandset(List.of("python3", "-c", script)))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("python3 in the handset namespace finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private static void assertNothingLeft(String id, String apNamespace) throws Exception {
        assertThat(run("ip", "netns", "list")).doesNotContain("cst-" + id);
        assertThat(run("ip", "-o", "link", "show")).doesNotContain("cst" + id);
        assertThat(run("ip", "-4", "-o", "addr", "show")).doesNotContain("cst" + id);
        // Its iptables rules lived only in the access point's namespace, which is gone with them.
        Process p = new ProcessBuilder("ip", "netns", "exec", apNamespace, "iptables", "-S").redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("iptables in the deleted namespace").isNotZero();
    }

    private static List<String> rootRules() throws Exception {
        return List.of(run("iptables", "-w", "-S"), run("iptables", "-w", "-t", "nat", "-S"));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** The first flow for the host (contacts_changed fires again as prep plants and removes contacts). */
    private static CapturedFlow first(MitmdumpCapture.Outcome outcome, String host) {
        return outcome.flows().stream().filter(f -> f.request().host().equals(host)).findFirst()
                .orElseThrow(() -> new AssertionError("no flow for " + host + " in " + outcome.flows()));
    }

    private static String body(CapturedFlow f) {
        return new String(f.request().body(), StandardCharsets.UTF_8);
    }

    private static String canary(PreparedHandset p, CanaryKind kind) {
        return p.canaries().stream().filter(c -> c.kind() == kind).map(Canary::value).findFirst().orElseThrow();
    }

    private static List<FindingVerdict> verdicts(FlowResult r, String host) {
        return r.findings().stream().filter(j -> j.leak().map(f -> f.host().equals(host)).orElse(false))
                .map(JudgedFinding::verdict).toList();
    }
}
