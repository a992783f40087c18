package dev.consentry.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentState;
import dev.consentry.leak.Finding;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The categories Allure files each test under (lab's categories.json), checked the way Allure matches them (the
 * whole failure message, Java regex, status) against the messages flow tests really end with (ConsentAssert).
 */
class CategoriesTest {
    private static List<String> categories(String status, String message) throws Exception {
        JsonNode all = new ObjectMapper().readTree(
                CategoriesTest.class.getResourceAsStream("/dev/consentry/allure/categories.json"));
        List<String> names = new ArrayList<>();
        for (JsonNode c : all) {
            boolean statusMatches = false;
            for (JsonNode s : c.path("matchedStatuses")) {
                statusMatches |= s.asText().equals(status);
            }
            if (statusMatches && Pattern.compile(c.path("messageRegex").asText()).matcher(message).matches()) {
                names.add(c.path("name").asText());
            }
        }
        return names;
    }

    private static JudgedFinding judged(FindingVerdict v, String scheme) {
        Finding imei = new Finding(Canary.of(CanaryKind.IMEI, "860239315879893"), "f1", "api.account.xiaomi.com",
                scheme, "body", List.of(), "860239315879893", 5);
        return new JudgedFinding(v, Optional.of(imei), imei.host(), scheme, Instant.parse("2026-11-24T10:00:00Z"),
                Optional.empty(), Optional.of("xiaomi"), ConsentState.NONE, Optional.of("finish"),
                Optional.of("first-boot"), Optional.empty(), false, "imei left in body for " + scheme + "://...");
    }

    @Test
    void eachViolationPutsTheTestInTheCategoryThatSaysWhy() throws Exception {
        String both = ConsentAssert.message(FlowResult.failed("redmi-1s-miui5-2014", "first-boot",
                List.of(judged(FindingVerdict.BEFORE_CONSENT, "https"), judged(FindingVerdict.CLEARTEXT, "http")),
                "personal data left the handset"));
        assertThat(categories("failed", both)).containsExactly(
                "Before consent: personal data sent before the user was asked",
                "Cleartext: personal data over plain HTTP");
        String declined = ConsentAssert.message(FlowResult.failed("redmi", "cloud-opt-out",
                List.of(judged(FindingVerdict.AFTER_DECLINE, "https")), "personal data left the handset"));
        assertThat(categories("failed", declined))
                .containsExactly("After decline: personal data sent after the user said no");
    }

    @Test
    void doubtsAndDefectsAreNeverMistakenForLeaks() throws Exception {
        String opaque = ConsentAssert.message(FlowResult.inconclusive("pixel", "first-boot", List.of(),
                "TLS to play.googleapis.com:443 could not be decrypted at 10:00:01 (certificate unknown)"));
        assertThat(categories("broken", opaque)).containsExactly("Opaque: TLS the lab could not open");
        String silent = ConsentAssert.message(FlowResult.inconclusive("pixel", "first-boot", List.of(),
                "no traffic reached the proxy: the handset may bypass it, so silence proves nothing"));
        assertThat(categories("broken", silent)).containsExactly("Capture gap: the lab may have missed traffic");
        String odd = ConsentAssert.message(FlowResult.inconclusive("pixel", "first-boot", List.of(), "odd"));
        assertThat(categories("broken", odd)).containsExactly("Inconclusive: the lab could not see enough");
        assertThat(categories("broken", "org.openqa.selenium.NoSuchElementException: no such element: next_button"))
                .containsExactly("Test defect (lab, page object or handset prep)");
    }
}
