package dev.consentry.verdict;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.leak.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JudgeTest {
    private static final Finding IMEI = new Finding(Canary.of(CanaryKind.IMEI, "865123045678901"), "f1",
            "api.account.xiaomi.com", "http", "body", List.of("url"), "865123045678901", 5);

    @Test
    void aLeakFailsEvenWhenTheCaptureAlsoHadProblems() {
        FlowResult r = Judge.judge("d", "first-boot", List.of(IMEI), 3, List.of("mitmdump died"));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.reason()).get().asString().contains("imei to api.account.xiaomi.com");
    }

    @Test
    void captureProblemsAreNeverAPass() {
        FlowResult r = Judge.judge("d", "first-boot", List.of(), 10, List.of("TLS to a.example not decrypted"));
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.reason()).contains("TLS to a.example not decrypted");
    }

    @Test
    void silenceIsInconclusive() {
        assertThat(Judge.judge("d", "first-boot", List.of(), 0, List.of()).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void cleanTrafficPasses() {
        assertThat(Judge.judge("d", "first-boot", List.of(), 4, List.of()).verdict()).isEqualTo(Verdict.PASS);
    }
}
