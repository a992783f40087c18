package dev.consentry.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.leak.Finding;
import dev.consentry.verdict.FlowResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SummaryJsonTest {
    static final Finding IMEI = new Finding(Canary.of(CanaryKind.IMEI, "865123045678901"), "f1",
            "api.account.xiaomi.com", "http", "body", List.of("gzip", "base64"), "86512304567890", 17);
    static final Finding CONTACT = new Finding(Canary.of(CanaryKind.CONTACT_PHONE, "+919812345678"), "f2",
            "api.account.xiaomi.com", "http", "header:x-c", List.of(), "+919812345678", 0);
    static final List<FlowResult> RESULTS = List.of(
            FlowResult.failed("redmi-1s-miui5-2014", "first-boot", List.of(IMEI, CONTACT), "personal data left"),
            FlowResult.passed("redmi-1s-miui5-2014-08", "first-boot"),
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
        assertThat(f.fieldNames()).toIterable().containsExactly("canary", "value", "host", "scheme", "location",
                "transforms", "flowId", "form", "offset");
        assertThat(f.get("canary").asText()).isEqualTo("imei");
        assertThat(f.get("transforms")).extracting(JsonNode::asText).containsExactly("gzip", "base64");
        assertThat(f.get("offset").asLong()).isEqualTo(17);
        assertThat(root.at("/results/1/findings").isArray() && root.at("/results/1/findings").isEmpty()).isTrue();
        assertThat(root.at("/results/1").has("reason")).isFalse();
        assertThat(root.at("/results/2/verdict").asText()).isEqualTo("INCONCLUSIVE");
        assertThat(dir.resolve("reports/latest")).isDirectoryNotContaining("glob:**.tmp");
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
                  "findings": [{"canary": "phone_number", "value": "+919876500001", "host": "h", "scheme": "https",
                    "location": "url", "transforms": [], "flowId": "f", "severity": "high"}]}]}
                """;
        FlowResult r = SummaryJson.read(json.getBytes(StandardCharsets.UTF_8), "s.json").get(0);
        assertThat(r.findings()).singleElement().satisfies(f -> {
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
                + "\"verdict\":\"FAIL\",\"findings\":[{\"canary\":\"dna\",\"value\":\"x\",\"flowId\":\"f\"}]}]}"),
                "s.json")).hasMessage("s.json: results[0].findings[0]: canary: unknown kind dna");
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
