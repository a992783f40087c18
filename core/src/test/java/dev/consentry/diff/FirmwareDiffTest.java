package dev.consentry.diff;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentState;
import dev.consentry.leak.Finding;
import dev.consentry.summary.SummaryJson;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FirmwareDiffTest {
    @TempDir
    Path dir;

    private static JudgedFinding leak(FindingVerdict v, CanaryKind kind, String value, String host) {
        Finding f = new Finding(Canary.of(kind, value), "flow-" + host, host, "https", "body", List.of(), value, 0);
        return new JudgedFinding(v, Optional.of(f), host, "https", Instant.parse("2026-11-24T10:00:00Z"),
                Optional.empty(), Optional.empty(), ConsentState.NONE, Optional.empty(), Optional.empty(),
                Optional.empty(), false, v.id() + ": " + kind.id() + " to " + host);
    }

    @Test
    void newHostsNewCategoriesAndDataMovedBeforeConsent() {
        FlowResult old = FlowResult.passed("redmi-v1", "first-boot", List.of(
                leak(FindingVerdict.ALLOWED, CanaryKind.IMEI, "860239315879893", "api.account.xiaomi.com")));
        FlowResult neu = FlowResult.failed("redmi-v2", "first-boot", List.of(
                leak(FindingVerdict.BEFORE_CONSENT, CanaryKind.IMEI, "860239315879893", "api.account.xiaomi.com"),
                leak(FindingVerdict.BEFORE_CONSENT, CanaryKind.CONTACT_PHONE, "+917012345678",
                        "tracking.intl.miui.com")), "personal data left the handset");

        FirmwareDiff d = FirmwareDiff.between("v1", List.of(old), "v2", List.of(neu));

        assertThat(d.regressed()).isTrue();
        assertThat(d.newHosts()).isEqualTo(Map.of("tracking.intl.miui.com", Set.of("contact_phone")));
        assertThat(d.newCategories()).containsExactly("contact_phone");
        assertThat(d.movedBeforeConsent()).containsExactly(
                new Exposure("first-boot", "api.account.xiaomi.com", "imei", "before_consent"));
        assertThat(d.verdicts()).containsExactly("first-boot: PASS -> FAIL");
        assertThat(d.text()).contains("REGRESSED", "+ tracking.intl.miui.com: contact_phone",
                "! imei to api.account.xiaomi.com in first-boot");
    }

    @Test
    void aReleaseThatStopsLeakingIsNoRegression() {
        FlowResult old = FlowResult.failed("redmi-1s-miui5-2014", "first-boot", List.of(
                leak(FindingVerdict.BEFORE_CONSENT, CanaryKind.IMEI, "860239315879893", "api.account.xiaomi.com")),
                "personal data left the handset");
        FirmwareDiff d = FirmwareDiff.between("2014", List.of(old), "2014-08",
                List.of(FlowResult.passed("redmi-1s-miui5-2014-08", "first-boot")));
        assertThat(d.regressed()).isFalse();
        assertThat(d.goneHosts()).containsExactly("api.account.xiaomi.com");
        assertThat(d.text()).contains("no regression", "hosts no longer receiving personal data: "
                + "api.account.xiaomi.com", "first-boot: FAIL -> PASS");
    }

    @Test
    void readsEitherSideFromASummaryOrAReportDirectoryAndNamesTheChoices() {
        FlowResult a = FlowResult.passed("redmi-a", "first-boot");
        FlowResult b = FlowResult.passed("redmi-b", "first-boot");
        SummaryJson.write(List.of(a, b), dir.resolve("summary.json"));

        assertThat(DiffInput.load(dir, Optional.of("redmi-b")).results()).containsExactly(b);
        assertThatThrownBy(() -> DiffInput.load(dir.resolve("summary.json"), Optional.empty()))
                .hasMessageContaining("results for redmi-a, redmi-b").hasMessageContaining("--old-device");
        assertThatThrownBy(() -> DiffInput.load(dir, Optional.of("pixel")))
                .hasMessageContaining("no results for device 'pixel'");
        assertThatThrownBy(() -> DiffInput.load(dir.resolve("nope"), Optional.empty()))
                .hasMessageContaining("no such file");
    }
}
