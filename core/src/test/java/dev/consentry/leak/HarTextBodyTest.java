package dev.consentry.leak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.har.HarReader;
import dev.consentry.har.HarWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.consentry.leak.DamageTest.corruptGzip;
import static dev.consentry.leak.DamageTest.telemetry;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAR writers other than Consentry's (mitmproxy's har_dump.py: postData.text = get_text(strict=False); browsers) store
 * a request body as text with its Content-Encoding undone, and keep the header that declares it. Such a body is the
 * decoded one: searched as it is, no damage, no coding in the chain. What the HAR holds as sent (base64, or any body
 * Consentry's HarWriter wrote) is judged by its declaration as before.
 */
class HarTextBodyTest {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");
    private static final LeakDetector DETECTOR = new LeakDetector(List.of(IMEI));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"device\":{\"imei\":\"865123045678901\",\"model\":\"Redmi 1S\"}}";

    /** A one-entry HAR as har_dump.py writes it (its creator), the request declaring {@code contentEncoding}. */
    private static CapturedFlow read(String creator, String contentEncoding, ObjectNode postData) throws Exception {
        ObjectNode har = JSON.createObjectNode();
        ObjectNode log = har.putObject("log");
        log.put("version", "1.2");
        log.putObject("creator").put("name", creator).put("version", "0.1");
        ObjectNode entry = log.putArray("entries").addObject();
        entry.put("startedDateTime", "2026-11-25T03:00:00+00:00");
        ObjectNode request = entry.putObject("request");
        request.put("method", "POST");
        request.put("url", "https://api.account.xiaomi.com/up");
        request.put("httpVersion", "HTTP/1.1");
        ArrayNode headers = request.putArray("headers");
        headers.addObject().put("name", "Content-Type").put("value", "application/json");
        headers.addObject().put("name", "Content-Encoding").put("value", contentEncoding);
        request.set("postData", postData);
        entry.putObject("response").put("status", 200).put("statusText", "OK");
        return HarReader.read(JSON.writeValueAsBytes(har), "x.har").get(0);
    }

    private static ObjectNode text(String text) {
        return JSON.createObjectNode().put("mimeType", "application/json").put("text", text);
    }

    private static ObjectNode base64(byte[] body) {
        return text(Base64.getEncoder().encodeToString(body)).put("encoding", "base64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd", "deflate", "x-gzip", "gzip, br", "GZIP"})
    void aDecodedTextBodyIsSearchedAsItIsWithoutDamage(String coding) throws Exception {
        CapturedFlow flow = read("mitmproxy har_dump", coding, text(BODY));

        FlowScan scan = DETECTOR.inspect(flow);

        assertThat(scan.damage()).isEmpty();
        assertThat(scan.findings()).singleElement().satisfies(f -> {
            assertThat(f.location()).isEqualTo("body");
            assertThat(f.transforms()).isEqualTo(List.of());
        });
        // The evidence keeps the header as sent; only the body is known to be decoded.
        assertThat(flow.request().header("Content-Encoding")).contains(coding);
        assertThat(flow.request().bodyDecoded()).isTrue();
        assertThat(flow.request().body()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFormRebuiltFromParamsIsDecodedToo() throws Exception {
        ObjectNode postData = JSON.createObjectNode().put("mimeType", "application/x-www-form-urlencoded");
        postData.putArray("params").addObject().put("name", "imei").put("value", "865123045678901");

        FlowScan scan = DETECTOR.inspect(read("Firefox", "gzip", postData));

        assertThat(scan.damage()).isEmpty();
        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of());
    }

    @Test
    void aBase64BodyDeclaredGzipThatIsNotIsDamageAsBefore() throws Exception {
        CapturedFlow flow = read("mitmproxy har_dump", "gzip", base64(BODY.getBytes(StandardCharsets.UTF_8)));

        FlowScan scan = DETECTOR.inspect(flow);

        assertThat(flow.request().bodyDecoded()).isFalse();
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("declared gzip, but the body does not start as gzip (1f 8b)");
        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of());
    }

    @Test
    void aBase64GzipBodyIsDecodedAsBefore() throws Exception {
        FlowScan scan = DETECTOR.inspect(read("mitmproxy har_dump", "gzip", base64(gzip(telemetry()))));

        assertThat(scan.damage()).isEmpty();
        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
    }

    @Test
    void aTextBodyThatIsTheGzipStreamAsLatin1IsDecoded() throws Exception {
        // What mitmproxy stores of a body it could not decode, with no charset to go by: its raw bytes as latin-1.
        byte[] gz = gzip(telemetry());
        CapturedFlow flow = read("mitmproxy har_dump", "gzip", text(new String(gz, StandardCharsets.ISO_8859_1)));

        FlowScan scan = DETECTOR.inspect(flow);

        assertThat(flow.request().bodyDecoded()).isFalse();
        assertThat(flow.request().body()).isEqualTo(gz);
        assertThat(scan.damage()).isEmpty();
        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
    }

    @Test
    void aTextBodyThatIsACorruptGzipStreamStillSaysSo() throws Exception {
        byte[] gz = corruptGzip(telemetry());

        FlowScan scan = DETECTOR.inspect(read("mitmproxy har_dump", "gzip",
                text(new String(gz, StandardCharsets.ISO_8859_1))));

        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("gzip stream is corrupt");
        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
    }

    @Test
    void consentrysOwnHarKeepsATextBodyAsSent() throws Exception {
        // A handset that declared gzip and sent plain JSON: HarWriter writes the body as text (it is valid UTF-8);
        // read back, it is still what was sent, and the false declaration still a doubt.
        CapturedFlow sent = new CapturedFlow("f1", Instant.EPOCH, "10.0.0.2:40000",
                new HttpRequestData("POST", "https", "api.account.xiaomi.com", 443, "/up", "HTTP/1.1",
                        List.of(new HttpHeader("Content-Encoding", "gzip")), BODY.getBytes(StandardCharsets.UTF_8)),
                Optional.empty(), Optional.empty());
        String har = new String(HarWriter.write(List.of(sent)), StandardCharsets.UTF_8);
        assertThat(har).contains("\"text\" : \"{\\\"device\\\"").doesNotContain("base64");

        CapturedFlow back = HarReader.read(har.getBytes(StandardCharsets.UTF_8), "own.har").get(0);

        assertThat(back.request().bodyDecoded()).isFalse();
        assertThat(DETECTOR.inspect(back).damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("declared gzip, but the body does not start as gzip");
    }

    @Test
    void textIsNotTakenForDeflateOrBrotli() {
        // Neither has magic bytes to go by: text must fail to decode as them, or a decoded body would be damage.
        Random r = new Random(11);
        for (int i = 0; i < 3_000; i++) {
            StringBuilder s = new StringBuilder(i % 2 == 0 ? "{\"k" : "a");
            int n = 1 + r.nextInt(400);
            for (int j = 0; j < n; j++) {
                s.append((char) (0x20 + r.nextInt(0x5f)));
            }
            byte[] text = s.toString().getBytes(StandardCharsets.UTF_8);
            assertThat(ContentCoding.carries(text, "deflate")).as(s.toString()).isFalse();
            assertThat(ContentCoding.carries(text, "br")).as(s.toString()).isFalse();
        }
        assertThat(ContentCoding.carries(LeakDetectorTest.compress(telemetry(),
                new java.util.zip.Deflater()), "deflate")).isTrue();
    }
}
