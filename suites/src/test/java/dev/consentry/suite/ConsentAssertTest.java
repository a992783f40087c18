package dev.consentry.suite;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.consent.ConsentEntry;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.leak.Finding;
import dev.consentry.policy.Policy;
import dev.consentry.policy.PolicyLoader;
import dev.consentry.verdict.CaptureGap;
import dev.consentry.verdict.Evidence;
import dev.consentry.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assertion API's messages: Allure's categories (lab's categories.json) key on their first lines. */
class ConsentAssertTest {
    private static final Policy POLICY = PolicyLoader.load(Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath().getParent().resolve("policies"), "default");
    private static final Instant T0 = Instant.parse("2026-11-24T16:00:00Z");
    private static final CapturedFlow POST = new CapturedFlow("f1", T0.plusSeconds(5), "127.0.0.1:5000",
            new HttpRequestData("POST", "http", "api.account.xiaomi.com", 80, "/register", "HTTP/1.1", List.of(),
                    new byte[0]), Optional.empty(), Optional.empty());
    private static final Finding PHONE = new Finding(Canary.of(CanaryKind.PHONE_NUMBER, "+919812345678"), "f1",
            "api.account.xiaomi.com", "http", "body", List.of(), "+919812345678", 0);

    @Test
    void aLeakFailsWithOneActionableLinePerViolation() {
        Evidence e = Evidence.of("redmi", "first-boot", List.of(POST), List.of(PHONE));
        ConsentLedger ledger = new ConsentLedger(List.of(new ConsentEntry("location", false, "Location",
                "first-boot", "location_checkbox", T0.plusSeconds(2))));
        assertThatThrownBy(() -> ConsentAssert.assertNoLeak(e, ledger, POLICY)).isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s)FAIL redmi first-boot: .*\\n- before_consent: phone_number \\+919812345678 .*")
                .hasMessageContaining("http://api.account.xiaomi.com (xiaomi, vendor) at " + T0.plusSeconds(5))
                .hasMessageContaining("consent then: granted none; declined location")
                .hasMessageContaining("cloud_messaging was never asked");
    }

    @Test
    void aCaptureGapIsInconclusiveNeverAPass() {
        Evidence e = Evidence.of("redmi", "first-boot", List.of(POST), List.of())
                .withGaps(List.of(new CaptureGap(T0, T0.plusSeconds(4), "the proxy did not answer a probe")));
        assertThatThrownBy(() -> ConsentAssert.assertNoLeak(e, ConsentLedger.EMPTY, POLICY))
                .isInstanceOf(InconclusiveException.class)
                .hasMessageStartingWith("INCONCLUSIVE redmi first-boot: the lab could not see enough to judge: "
                        + "capture gap from " + T0 + " to " + T0.plusSeconds(4) + " (4.0 s)");
    }

    @Test
    void aPassIsReturned() {
        Evidence e = Evidence.of("redmi", "first-boot", List.of(POST), List.of());
        assertThat(ConsentAssert.assertNoLeak(e, ConsentLedger.EMPTY, POLICY).verdict()).isEqualTo(Verdict.PASS);
    }
}
