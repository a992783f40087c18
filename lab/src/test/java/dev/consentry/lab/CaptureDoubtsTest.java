package dev.consentry.lab;

import dev.consentry.mitm.CaptureHealth;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.mitm.TlsFailure;
import dev.consentry.verdict.OpaqueConnection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureDoubtsTest {
    private static MitmdumpCapture.Outcome outcome(List<TlsFailure> tls, List<String> problems, CaptureHealth h) {
        return new MitmdumpCapture.Outcome("redmi", List.of(), tls, problems, h, "", Path.of("log"), Path.of("flows"));
    }

    @Test
    void aCleanStopLeavesNoDoubt() {
        assertThat(CaptureDoubts.of(outcome(List.of(), List.of(), new CaptureHealth.Stopped(0)))).isEmpty();
    }

    @Test
    void undecryptedTlsIsAnOpaqueConnectionWithHostAndTimeForThePolicyToJudge() {
        TlsFailure pinned = new TlsFailure("127.0.0.1:5000", Optional.of("tracking.intl.miui.com"), Optional.empty(),
                443, Instant.parse("2026-11-24T15:00:00Z"), "client rejected the certificate");
        MitmdumpCapture.Outcome o = outcome(List.of(pinned), List.of(), new CaptureHealth.Stopped(0));
        assertThat(CaptureDoubts.of(o)).isEmpty();
        assertThat(CaptureDoubts.opaque(o)).containsExactly(new OpaqueConnection("tracking.intl.miui.com", 443,
                Instant.parse("2026-11-24T15:00:00Z"), "client rejected the certificate"));
    }

    @Test
    void aDeadProxyIsADoubtEvenWhenTheCaptureListedNoProblem() {
        assertThat(CaptureDoubts.of(outcome(List.of(), List.of(), new CaptureHealth.Died(137))))
                .singleElement().asString().contains("Died");
        assertThat(CaptureDoubts.of(outcome(List.of(), List.of("mitmdump died (exit 137)"),
                new CaptureHealth.Died(137)))).containsExactly("mitmdump died (exit 137)");
    }
}
