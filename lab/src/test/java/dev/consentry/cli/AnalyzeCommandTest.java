package dev.consentry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;
import dev.consentry.har.HarWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** `consentry analyze` on HAR files as a user runs it: exit status, table, JSON, and bad input per flow. */
class AnalyzeCommandTest {
    static final String IMEI = "865123045678901";
    static final String PHONE = "+919876500001";

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "analyze";
        System.arraycopy(args, 0, argv, 1, args.length);
        return Consentry.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path canaries() throws IOException {
        return canaries(dir);
    }

    /** The IMEI and phone number canaries, as a canary file in {@code dir}. */
    static Path canaries(Path dir) throws IOException {
        return Files.writeString(dir.resolve("canaries.yaml"), """
                canaries:
                  - kind: imei
                    value: "865123045678901"
                  - kind: phone_number
                    value: "+919876500001"
                """);
    }

    static CapturedFlow flow(String id, String scheme, String host, String path, List<HttpHeader> headers,
                             byte[] body) {
        return new CapturedFlow(id, Instant.parse("2014-08-10T10:00:00Z"), "10.0.0.2:4000",
                new HttpRequestData("POST", scheme, host, scheme.equals("https") ? 443 : 80, path, "HTTP/1.1",
                        headers, body), Optional.empty(), Optional.of("no response"));
    }

