package dev.consentry.har;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;
import dev.consentry.capture.SentOnWebSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HarRoundTripTest {
    static final Instant T = Instant.parse("2014-08-10T09:15:02.123456Z");

    @TempDir
    Path dir;

    static List<CapturedFlow> sample() throws IOException {
        CapturedFlow text = new CapturedFlow("7a1c0c3e-0000-4000-8000-000000000001", T, "10.0.2.15:43122",
                new HttpRequestData("POST", "http", "api.account.xiaomi.com", 80, "/pass/v3/reg?imei=865123%2B&x",
                        "HTTP/1.1", List.of(new HttpHeader("Host", "api.account.xiaomi.com"),
                        new HttpHeader("Cookie", "sid=abc; lang=en"), new HttpHeader("X-Dup", "1"),
                        new HttpHeader("X-Dup", "2"), new HttpHeader("Content-Type", "application/json")),
                        "{\"n\":\"+919876500001\",\"ü\":\"日本\"}".getBytes(StandardCharsets.UTF_8)),
                Optional.of(new HttpResponseData(200, "OK", List.of(new HttpHeader("Content-Type", "text/plain")),
                        "ok\n".getBytes(StandardCharsets.UTF_8))), Optional.empty());
        CapturedFlow binary = new CapturedFlow("f-2", T.plusMillis(5), "10.0.2.15:43123",
                new HttpRequestData("PUT", "https", "sync.example", 8443, "/up", "HTTP/2.0",
                        List.of(new HttpHeader("Content-Encoding", "gzip")), gzip("contacts")),
                Optional.of(new HttpResponseData(201, "Created", List.of(), new byte[]{0, 1, 2, (byte) 0xff})),
                Optional.empty());
        CapturedFlow failed = new CapturedFlow("f-3", T.plusSeconds(1), "", new HttpRequestData("GET", "https",
                "tracker.example", 443, "/", "HTTP/1.1", List.of(), new byte[0]), Optional.empty(),
                Optional.of("TLS handshake failed: certificate unknown"));
        return List.of(text, binary, failed);
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        List<CapturedFlow> flows = sample();
        Path file = dir.resolve("flows.har");
        HarWriter.write(flows, file);
        assertThat(HarReader.read(file)).usingRecursiveComparison().isEqualTo(flows);
    }

    @Test
    void whatAWebSocketSentIsWrittenAsChromesMessagesAndReadBackAsSent() throws IOException {
        List<CapturedFlow> flows = sample();
        byte[] text = "{\"op\":\"sync\",\"n\":\"+919876500001\",\"\u00fc\":\"\u65e5\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] binary = {0x0a, 0x0f, 0x00, (byte) 0x8b, 0x1f, 0x7f};
        byte[] controls = "line\u0001".getBytes(StandardCharsets.UTF_8); // UTF-8, but not text a HAR viewer shows
        SentOnWebSockets sent = new SentOnWebSockets(Map.of(flows.get(0).id(), List.of(text, binary, controls),
                flows.get(1).id(), List.of()));
        Path file = dir.resolve("ws.har");
        Files.write(file, HarWriter.write(flows, sent));

        JsonNode entries = new ObjectMapper().readTree(file.toFile()).path("log").path("entries");
        JsonNode messages = entries.get(0).path("_webSocketMessages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("type").asText()).isEqualTo("send");
        assertThat(messages.get(0).path("opcode").asInt()).isEqualTo(1);
        assertThat(messages.get(0).path("data").asText()).isEqualTo(new String(text, StandardCharsets.UTF_8));
        assertThat(messages.get(1).path("opcode").asInt()).isEqualTo(2);
        assertThat(messages.get(2).path("opcode").asInt()).isEqualTo(2);
        assertThat(entries.get(0).path("_resourceType").asText()).isEqualTo("websocket");
        assertThat(entries.get(1).path("_webSocketMessages").isArray()).isTrue();
        assertThat(entries.get(1).path("_webSocketMessages")).isEmpty();
        assertThat(entries.get(2).has("_webSocketMessages")).isFalse(); // no socket: no field, as browsers write

        Map<String, List<byte[]>> read = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        HarReader.streamRequests(file, new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                throw new AssertionError("the messages were dropped");
            }

            @Override
            public void flow(int index, CapturedFlow flow, List<byte[]> sentOnWebSocket) {
                read.put(flow.id(), sentOnWebSocket);
            }

            @Override
            public void badEntry(int index, String problem) {
                bad.add(problem);
            }
        });
        assertThat(bad).isEmpty();
        assertThat(read.get(flows.get(0).id())).containsExactly(text, binary, controls);
        assertThat(read.get(flows.get(1).id())).isEmpty();
    }

    @Test
    void writesHar12WithTextAndBase64BodiesAndConsentryFields() throws IOException {
        JsonNode har = new ObjectMapper().readTree(HarWriter.write(sample()));
        assertThat(har.at("/log/version").asText()).isEqualTo("1.2");
        JsonNode e0 = har.at("/log/entries/0");
        assertThat(e0.at("/request/url").asText())
                .isEqualTo("http://api.account.xiaomi.com/pass/v3/reg?imei=865123%2B&x");
        assertThat(e0.at("/request/postData/text").asText()).contains("日本");
        assertThat(e0.at("/request/postData/encoding").isMissingNode()).isTrue();
        assertThat(e0.at("/request/queryString/0/value").asText()).isEqualTo("865123+");
        assertThat(e0.at("/request/cookies/1/name").asText()).isEqualTo("lang");
        assertThat(e0.at("/_flowId").asText()).isEqualTo("7a1c0c3e-0000-4000-8000-000000000001");
        assertThat(e0.at("/_client").asText()).isEqualTo("10.0.2.15:43122");
        JsonNode e1 = har.at("/log/entries/1");
        assertThat(e1.at("/request/url").asText()).isEqualTo("https://sync.example:8443/up");
        assertThat(e1.at("/request/postData/encoding").asText()).isEqualTo("base64");
        assertThat(e1.at("/response/content/encoding").asText()).isEqualTo("base64");
        assertThat(e1.at("/response/content/text").asText()).isEqualTo("AAEC/w==");
        JsonNode e2 = har.at("/log/entries/2");
        assertThat(e2.at("/response/status").asInt()).isZero();
        assertThat(e2.at("/_error").asText()).isEqualTo("TLS handshake failed: certificate unknown");
        assertThat(e2.has("timings") && e2.has("cache")).isTrue();
    }

    @Test
    void readsMitmproxyHardumpOutput() {
        String har = """
                {"log": {"version": "1.2", "creator": {"name": "mitmproxy", "version": "11.0.0", "comment": ""},
                 "pages": [], "entries": [{
                  "startedDateTime": "2014-08-10T11:15:02.123000+02:00", "time": 41.2,
                  "request": {"method": "POST", "url": "http://api.account.xiaomi.com:80/cm/upload?v=2",
                   "httpVersion": "HTTP/1.1", "cookies": [{"name": "sid", "value": "abc"}],
                   "headers": [{"name": "Host", "value": "api.account.xiaomi.com"}],
                   "queryString": [{"name": "v", "value": "2"}], "headersSize": 120, "bodySize": 9,
                   "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "imei=8651",
                    "params": [{"name": "imei", "value": "8651"}]}},
                  "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                   "headers": [], "content": {"size": 3, "compression": 0, "mimeType": "application/octet-stream",
                   "text": "AQID", "encoding": "base64"}, "redirectURL": "", "headersSize": 10, "bodySize": 3},
                  "cache": {}, "timings": {"connect": 1.0, "ssl": -1, "send": 1, "receive": 1, "wait": 38},
                  "serverIPAddress": "10.0.2.2"}]}}
                """;
        CapturedFlow f = HarReader.read(har.getBytes(StandardCharsets.UTF_8), "dump.har").get(0);
        assertThat(f.id()).isEqualTo("har-entry-0");
        assertThat(f.started()).isEqualTo(Instant.parse("2014-08-10T09:15:02.123Z"));
        assertThat(f.request().port()).isEqualTo(80);
        assertThat(f.request().path()).isEqualTo("/cm/upload?v=2");
        assertThat(f.request().headers()).extracting(HttpHeader::name).containsExactly("Host", "Cookie");
        assertThat(f.request().header("cookie")).contains("sid=abc");
        assertThat(new String(f.request().body(), StandardCharsets.UTF_8)).isEqualTo("imei=8651");
        assertThat(f.response()).get().extracting(HttpResponseData::body).isEqualTo(new byte[]{1, 2, 3});
        assertThat(f.error()).isEmpty();
    }

    @Test
    void readsBrowserHarWithMissingOptionalFields() {
        String har = """
                {"log": {"entries": [
                  {"startedDateTime": "2024-03-01T10:00:00.000Z",
                   "request": {"method": "GET", "url": "https://[2001:db8::1]/a#frag",
                     "headers": [{"name": ":authority", "value": "x"}, {"name": "accept", "value": "*/*"}]},
                   "response": {"status": 0, "_error": "net::ERR_BLOCKED_BY_CLIENT"}},
                  {"startedDateTime": "2024-03-01T10:00:01+00:00",
                   "request": {"method": "POST", "url": "http://h.example/f",
                     "postData": {"mimeType": "application/x-www-form-urlencoded",
                       "params": [{"name": "a", "value": "1"}, {"name": "b"}]}}}
                ]}}
                """;
        List<CapturedFlow> flows = HarReader.read(har.getBytes(StandardCharsets.UTF_8), "chrome.har");
        CapturedFlow a = flows.get(0);
        assertThat(a.request().host()).isEqualTo("2001:db8::1");
        assertThat(a.request().port()).isEqualTo(443);
        assertThat(a.request().path()).isEqualTo("/a");
        assertThat(a.request().httpVersion()).isEqualTo("HTTP/1.1");
        assertThat(a.request().headers()).containsExactly(new HttpHeader("accept", "*/*"));
        assertThat(a.response()).isEmpty();
        assertThat(a.error()).contains("no response recorded");
        CapturedFlow b = flows.get(1);
        assertThat(b.id()).isEqualTo("har-entry-1");
        assertThat(new String(b.request().body(), StandardCharsets.UTF_8)).isEqualTo("a=1&b=");
    }

    @Test
    void malformedEntriesNameFileEntryAndField() {
        String ok = "{\"startedDateTime\":\"2024-03-01T10:00:00Z\",\"request\":{\"method\":\"GET\",\"url\":\"http://a/\"}}";
        String noUrl = "[" + ok + ",{\"startedDateTime\":\"2024-03-01T10:00:00Z\",\"request\":{\"method\":\"GET\"}}]";
        // A field that is not there: the object it is missing from.
        assertThatThrownBy(() -> read(noUrl)).isInstanceOf(HarException.class)
                .hasMessage("x.har: entry 1 (line 1, column " + (FIRST + ok.length() + 1) + "): request.url: missing"
                        + " (in the object at line 1, column " + column(noUrl, "{\"method\":\"GET\"}}]") + ")");
        String badUrl = "[" + ok + "," + ok + "," + ok.replace("http://a/", "not a url") + "]";
        assertThatThrownBy(() -> read(badUrl))
                .hasMessage("x.har: entry 2 (line 1, column " + (FIRST + 2 * (ok.length() + 1)) + "): request.url"
                        + " (line 1, column " + column(badUrl, "\"not a url\"") + "): expected an absolute http(s) URL,"
                        + " got \"not a url\"");
        String yesterday = "[" + ok.replace("2024-03-01T10:00:00Z", "yesterday") + "]";
        assertThatThrownBy(() -> read(yesterday))
                .hasMessage(ENTRY_0 + "startedDateTime (line 1, column " + column(yesterday, "\"yesterday\"")
                        + "): expected an ISO 8601 date-time with offset, got \"yesterday\"");
        String headers = "[" + ok.replace("}}", "},\"response\":{\"status\":200,\"headers\":{}}}") + "]";
        assertThatThrownBy(() -> read(headers)).hasMessage(ENTRY_0 + "response.headers (line 1, column "
                + column(headers, "{}}}]") + "): expected an array");
        String text = "[" + ok.replace("}}", ",\"postData\":{\"text\":\"%%%\",\"encoding\":\"base64\"}}}") + "]";
        assertThatThrownBy(() -> read(text)).hasMessageStartingWith(ENTRY_0 + "request.postData.text (line 1, column "
                + column(text, "\"%%%\"") + "): invalid base64");
        assertThatThrownBy(() -> read("[42]")).hasMessage(ENTRY_0 + "entry: expected an object");
    }

    /** The column {@code marker} starts at in what {@link #read} parses of {@code entries}. */
    private static int column(String entries, String marker) {
        return ("{\"log\":{\"entries\":" + entries).indexOf(marker) + 1;
    }

    @Test
    void notHarOrNotJsonIsAClearError() throws IOException {
        assertThatThrownBy(() -> HarReader.read("{\"log\":{}}".getBytes(StandardCharsets.UTF_8), "a.har"))
                .isInstanceOf(HarException.class).hasMessage("a.har: not a HAR file: no log.entries array");
        assertThatThrownBy(() -> HarReader.read("{\"log\": [1,".getBytes(StandardCharsets.UTF_8), "b.har"))
                .isInstanceOf(HarException.class).hasMessageStartingWith("b.har:1:").hasMessageContaining("not JSON");
        Path bin = Files.write(dir.resolve("c.har"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        assertThatThrownBy(() -> HarReader.read(bin)).isInstanceOf(HarException.class)
                .hasMessageStartingWith(bin.toString());
        assertThatThrownBy(() -> HarReader.read(dir.resolve("none.har"))).hasMessageContaining("cannot read");
    }

    /** The column of the first entry in what {@link #read} parses: just after {"log":{"entries":[. */
    private static final int FIRST = "{\"log\":{\"entries\":[".length() + 1;
    private static final String ENTRY_0 = "x.har: entry 0 (line 1, column " + FIRST + "): ";

    private static List<CapturedFlow> read(String entries) {
        return HarReader.read(("{\"log\":{\"entries\":" + entries + "}}").getBytes(StandardCharsets.UTF_8), "x.har");
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
