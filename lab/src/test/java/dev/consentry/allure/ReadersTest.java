package dev.consentry.allure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentState;
import dev.consentry.diff.ExposureMatrix;
import dev.consentry.leak.Finding;
import dev.consentry.summary.SummaryJson;
import dev.consentry.verdict.CaptureGap;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What procurement reviewers and vendors read: plain verdicts, the exposure matrix, the baseline diff. */
class ReadersTest {
    @TempDir
    Path dir;

    private static JudgedFinding judged(FindingVerdict v, CanaryKind kind, String value, String host) {
        Finding f = new Finding(Canary.of(kind, value), "f1", host, "http", "body", List.of(), value, 0);
        return new JudgedFinding(v, Optional.of(f), host, "http", Instant.parse("2026-11-24T10:00:00Z"),
                Optional.empty(), Optional.of("xiaomi"), ConsentState.NONE, Optional.empty(), Optional.empty(),
                Optional.empty(), false, "");
    }

    private static final FlowResult LEAK = FlowResult.failed("redmi-1s-miui5-2014", "first-boot", List.of(
            judged(FindingVerdict.BEFORE_CONSENT, CanaryKind.IMEI, "860239315879893", "api.account.xiaomi.com"),
            judged(FindingVerdict.CLEARTEXT, CanaryKind.IMEI, "860239315879893", "api.account.xiaomi.com"),
            judged(FindingVerdict.BEFORE_CONSENT, CanaryKind.CONTACT_PHONE, "+917012345678",
                    "api.account.xiaomi.com")), "personal data left the handset");

    @Test
    void procurementReadsTheVerdictPerDataCategoryInWordsWithoutIdentifiers() {
        String html = PlainLanguage.html("Xiaomi Redmi 1S (MIUI V5, 2014-07)", LEAK);
        assertThat(html).contains("<b>Xiaomi Redmi 1S (MIUI V5, 2014-07)</b>",
                "fails: personal data left the phone without the consent the user gave",
                "The phone&#39;s IMEI".replace("&#39;", "'"),
                "sent to api.account.xiaomi.com (xiaomi) before the user was asked and unencrypted",
                "Phone numbers from the address book: sent to api.account.xiaomi.com (xiaomi) before the user was asked")
                .doesNotContain("860239315879893", "+917012345678");
        assertThat(PlainLanguage.features(LEAK)).containsExactly(
                "Phone numbers from the address book: sent to api.account.xiaomi.com before the user was asked",
                "The phone's IMEI (its unique hardware identity): sent to api.account.xiaomi.com before the user was "
                        + "asked and unencrypted, readable by anyone on the network");
        assertThat(PlainLanguage.features(FlowResult.passed("r", "first-boot")))
                .containsExactly("Passes: no personal data left the phone without the user's consent");
        assertThat(PlainLanguage.html("Xiaomi Redmi 1S", FlowResult.passed("r", "first-boot")))
                .contains("passes: no personal data left the phone");
        assertThat(PlainLanguage.html("Pixel", FlowResult.inconclusive("p", "first-boot", List.of(),
                "no traffic reached the proxy"))).contains("could not be judged", "Why: no traffic reached the proxy");
        FlowResult gap = FlowResult.inconclusive("p", "first-boot", List.of(), "capture gap from ...")
                .withGaps(List.of(new CaptureGap(Instant.parse("2026-11-24T10:00:00Z"),
                        Instant.parse("2026-11-24T10:00:03.500Z"), "probe through the proxy timed out")));
        assertThat(PlainLanguage.html("Pixel", gap)).contains("Capture gaps", "<li>from 2026-11-24T10:00:00Z to "
                + "2026-11-24T10:00:03.500Z (3.5 s): probe through the proxy timed out</li>");
        assertThat(PlainLanguage.html("Pixel", FlowResult.passed("p", "first-boot"))).doesNotContain("Capture gaps");
    }

    @Test
    void vendorsReadDestinationByCategoryByConsent() {
        ExposureMatrix m = ExposureMatrix.of(LEAK.device(), List.of(LEAK));
        assertThat(m.cell("api.account.xiaomi.com", "imei")).containsExactly("before_consent", "cleartext");
        String html = MatrixHtml.matrix(m);
        assertThat(html).contains("<th>contact_phone</th><th>imei</th>",
                "<td>api.account.xiaomi.com</td><td class=\"bad\">before_consent</td>"
                        + "<td class=\"bad\">before_consent, cleartext</td>");
        assertThat(MatrixHtml.matrix(ExposureMatrix.of("x", List.of(FlowResult.passed("x", "first-boot")))))
                .contains("No personal data left the handset.");
    }

    @Test
    void eachTestGetsItsDiffAgainstTheLastRunInWhichItsModelPassed() throws Exception {
        Path runs = dir.resolve("runs");
        Map<String, String> models = Map.of("redmi-1s-miui5-2014", "Xiaomi Redmi 1S",
                "redmi-1s-miui5-2014-08", "Xiaomi Redmi 1S", "pixel-7", "Google Pixel 7");
        write(runs.resolve("20261120-020000"), FlowResult.passed("redmi-1s-miui5-2014-08", "first-boot"));
        write(runs.resolve("20261122-020000"), FlowResult.passed("pixel-7", "first-boot"));
        write(runs.resolve("20261123-020000"), LEAK); // failed: not certified
        Path current = runs.resolve("20261124-020000");
        Path results = current.resolve("allure-results");
        Files.createDirectories(results);
        Files.writeString(results.resolve("a-result.json"), """
                {"uuid":"a","name":"first-boot on redmi","status":"failed","labels":[{"name":"device",
                "value":"redmi-1s-miui5-2014"},{"name":"flow","value":"first-boot"}],"attachments":[]}""");
        Files.writeString(results.resolve("b-result.json"), """
                {"uuid":"b","name":"first-boot on pixel","status":"passed","labels":[{"name":"device",
                "value":"pixel-8"},{"name":"flow","value":"first-boot"}]}""");

        BaselineDiffs.attach(results, runs, current, List.of(LEAK, FlowResult.passed("pixel-8", "first-boot")),
                models);

        JsonNode a = new ObjectMapper().readTree(results.resolve("a-result.json").toFile());
        JsonNode att = a.path("attachments").get(0);
        assertThat(att.path("name").asText()).isEqualTo("baseline diff: REGRESSED against 20261120-020000");
        assertThat(Files.readString(results.resolve(att.path("source").asText())))
                .contains("redmi-1s-miui5-2014-08 in 20261120-020000 (last certified run)",
                        "+ api.account.xiaomi.com: contact_phone, imei", "first-boot: PASS -&gt; FAIL");
        JsonNode b = new ObjectMapper().readTree(results.resolve("b-result.json").toFile());
        assertThat(b.path("attachments").get(0).path("name").asText())
                .isEqualTo("baseline diff: no certified run of this model yet");
    }

    private static void write(Path run, FlowResult r) throws Exception {
        Files.createDirectories(run);
        SummaryJson.write(List.of(r), run.resolve("summary.json"));
    }
}