    @Test
    void findsEachLeakWithCaptureFlowIndexLocationAndChain() throws IOException {
        Path har = dir.resolve("redmi.har");
        HarWriter.write(List.of(
                flow("a", "https", "api.account.xiaomi.com", "/time", List.of(), new byte[0]),
                flow("b", "https", "api.account.xiaomi.com", "/reg?imei=" + IMEI, List.of(), new byte[0]),
                flow("c", "http", "data.mistat.intl.xiaomi.com", "/up",
                        List.of(new HttpHeader("Content-Encoding", "gzip")),
                        gzip(("{\"d\":\"" + Base64.getEncoder().encodeToString(("n=" + PHONE).getBytes()) + "\"}")
                                .getBytes()))), har);
        Path json = dir.resolve("out/findings.json");

        assertThat(run("--canaries", canaries().toString(), har.toString(), "--json", json.toString())).isEqualTo(1);

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("flows").asInt()).isEqualTo(3);
        assertThat(root.get("bytesScanned").asLong()).isGreaterThan(20);
        assertThat(root.get("findings")).hasSize(2);
        JsonNode first = root.get("findings").get(0);
        assertThat(first.toString()).isEqualTo("{\"capture\":\"redmi.har\",\"flowIndex\":1,\"flowId\":\"b\","
                + "\"canary\":\"imei\",\"value\":\"865123045678901\",\"host\":\"api.account.xiaomi.com\","
                + "\"scheme\":\"https\",\"location\":\"url\",\"transforms\":[],\"form\":\"865123045678901\","
                + "\"offset\":10}");
        JsonNode second = root.get("findings").get(1);
        assertThat(second.get("flowIndex").asInt()).isEqualTo(2);
        assertThat(second.get("canary").asText()).isEqualTo("phone_number");
        assertThat(second.get("location").asText()).isEqualTo("body");
        assertThat(second.get("transforms").toString()).isEqualTo("[\"gzip\",\"base64\"]");
        // In the base64-decoded "n=+919876500001", the number starts at byte 2.
        assertThat(second.get("form").asText()).isEqualTo(PHONE);
        assertThat(second.get("offset").asInt()).isEqualTo(2);

        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("3 flows").contains("2 findings")
                .containsPattern("redmi\\.har\\s+2\\s+http://data\\.mistat\\.intl\\.xiaomi\\.com\\s+body\\s+"
                        + "phone_number\\s+\\+919876500001\\s+\\(as given\\)\\s+gzip > base64");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theTableShowsTheFormThatMatchedWhenItIsNotTheValue() throws IOException {
        Path har = dir.resolve("luhn.har");
        String withoutCheckDigit = IMEI.substring(0, 14);
        HarWriter.write(List.of(flow("a", "https", "api.account.xiaomi.com", "/reg?imei=" + withoutCheckDigit,
                List.of(), new byte[0])), har);
        assertThat(run("--canaries", canaries().toString(), har.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("\\s+FORM\\s+TRANSFORMS\\n")
                .containsPattern("imei\\s+" + IMEI + "\\s+" + withoutCheckDigit + "\\s+\\(plain\\)");
    }

    @Test
    void cleanCaptureExitsZero() throws IOException {
        Path har = dir.resolve("clean.har");
        HarWriter.write(List.of(flow("a", "https", "h", "/x?n=86512304567891", List.of(), new byte[0])), har);
        assertThat(run("--canaries", canaries().toString(), har.toString())).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 flows").contains("0 findings");
    }

    @Test
    void corruptInputIsReportedPerFlowAndTheScanGoesOn() throws IOException {
        Path notJson = Files.writeString(dir.resolve("broken.har"), "{\"log\": {\"entries\": [ nope");
        Path badEntry = dir.resolve("bad-entry.har");
        byte[] truncatedGzip = gzip(("imei=" + IMEI + "&pad=" + "x".repeat(50_000)).getBytes());
        truncatedGzip = Arrays.copyOf(truncatedGzip, truncatedGzip.length / 2);
        byte[] big = new byte[3 << 20];
        Arrays.fill(big, (byte) 'a');
        byte[] tail = ("&imei=" + IMEI).getBytes();
        System.arraycopy(tail, 0, big, big.length - tail.length, tail.length);
        HarWriter.write(List.of(
                flow("t", "http", "h", "/gz", List.of(new HttpHeader("Content-Encoding", "gzip")), truncatedGzip),
                flow("big", "http", "h", "/big", List.of(), big),
                flow("ok", "http", "h", "/ok?p=" + PHONE, List.of(), new byte[0])), badEntry);
        // Damage the second of three entries by hand: its text body now claims to be base64.
        String text = Files.readString(badEntry);
        int bodyAt = text.indexOf("\"text\"", text.indexOf("/big"));
        text = text.substring(0, bodyAt) + "\"encoding\": \"base64\", " + text.substring(bodyAt);
        Files.writeString(badEntry, text);
        Path bigOnly = dir.resolve("big.har");
        HarWriter.write(List.of(flow("big", "http", "h", "/big", List.of(), big)), bigOnly);
        Path json = dir.resolve("o.json");

        int code = run("--canaries", canaries().toString(), notJson.toString(), badEntry.toString(),
                dir.resolve("missing.har").toString(), dir.toString(), bigOnly.toString(), "--max-body-mb", "1",
                "--json", json.toString());

        assertThat(code).isEqualTo(1);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("broken.har:1:").contains("not JSON");
        // HarWriter puts one field a line: the damaged entry is named by the line its "{" is on ("}, {").
        int entryStart = text.lastIndexOf('{', text.lastIndexOf("startedDateTime", text.indexOf("/big")));
        int entryLine = text.substring(0, entryStart).split("\n", -1).length;
        assertThat(entryLine).isGreaterThan(20);
        assertThat(e).contains("bad-entry.har: entry 1 (line " + entryLine + ", column ");
        // ... and the bad field by the line and column its value starts at.
        int valueAt = text.indexOf('"', text.indexOf(':', text.indexOf("\"text\"", text.indexOf("/big"))));
        int valueLine = text.substring(0, valueAt).split("\n", -1).length;
        int valueColumn = valueAt - text.lastIndexOf('\n', valueAt);
        assertThat(valueLine).isGreaterThan(entryLine);
        assertThat(e).contains("): request.postData.text (line " + valueLine + ", column " + valueColumn
                + "): invalid base64");
        assertThat(e).contains("missing.har: no such file");
        assertThat(e).contains(dir + ": a directory, not a capture (give its .har or mitmdump -w files)");
        assertThat(e).contains("big.har: flow 0 (big): request body is 3.0 MB, over the 1.0 MB limit");
        assertThat(e).contains("bad-entry.har: flow 0 (t): request body: gzip stream is cut short (the body's "
                + truncatedGzip.length + " bytes end mid-stream): the ").contains(" bytes decoded before the cut were"
                + " searched, the rest could not be decoded");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        // Scanned: the truncated gzip (what inflated before the damage), the "ok" flow, and the first MB of "big".
        assertThat(root.get("flows").asInt()).isEqualTo(3);
        assertThat(root.get("findings")).extracting(f -> f.get("flowId").asText() + " " + f.get("transforms"))
                .containsExactly("t [\"gzip\"]", "ok []");
    }

    @Test
    void responseBodiesAreNotReadSoABrokenOneDoesNotStopTheRequestsScan() throws IOException {
        Path har = dir.resolve("resp.har");
        HarWriter.write(List.of(new CapturedFlow("r", Instant.parse("2014-08-10T10:00:00Z"), "",
                new HttpRequestData("GET", "https", "h", 443, "/q?imei=" + IMEI, "HTTP/1.1", List.of(), new byte[0]),
                Optional.of(new HttpResponseData(200, "OK", List.of(), new byte[]{1, 2, 3})), Optional.empty())), har);
        String text = Files.readString(har);
        Files.writeString(har, text.replace("\"AQID\"", "\"%%% not base64\""));
        assertThat(Files.readString(har)).contains("%%% not base64");

        assertThat(run("--canaries", canaries().toString(), har.toString())).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 flows").contains("1 findings");
    }

    @Test
    void aBrowsersHarWithWebSocketMessagesHasWhatTheClientSentSearched() throws IOException {
        // Chrome's DevTools and HTTP Toolkit export a WebSocket's frames as the entry's _webSocketMessages.
        String sent = java.util.Base64.getEncoder().encodeToString(("imei=" + IMEI).getBytes(StandardCharsets.UTF_8));
        Path har = Files.writeString(dir.resolve("chrome.har"), "{\"log\":{\"version\":\"1.2\",\"creator\":"
                + "{\"name\":\"WebInspector\",\"version\":\"537.36\"},\"entries\":[{\"startedDateTime\":"
                + "\"2026-11-25T10:00:00.000Z\",\"request\":{\"method\":\"GET\",\"url\":\"wss://push.example/ws\","
                + "\"httpVersion\":\"HTTP/1.1\",\"headers\":[{\"name\":\"Upgrade\",\"value\":\"websocket\"}]},"
                + "\"response\":{\"status\":101,\"statusText\":\"Switching Protocols\",\"headers\":[]},"
                + "\"_resourceType\":\"websocket\",\"_webSocketMessages\":[{\"type\":\"receive\",\"time\":1.0,"
                + "\"opcode\":1,\"data\":\"{\\\"to\\\":\\\"" + PHONE + "\\\"}\"},{\"type\":\"send\",\"time\":1.2,"
                + "\"opcode\":1,\"data\":\"{\\\"d\\\":\\\"" + sent + "\\\"}\"}]}]}}");
        Path json = dir.resolve("ws.json");

        assertThat(run("--canaries", canaries().toString(), har.toString(), "--json", json.toString())).isEqualTo(1);

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("findings")).extracting(f -> f.get("canary").asText() + " " + f.get("location").asText()
                + " " + f.get("transforms")).containsExactly("imei websocket [\"base64\"]");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void canaryFileErrorsNameFileLineAndFieldAndExitTwo() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "canaries:\n  - kind: imei\n    value: \"12\"\n");
        assertThat(run("--canaries", bad.toString(), "x.har")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad + ":3:12: canaries[0].value: imei canary");
        assertThat(run("x.har")).isEqualTo(2);
    }

