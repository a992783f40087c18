package dev.consentry.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.consent.ConsentState;
import dev.consentry.leak.Finding;
import dev.consentry.policy.Party;
import dev.consentry.verdict.CaptureGap;
import dev.consentry.verdict.FindingVerdict;
import dev.consentry.verdict.FlowResult;
import dev.consentry.verdict.JudgedFinding;
import dev.consentry.verdict.UnobservedConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SummaryJsonTest {
    static final Finding IMEI = new Finding(Canary.of(CanaryKind.IMEI, "865123045678901"), "f1",
            "api.account.xiaomi.com", "http", "body", List.of("gzip", "base64"), "86512304567890", 17);
    static final Finding CONTACT = new Finding(Canary.of(CanaryKind.CONTACT_PHONE, "+919812345678"), "f2",
            "api.account.xiaomi.com", "http", "header:x-c", List.of(), "+919812345678", 0);
    static final Instant AT = Instant.parse("2026-11-24T16:00:05.250Z");
    static final JudgedFinding IMEI_JUDGED = new JudgedFinding(FindingVerdict.BEFORE_CONSENT, Optional.of(IMEI),
            IMEI.host(), IMEI.scheme(), AT, Optional.of(Party.VENDOR), Optional.of("xiaomi"),
            ConsentState.of(List.of(), List.of("location", "diagnostics")), Optional.of("All set"),
            Optional.of("first-boot"), Optional.of("policies/default.yaml:36 rules.cloud_messaging.vendor: ..."), false,
            "imei left ...");
    static final JudgedFinding CONTACT_JUDGED = new JudgedFinding(FindingVerdict.CLEARTEXT, Optional.of(CONTACT),
            CONTACT.host(), CONTACT.scheme(), AT, Optional.of(Party.VENDOR), Optional.of("xiaomi"),
            ConsentState.of(List.of("cloud_messaging"), List.of()), Optional.empty(), Optional.of("idle"),
            Optional.empty(), false, "contact_phone left ...");
    static final JudgedFinding OPAQUE = new JudgedFinding(FindingVerdict.OPAQUE, Optional.empty(),
            "android.googleapis.com", "https", AT, Optional.of(Party.PLATFORM), Optional.of("google"),
            ConsentState.NONE, Optional.of("Wi-Fi"), Optional.of("first-boot"), Optional.empty(), true, "TLS to ...");
    static final List<FlowResult> RESULTS = List.of(
            FlowResult.failed("redmi-1s-miui5-2014", "first-boot", List.of(IMEI_JUDGED, CONTACT_JUDGED),
                    "personal data left"),
            FlowResult.passed("redmi-1s-miui5-2014-08", "first-boot", List.of(OPAQUE)),
            FlowResult.inconclusive("pixel", "first-boot", List.of(), "no traffic reached the proxy"));

    @TempDir
    Path dir;

    @Test
    void writesTheContractShape() throws IOException {
        Path file = dir.resolve("reports/latest/summary.json");
        SummaryJson.write(RESULTS, file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertThat(root.fieldNames()).toIterable().containsExactly("results");
        JsonNode r0 = root.at("/results/0");
        assertThat(r0.fieldNames()).toIterable().containsExactly("device", "flow", "verdict", "reason", "findings");
        assertThat(r0.get("verdict").asText()).isEqualTo("FAIL");
        JsonNode f = r0.at("/findings/0");
        assertThat(f.fieldNames()).toIterable().containsExactly("verdict", "canary", "value", "host", "scheme",
                "location", "transforms", "flowId", "form", "offset", "at", "consent", "screen", "step", "party",
                "destination", "rule", "explanation");
        assertThat(f.get("verdict").asText()).isEqualTo("before_consent");
        assertThat(f.get("canary").asText()).isEqualTo("imei");
        assertThat(f.get("transforms")).extracting(JsonNode::asText).containsExactly("gzip", "base64");
        assertThat(f.get("offset").asLong()).isEqualTo(17);
        assertThat(f.get("at").asText()).isEqualTo("2026-11-24T16:00:05.250Z");
        assertThat(f.at("/consent/granted").isArray() && f.at("/consent/granted").isEmpty()).isTrue();
        assertThat(f.at("/consent/declined")).extracting(JsonNode::asText).containsExactly("diagnostics", "location");
        assertThat(f.get("screen").asText()).isEqualTo("All set");
        assertThat(f.get("step").asText()).isEqualTo("first-boot");
        assertThat(r0.at("/findings/1").has("screen")).isFalse();
        JsonNode opaque = root.at("/results/1/findings/0");
        assertThat(opaque.fieldNames()).toIterable().containsExactly("verdict", "host", "scheme", "at", "consent",
                "screen", "step", "party", "destination", "exempt", "explanation");
        assertThat(opaque.get("verdict").asText()).isEqualTo("opaque");
        assertThat(opaque.get("exempt").asBoolean()).isTrue();
        assertThat(root.at("/results/1").has("reason")).isFalse();
        assertThat(root.at("/results/2/verdict").asText()).isEqualTo("INCONCLUSIVE");
        assertThat(dir.resolve("reports/latest")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void unobservedConnectionsAndCaptureGapsAreDataNotOnlyReasonText() throws IOException {
        UnobservedConnection c = new UnobservedConnection("direct.example", "127.0.0.1", 41234, "tcp", AT, 412, 97,
                "TCP connection from 127.0.0.1:50000 to 127.0.0.1:41234 (frame 7)");
        JudgedFinding u = new JudgedFinding(FindingVerdict.UNOBSERVED, Optional.empty(), "direct.example", "tcp", AT,
                Optional.empty(), Optional.empty(), ConsentState.NONE, Optional.empty(), Optional.of("idle"),
                Optional.empty(), false, "a connection to direct.example ...", Optional.of(c));
        FlowResult r = FlowResult.inconclusive("redmi", "first-boot", List.of(u), "capture gap ...; a connection ...")
                .withGaps(List.of(new CaptureGap(AT, AT.plusMillis(3500), "probe through the proxy timed out")));
        Path file = dir.resolve("summary.json");
        SummaryJson.write(List.of(r), file);
        JsonNode r0 = new ObjectMapper().readTree(file.toFile()).at("/results/0");
        assertThat(r0.fieldNames()).toIterable().containsExactly("device", "flow", "verdict", "reason", "gaps",
                "findings");
        assertThat(r0.at("/gaps/0/start").asText()).isEqualTo("2026-11-24T16:00:05.250Z");
        assertThat(r0.at("/gaps/0/end").asText()).isEqualTo("2026-11-24T16:00:08.750Z");
        assertThat(r0.at("/gaps/0/cause").asText()).isEqualTo("probe through the proxy timed out");
        JsonNode f = r0.at("/findings/0");
        assertThat(f.fieldNames()).toIterable().containsExactly("verdict", "host", "address", "port", "scheme",
                "bytesOut", "bytesIn", "at", "consent", "step", "detail", "explanation");
        assertThat(f.get("verdict").asText()).isEqualTo("unobserved");
        assertThat(f.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(f.get("port").asInt()).isEqualTo(41234);
        assertThat(f.get("bytesOut").asLong()).isEqualTo(412);
        assertThat(f.get("bytesIn").asLong()).isEqualTo(97);
        assertThat(SummaryJson.read(file)).usingRecursiveComparison().isEqualTo(List.of(r));
        assertThat(new ObjectMapper().readTree(SummaryJson.toBytes(RESULTS)).at("/results/2").has("gaps")).isFalse();
        assertThatThrownBy(() -> SummaryJson.read(bytes("{\"results\":[{\"device\":\"d\",\"flow\":\"f\","
                + "\"verdict\":\"INCONCLUSIVE\",\"reason\":\"r\",\"gaps\":[{\"start\":\"noon\"}],"
                + "\"findings\":[]}]}"), "s.json"))
                .hasMessage("s.json: results[0].gaps[0]: start: expected an ISO-8601 instant, got noon");
    }

    @Test
    void skippedFlowsAreListedWithTheirReasonAndOnlyWhenThereAreAny() throws IOException {
        Path file = dir.resolve("summary.json");
        SummaryJson.write(RESULTS, List.of(new SkippedFlow("galaxy-s23-oneui6", "first-boot",
                "this user build does not keep ADB through the setup wizard")), file);
        JsonNode skipped = new ObjectMapper().readTree(file.toFile()).get("skipped");
        assertThat(skipped).hasSize(1);
        assertThat(skipped.get(0).get("device").asText()).isEqualTo("galaxy-s23-oneui6");
        assertThat(skipped.get(0).get("flow").asText()).isEqualTo("first-boot");
        assertThat(skipped.get(0).get("reason").asText()).contains("does not keep ADB");
        assertThat(SummaryJson.read(file)).isEqualTo(RESULTS);

        SummaryJson.write(RESULTS, file);
        assertThat(new ObjectMapper().readTree(file.toFile()).has("skipped")).isFalse();
    }

    @Test
    void summaryIsReadableByOthersLikeTheRestOfTheReport() throws IOException {
        Path file = dir.resolve("summary.json");
        Files.writeString(dir.resolve("neighbour.html"), "x");
        SummaryJson.write(RESULTS, file);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Files.getPosixFilePermissions(dir.resolve("neighbour.html")));
    }

    @Test
    void readsBackIntoTypedResults() {
        Path file = dir.resolve("summary.json");
        SummaryJson.write(RESULTS, file);
        SummaryJson.write(RESULTS.subList(0, 1), file); // overwrites
        assertThat(SummaryJson.read(file)).usingRecursiveComparison().isEqualTo(RESULTS.subList(0, 1));
        assertThat(SummaryJson.read(SummaryJson.toBytes(RESULTS), "mem")).usingRecursiveComparison()
                .isEqualTo(RESULTS);
    }

    @Test
    void readerToleratesExtraFieldsAndMissingOptionalOnes() {
        String json = """
                {"version": 2, "results": [{"device": "d", "flow": "first-boot", "verdict": "FAIL", "reason": "r",
                  "findings": [{"verdict": "after_decline", "at": "2026-11-24T16:00:00Z", "canary": "phone_number", "value": "+919876500001", "host": "h", "scheme": "https",
                    "location": "url", "transforms": [], "flowId": "f", "severity": "high"}]}]}
                """;
        FlowResult r = SummaryJson.read(json.getBytes(StandardCharsets.UTF_8), "s.json").get(0);
        assertThat(r.findings()).singleElement().satisfies(j -> {
            assertThat(j.verdict()).isEqualTo(FindingVerdict.AFTER_DECLINE);
            assertThat(j.consent()).isEqualTo(ConsentState.NONE);
            assertThat(j.screen()).isEmpty();
            Finding f = j.leak().orElseThrow();
            assertThat(f.canary()).isEqualTo(Canary.of(CanaryKind.PHONE_NUMBER, "+919876500001"));
            assertThat(f.form()).isEqualTo("+919876500001");
            assertThat(f.offset()).isZero();
        });
    }

    @Test
    void badSummariesNameWhatIsWrong() throws IOException {
        assertThatThrownBy(() -> SummaryJson.read(bytes("{\"results\":[{\"device\":\"d\",\"flow\":\"f\","
                + "\"verdict\":\"MAYBE\",\"findings\":[]}]}"), "s.json"))
                .isInstanceOf(SummaryException.class)
                .hasMessage("s.json: results[0]: verdict: expected PASS, FAIL or INCONCLUSIVE, got MAYBE");
        assertThatThrownBy(() -> SummaryJson.read(bytes("{\"results\":[{\"device\":\"d\",\"flow\":\"f\","
                + "\"verdict\":\"FAIL\",\"findings\":[{\"verdict\":\"cleartext\",\"canary\":\"dna\",\"value\":\"x\",\"flowId\":\"f\"}]}]}"),
                "s.json")).hasMessage("s.json: results[0].findings[0]: canary: unknown kind dna");
        assertThatThrownBy(() -> SummaryJson.read(bytes("{\"results\":[{\"device\":\"d\",\"flow\":\"f\","
                + "\"verdict\":\"FAIL\",\"findings\":[{\"verdict\":\"leaked\"}]}]}"), "s.json"))
                .hasMessage("s.json: results[0].findings[0]: verdict: expected one of allowed, before_consent, "
                        + "after_decline, cleartext, unlisted_destination, opaque, unobserved, got leaked");
        assertThatThrownBy(() -> SummaryJson.read(bytes("{\"results\":[{\"device\":\"d\",\"flow\":\"f\","
                + "\"verdict\":\"INCONCLUSIVE\",\"findings\":[]}]}"), "s.json"))
                .hasMessage("s.json: results[0]: an INCONCLUSIVE result needs a reason");
        assertThatThrownBy(() -> SummaryJson.read(bytes("{}"), "s.json"))
                .hasMessage("s.json: not a summary: no \"results\" array");
        assertThatThrownBy(() -> SummaryJson.read(bytes("[1"), "s.json")).isInstanceOf(SummaryException.class)
                .hasMessageStartingWith("s.json: not a summary");
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> SummaryJson.read(missing)).hasMessageStartingWith(missing + ": cannot read");
        assertThat(Files.exists(missing)).isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
