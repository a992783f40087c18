package dev.consentry.suite;

import dev.consentry.allure.EvidenceChain;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.consent.Timeline;
import dev.consentry.har.HarReader;
import dev.consentry.har.HarWriter;
import dev.consentry.lab.CaptureEvidence;
import dev.consentry.leak.Finding;
import dev.consentry.leak.LeakDetector;
import dev.consentry.leak.ScanTarget;
import dev.consentry.mitm.LabCa;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.redact.Redactor;
import dev.consentry.sink.SinkServer;
import dev.consentry.twin.VirtualHandset;
import dev.consentry.twin.firmware.FirmwareLoader;
import dev.consentry.verdict.Evidence;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.Judge;
import dev.consentry.verdict.Verdict;
import io.appium.java_client.android.AndroidDriver;
import io.appium.java_client.android.options.UiAutomator2Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push channel end to end: a virtual handset opens a {@code wss} socket and a plain {@code ws} one through a real
 * mitmdump (sink mode, the lab CA pushed as prep pushes it) and sends the IMEI and the phone number on them. The run's
 * evidence finds both in the messages, the verdict is FAIL, and the report's HAR carries the messages so that a reader
 * with only the report finds the same leaks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwinWebSocketIT {
    private static final Path HOME = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final String IMEI = "865123045678905";
    private static final String PHONE = "+919876500001";

    @TempDir
    Path work;

    private static String firmware() {
        List<String> lines = TwinFirmwareYaml.oneScreen("push-twin", List.of());
        lines.addAll(List.of(
                "  - name: register",
                "    on: [\"idle_every:1\"]",
                "    transport: wss",
                "    method: GET",
                "    host: push.ws.test",
                "    path: /v3/channel",
                "    body: { format: json, fields: { op: register, d: { value: \"{imei}\", encode: base64 } } }",
                "  - name: sync",
                "    on: [\"idle_every:1\"]",
                "    transport: ws",
                "    method: GET",
                "    host: sync.ws.test",
                "    path: /v1/sync",
                "    body: { format: json, gzip: true, fields: { p: \"{phone_number}\" } }",
                ""));
        return String.join("\n", lines);
    }

    @Test
    void whatTheHandsetSendsOnItsSocketsFailsTheRunAndTheReportsHarCarriesIt() throws Exception {
        List<Canary> canaries = List.of(Canary.of(CanaryKind.IMEI, IMEI), Canary.of(CanaryKind.PHONE_NUMBER, PHONE));
        MitmdumpCapture.Outcome outcome;
        try (SinkServer sink = SinkServer.start();
             VirtualHandset twin = VirtualHandset.builder().withSerial("push-twin").withImei(IMEI)
                     .withPhoneNumber(PHONE).withPort(0)
                     .withFirmware(FirmwareLoader.parse("push-twin.yaml", firmware())).start();
             MitmdumpCapture capture = MitmdumpCapture.builder().withName("push-twin").withListenPort(0)
                     .withConfDir(work.resolve("confdir")).withWorkDir(work.resolve("mitm"))
                     .withSink(sink.address()).start()) {
            LabCa ca = LabCa.load(work.resolve("confdir"));
            AndroidDriver driver = new AndroidDriver(twin.uri().toURL(),
                    new UiAutomator2Options().setUdid("push-twin").setNoReset(true));
            try {
                driver.executeScript("mobile: pushFile", Map.of(
                        "remotePath", TwinFirmwareYaml.CA_DIR + "/" + ca.androidFileName(),
                        "payload", Base64.getEncoder().encodeToString(ca.pem().getBytes(StandardCharsets.US_ASCII))));
                driver.executeScript("mobile: shell", Map.of("command", "settings", "args",
                        List.of("put", "global", "http_proxy", "127.0.0.1:" + capture.proxyAddress().getPort())));
                capture.awaitFlow(f -> f.request().host().equals("push.ws.test"), Duration.ofSeconds(20))
                        .orElseThrow(() -> new AssertionError("no wss upgrade through mitmdump: " + twin.logTail(20)));
                capture.awaitFlow(f -> f.request().host().equals("sync.ws.test"), Duration.ofSeconds(20))
                        .orElseThrow(() -> new AssertionError("no ws upgrade through mitmdump: " + twin.logTail(20)));
                // The sink accepted the sockets (101) and read the messages to the close (the upgrade is in the
                // capture before the twin has sent its message: wait for its log line).
                List<Pattern> closed = List.of(
                        Pattern.compile("GET wss://push\\.ws\\.test/v3/channel via proxy [0-9.:]+: "
                                + "WebSocket open, 1 text message sent \\(\\d+ bytes\\), closed 1000"),
                        Pattern.compile("GET ws://sync\\.ws\\.test/v1/sync via proxy [0-9.:]+: "
                                + "WebSocket open, 1 binary message sent \\(\\d+ bytes\\), closed 1000"));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!closed.stream().allMatch(p -> twin.logTail(100).stream().anyMatch(l -> p.matcher(l).find()))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                closed.forEach(p -> assertThat(String.join("\n", twin.logTail(100))).containsPattern(p));
            } finally {
                driver.quit();
            }
            outcome = capture.stop();
        }
        Evidence evidence = CaptureEvidence.of("push-twin", "idle", outcome, canaries, List.of(), Timeline.EMPTY);
        assertThat(evidence.problems()).isEmpty();
        List<Finding> leaks = evidence.leaks();
        assertThat(leaks).filteredOn(f -> f.canary().kind() == CanaryKind.IMEI).isNotEmpty().allSatisfy(f -> {
            assertThat(f.location()).isEqualTo("websocket");
            assertThat(f.scheme()).isEqualTo("https");
            assertThat(f.host()).isEqualTo("push.ws.test");
            assertThat(f.transforms()).containsExactly("base64");
        });
        assertThat(leaks).filteredOn(f -> f.canary().kind() == CanaryKind.PHONE_NUMBER).isNotEmpty().allSatisfy(f -> {
            assertThat(f.location()).isEqualTo("websocket");
            assertThat(f.host()).isEqualTo("sync.ws.test");
            assertThat(f.transforms()).containsExactly("gzip");
        });
        assertThat(leaks).as("nothing but the messages carried them").allMatch(f -> f.location().equals("websocket"));

        Policy policy = PolicyLoader.load(HOME.resolve("policies"), "default");
        FlowResult result = Judge.judge(evidence, new LedgerRecorder(FlowRecorder.NONE).ledger(), policy);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        // Neither host is a destination of the default policy: nothing can allow what they were sent.
        // (The rules fire every second: how many times each did before the capture stopped varies.)
        assertThat(result.violations()).allSatisfy(j ->
                assertThat(j.verdict()).isEqualTo(FindingVerdict.UNLISTED_DESTINATION))
                .extracting(j -> j.host()).contains("push.ws.test", "sync.ws.test");
        assertThat(result.violations()).extracting(j -> j.explanation()).anySatisfy(e -> assertThat(e)
                .contains("imei " + IMEI, "left in a WebSocket message for https://push.ws.test"));

        // The report's evidence chain replays from the messages the evidence kept.
        Finding imei = leaks.stream().filter(f -> f.canary().kind() == CanaryKind.IMEI).findFirst().orElseThrow();
        CapturedFlow upgrade = outcome.flows().stream().filter(f -> f.id().equals(imei.flowId())).findFirst()
                .orElseThrow();
        assertThat(EvidenceChain.replay(imei, upgrade, evidence.sent().of(imei.flowId())).reached()).isTrue();

        // The report's HAR, redacted as AllureEvidence writes it, read back as `analyze` reads it.
        Redactor redactor = Redactor.of(canaries, leaks);
        Path har = work.resolve("report.har");
        Files.write(har, HarWriter.write(redactor.flows(outcome.flows()), redactor.sent(evidence.sent())));
        LeakDetector detector = new LeakDetector(canaries);
        List<Finding> again = new ArrayList<>();
        HarReader.streamRequests(har, new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                again.addAll(detector.scan(flow));
            }

            @Override
            public void flow(int index, CapturedFlow flow, List<byte[]> sentOnWebSocket) {
                flow(index, flow);
                for (byte[] m : sentOnWebSocket) {
                    again.addAll(detector.scanMessage(flow, ScanTarget.WEBSOCKET, m));
                }
            }

            @Override
            public void badEntry(int index, String problem) {
                throw new AssertionError(problem);
            }
        });
        assertThat(again).extracting(f -> f.canary().kind() + " " + f.host() + " " + f.location() + " "
                        + f.transforms())
                .containsExactlyInAnyOrderElementsOf(leaks.stream().map(f -> f.canary().kind() + " " + f.host() + " "
                        + f.location() + " " + f.transforms()).toList());
    }
}
