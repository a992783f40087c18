package dev.consentry.allure;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentEntry;
import dev.consentry.consent.ConsentLedger;
import dev.consentry.consent.ConsentState;
import dev.consentry.consent.Timeline;
import dev.consentry.leak.Finding;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.JudgedFinding;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentTimelineHtmlTest {
    @Test
    void stepsScreensDecisionsAndFindingsInTheOrderTheyHappenedWithoutValues() {
        Instant t0 = Instant.parse("2026-11-24T10:00:00Z");
        Timeline timeline = Timeline.EMPTY.step("first-boot", t0).screen("User Experience Program", t0.plusSeconds(2))
                .screen("All set", t0.plusSeconds(4));
        ConsentLedger ledger = ConsentLedger.EMPTY.with(new ConsentEntry("diagnostics", false,
                "User Experience Program", "first-boot", "user_experience_checkbox", t0.plusSeconds(3)));
        Finding f = new Finding(Canary.of(CanaryKind.IMEI, "860239315879893"), "f1", "api.account.xiaomi.com",
                "http", "body", List.of(), "860239315879893", 0);
        JudgedFinding j = new JudgedFinding(FindingVerdict.BEFORE_CONSENT, Optional.of(f), f.host(), "http",
                t0.plusMillis(5000), Optional.empty(), Optional.empty(),
                ConsentState.of(List.of(), List.of("diagnostics")), Optional.empty(), Optional.empty(),
                Optional.empty(), false, "");

        String html = ConsentTimelineHtml.render(timeline, ledger, List.of(j));

        assertThat(html).containsSubsequence("first-boot", "User Experience Program (step first-boot)",
                "diagnostics declined on 'User Experience Program' (user_experience_checkbox)", "All set",
                "<td>5.0</td><td>before_consent</td><td>imei to http://api.account.xiaomi.com (consent then: ")
                .doesNotContain("860239315879893");
    }
}