    @Test
    void aBodyOfTwoCodingsIsUndoneLayerByLayerAndADeclarationItDoesNotKeepIsReported() throws IOException {
        byte[] json = ("{\"imei\":\"" + IMEI + "\",\"pad\":\"" + "x".repeat(2000) + "\"}").getBytes();
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(zlib)) {
            d.write(json);
        }
        Path har = dir.resolve("stacked.har");
        HarWriter.write(List.of(
                flow("two", "https", "tracking.intl.miui.com", "/up",
                        List.of(new HttpHeader("Content-Encoding", "deflate, GZIP")), gzip(zlib.toByteArray())),
                // compressed once, declared twice: found, and what could not be undone is said
                flow("once", "https", "tracking.intl.miui.com", "/up",
                        List.of(new HttpHeader("Content-Encoding", "deflate"), new HttpHeader("Content-Encoding",
                                "gzip")), gzip(json))), har);
        Path out = dir.resolve("stacked.json");

        assertThat(run("--canaries", canaries().toString(), har.toString(), "--json", out.toString())).isEqualTo(1);

        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.get("findings")).extracting(f -> f.get("flowId").asText() + " " + f.get("transforms"))
                .containsExactly("two [\"gzip\",\"deflate\"]", "once [\"gzip\"]");
        assertThat(this.out.toString(StandardCharsets.UTF_8)).containsPattern("stacked\\.har\\s+0\\s+"
                + "https://tracking\\.intl\\.miui\\.com\\s+body\\s+imei\\s+865123045678901\\s+\\(as given\\)\\s+gzip > deflate");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stacked.har: flow 1 (once): request body: after"
                + " undoing gzip: deflate stream is ").doesNotContain("flow 0");
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }
}
