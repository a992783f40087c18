package dev.consentry.suite;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.SentOnWebSockets;
import dev.consentry.har.HarReader;
import dev.consentry.consent.ConsentState;
import dev.consentry.leak.Finding;
import dev.consentry.leak.LeakDetector;
import dev.consentry.leak.ScanTarget;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.JudgedFinding;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.AllureResultsWriter;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.TestResult;
import io.qameta.allure.model.TestResultContainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** What a finding puts in the report, read back from an in-memory Allure lifecycle. */
class AllureEvidenceTest {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");

    /** Allure results kept in memory: the test results and each attachment's bytes by its source name. */
    private static final class Kept implements AllureResultsWriter {
        final List<TestResult> results = new ArrayList<>();
        final Map<String, byte[]> files = new ConcurrentHashMap<>();

        @Override
        public void write(TestResult result) {
            results.add(result);
        }

        @Override
        public void write(TestResultContainer container) {
        }

        @Override
        public void write(String source, InputStream attachment) {
            try (attachment) {
                files.put(source, attachment.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String attachment(String namePrefix) {
            Attachment a = results.get(0).getAttachments().stream().filter(x -> x.getName().startsWith(namePrefix))
                    .findFirst().orElseThrow(() -> new AssertionError("no attachment named " + namePrefix + "..."));
            return new String(files.get(a.getSource()), StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code body} inside one Allure test case and returns what it attached. */
    private static Kept reported(Runnable body) {
        Kept kept = new Kept();
        AllureLifecycle lifecycle = new AllureLifecycle(kept);
        AllureLifecycle previous = Allure.getLifecycle();
        Allure.setLifecycle(lifecycle);
        try {
            String uuid = UUID.randomUUID().toString();
            lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName("first boot"));
            lifecycle.startTestCase(uuid);
            body.run();
            lifecycle.stopTestCase(uuid);
            lifecycle.writeTestCase(uuid);
        } finally {
            Allure.setLifecycle(previous);
        }
        return kept;
    }

    @Test
    void aWebSocketLeaksEvidenceReplaysFromTheMessagesItIsGiven() {
        CapturedFlow upgrade = upgrade("ws-1");
        byte[] message = ("{\"op\":\"register\",\"imei\":\"" + IMEI.value() + "\"}").getBytes(StandardCharsets.UTF_8);
        Finding leak = new LeakDetector(List.of(IMEI)).scanMessage(upgrade, ScanTarget.WEBSOCKET, message).get(0);
        JudgedFinding judged = new JudgedFinding(FindingVerdict.BEFORE_CONSENT, Optional.of(leak), leak.host(),
                leak.scheme(), Instant.EPOCH, Optional.empty(), Optional.empty(), ConsentState.NONE, Optional.empty(),
                Optional.empty(), Optional.empty(), false, "sent before any consent");
        AllureEvidence evidence = AllureEvidence.afterScan(List.of(IMEI), List.of(leak));

        Kept withMessages = reported(() -> evidence.finding(judged, List.of(upgrade), new SentOnWebSockets(
                Map.of(upgrade.id(), List.of("{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8), message)))));
        String html = withMessages.attachment("evidence: imei");
        assertThat(html).doesNotContain("did not reach").contains("as sent, websocket (" + message.length + " bytes)");
        assertThat(withMessages.attachment("finding (" + judged.verdict().id() + "): imei " + IMEI.value()))
                .contains("push.example.com");

        // Without the messages (the flow file could not be read again) the evidence says so, never pretends.
        Kept without = reported(() -> evidence.finding(judged, List.of(upgrade), SentOnWebSockets.NONE));
        assertThat(without.attachment("evidence: imei")).contains("did not reach");
    }

    @Test
    void theReportsHarHoldsWhatEachWebSocketSentRedactedAndAnalyzeFindsTheLeakInIt(@TempDir Path dir)
            throws IOException {
        Canary phone = Canary.of(CanaryKind.PHONE_NUMBER, "+919876543210");
        CapturedFlow cited = upgrade("ws-1");
        CapturedFlow other = upgrade("ws-2");
        byte[] leak = ("{\"op\":\"register\",\"imei\":\"" + IMEI.value() + "\",\"token\":\"tok-42-xyz\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] echo = ("{\"op\":\"echo\",\"phone\":\"" + phone.value() + "\"}").getBytes(StandardCharsets.UTF_8);
        List<Finding> found = new LeakDetector(List.of(IMEI)).scanMessage(cited, ScanTarget.WEBSOCKET, leak);
        AllureEvidence evidence = AllureEvidence.afterScan(List.of(IMEI, phone), found);

        Kept kept = reported(() -> evidence.flows(List.of(cited, other),
                new SentOnWebSockets(Map.of(cited.id(), List.of(leak), other.id(), List.of(echo)))));
        Path har = dir.resolve("report.har");
        Files.writeString(har, kept.attachment("captured flows (HAR)"));

        Map<String, List<String>> read = new ConcurrentHashMap<>();
        HarReader.streamRequests(har, new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                throw new AssertionError("the messages were dropped");
            }

            @Override
            public void flow(int index, CapturedFlow flow, List<byte[]> sentOnWebSocket) {
                read.put(flow.id(), sentOnWebSocket.stream().map(m -> new String(m, StandardCharsets.UTF_8)).toList());
            }

            @Override
            public void badEntry(int index, String problem) {
                throw new AssertionError(problem);
            }
        });
        // The cited socket keeps its proof, not the credential beside it; the other loses the identifier it echoed.
        assertThat(read.get("ws-1")).singleElement().asString().contains(IMEI.value()).doesNotContain("tok-42-xyz");
        assertThat(read.get("ws-2")).singleElement().asString().doesNotContain("9876543210")
                .contains("[phone_number ...210]");
        // A reader who has only the report finds the leak again, in the same place.
        assertThat(new LeakDetector(List.of(IMEI)).scanMessage(cited, ScanTarget.WEBSOCKET,
                read.get("ws-1").get(0).getBytes(StandardCharsets.UTF_8))).isEqualTo(found);
    }

    private static CapturedFlow upgrade(String id) {
        return new CapturedFlow(id, Instant.EPOCH, "10.0.0.2:40000",
                new HttpRequestData("GET", "https", "push.example.com", 443, "/v3/channel", "HTTP/1.1",
                        List.of(new HttpHeader("Upgrade", "websocket")), new byte[0]),
                Optional.empty(), Optional.empty());
    }
}
