package dev.consentry.suite;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

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
        CapturedFlow upgrade = new CapturedFlow("ws-1", Instant.EPOCH, "10.0.0.2:40000",
                new HttpRequestData("GET", "https", "push.example.com", 443, "/v3/channel", "HTTP/1.1",
                        List.of(new HttpHeader("Upgrade", "websocket")), new byte[0]),
                Optional.empty(), Optional.empty());
        byte[] message = ("{\"op\":\"register\",\"imei\":\"" + IMEI.value() + "\"}").getBytes(StandardCharsets.UTF_8);
        Finding leak = new LeakDetector(List.of(IMEI)).scanMessage(upgrade, ScanTarget.WEBSOCKET, message).get(0);
        JudgedFinding judged = new JudgedFinding(FindingVerdict.BEFORE_CONSENT, Optional.of(leak), leak.host(),
                leak.scheme(), Instant.EPOCH, Optional.empty(), Optional.empty(), ConsentState.NONE, Optional.empty(),
                Optional.empty(), Optional.empty(), false, "sent before any consent");
        AllureEvidence evidence = AllureEvidence.afterScan(List.of(IMEI), List.of(leak));

        Kept withMessages = reported(() -> evidence.finding(judged, List.of(upgrade),
                Map.of(upgrade.id(), List.of("{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8), message))));
        String html = withMessages.attachment("evidence: imei");
        assertThat(html).doesNotContain("did not reach").contains("as sent, websocket (" + message.length + " bytes)");
        assertThat(withMessages.attachment("finding (" + judged.verdict().id() + "): imei " + IMEI.value()))
                .contains("push.example.com");

        // Without the messages (the flow file could not be read again) the evidence says so, never pretends.
        Kept without = reported(() -> evidence.finding(judged, List.of(upgrade), Map.of()));
        assertThat(without.attachment("evidence: imei")).contains("did not reach");
    }
}
