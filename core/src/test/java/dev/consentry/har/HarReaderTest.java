package dev.consentry.har;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The entry parser behind both readers, field by field: bodies, the order of fields, and errors per entry. */
class HarReaderTest {
    static final String START = "\"startedDateTime\":\"2024-03-01T10:00:00Z\"";
    static final String REQ = "\"method\":\"POST\",\"url\":\"http://h.example/u\"";
    /** How an error names the one entry {@link #one} parses: it starts just after {"log":{"entries":[. */
    private static final String ENTRY_0 = "x.har: entry 0 (line 1, column 20): ";

    @TempDir
    Path dir;

    private static CapturedFlow one(String entry) {
        return HarReader.read(("{\"log\":{\"entries\":[" + entry + "]}}").getBytes(StandardCharsets.UTF_8), "x.har")
                .get(0);
    }

    /** The error without the bad field's line and column, which the tests about them check. */
    private static String error(String entry) {
        return withoutFieldLocation(located(entry));
    }

    private static String located(String entry) {
        try {
            one(entry);
        } catch (HarException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + entry);
    }

    private static String withoutFieldLocation(String problem) {
        return problem.replaceFirst("^(.*?\\): [^ :]+) \\(line \\d+, column \\d+\\)", "$1")
                .replaceFirst(" \\(in the object at line \\d+, column \\d+\\)$", "");
    }

    private static byte[] requestBody(String postData) {
        return one("{" + START + ",\"request\":{" + REQ + ",\"postData\":" + postData + "}}").request().body();
    }

    private static byte[] responseBody(String content) {
        return one("{" + START + ",\"request\":{" + REQ + "},\"response\":{\"status\":200,\"content\":" + content
                + "}}").response().orElseThrow().body();
    }

    @Test
    void base64BodyDecodesWhetherEncodingComesBeforeOrAfterText() {
        byte[] data = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 'a'};
        String b64 = Base64.getEncoder().encodeToString(data);
        assertThat(requestBody("{\"text\":\"" + b64 + "\",\"encoding\":\"base64\"}")).isEqualTo(data);
        assertThat(requestBody("{\"encoding\":\"base64\",\"mimeType\":\"x\",\"text\":\"" + b64 + "\"}"))
                .isEqualTo(data);
        assertThat(responseBody("{\"text\":\"" + b64 + "\",\"size\":6,\"encoding\":\"Base64\"}")).isEqualTo(data);
        assertThat(responseBody("{\"encoding\":\"base64\",\"text\":\"" + b64 + "\"}")).isEqualTo(data);
    }

    @Test
    void base64InEveryShapeToolsWriteIt() {
        byte[] data = new byte[100];
        new Random(3).nextBytes(data);
        String std = Base64.getEncoder().encodeToString(data);
        for (String text : List.of(std, std.replace("=", ""), Base64.getUrlEncoder().encodeToString(data),
                Base64.getUrlEncoder().withoutPadding().encodeToString(data),
                Base64.getMimeEncoder().encodeToString(data).replace("\r\n", "\\r\\n"),
                std.substring(0, 10) + "\\n\\t " + std.substring(10), std.substring(0, 8) + "\\u001c" + std.substring(8),
                String.format("\\u%04x", (int) std.charAt(0)) + std.substring(1))) {
            assertThat(requestBody("{\"text\":\"" + text + "\",\"encoding\":\"base64\"}")).as(text).isEqualTo(data);
        }
        assertThat(requestBody("{\"text\":\"\",\"encoding\":\"base64\"}")).isEmpty();
    }

    @Test
    void invalidBase64IsTheEntrysErrorWithTheDecodersReason() {
        String entry = "{" + START + ",\"request\":{" + REQ + ",\"postData\":{\"text\":\"%s\",\"encoding\":\"base64\"}}}";
        assertThat(error(entry.formatted("AAEC/w==x"))).isEqualTo(
                ENTRY_0 + "request.postData.text: invalid base64: Input byte array has incorrect ending byte at 8");
        assertThat(error(entry.formatted("ab+_"))).isEqualTo(
                ENTRY_0 + "request.postData.text: invalid base64: Illegal base64 character 5f");
        assertThat(error(entry.formatted("A"))).startsWith(ENTRY_0 + "request.postData.text: invalid base64: ");
        assertThat(error(entry.formatted("QUJD\u00e9"))).startsWith(
                ENTRY_0 + "request.postData.text: invalid base64: Illegal base64 character");
        assertThat(error("{" + START + ",\"request\":{" + REQ + "},\"response\":{\"content\":{\"encoding\":\"base64\","
                + "\"text\":\"***\"},\"status\":200}}")).startsWith(
                ENTRY_0 + "response.content.text: invalid base64: Illegal base64 character 2a");
        assertThat(error("{" + START + ",\"request\":{" + REQ + ",\"postData\":{\"text\":\"x\",\"encoding\":\"gzip\"}}}"))
                .isEqualTo(ENTRY_0 + "request.postData.encoding: expected \"base64\" or nothing, got \"gzip\"");
    }

    @Test
    void textBodiesAreTheirUtf8WhateverTheCharacters() {
        String multipart = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n865123045678901 é 日本 😀\r\n--XX--\r\n";
        String json = multipart.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
        assertThat(requestBody("{\"mimeType\":\"multipart/form-data\",\"text\":\"" + json + "\"}"))
                .isEqualTo(multipart.getBytes(StandardCharsets.UTF_8));
        assertThat(requestBody("{\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\"}"))
                .isEqualTo("café 😀 \"q\"".getBytes(StandardCharsets.UTF_8));
        // A lone surrogate becomes '?', as String.getBytes always made it.
        assertThat(requestBody("{\"text\":\"a\\ud800b\"}")).isEqualTo("a?b".getBytes(StandardCharsets.UTF_8));
        assertThat(requestBody("{\"text\":\"plain\",\"encoding\":\"\"}")).isEqualTo("plain".getBytes());
        assertThat(requestBody("{\"text\":\"first\",\"text\":\"second\"}")).isEqualTo("second".getBytes());
        assertThat(requestBody("{\"text\":null,\"params\":[{\"name\":\"a\",\"value\":\"1\"}]}")).isEqualTo("a=1".getBytes());
        assertThat(responseBody("{\"size\":0}")).isEmpty();
    }

    @Test
    void paramsOnlyPostDataIsRebuiltAsAFormAndIgnoredBesideText() {
        assertThat(requestBody("{\"params\":[{\"value\":\"1\",\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\","
                + "\"value\":\"x y\",\"fileName\":\"f\"}]}")).isEqualTo("a=1&b=&c=x y".getBytes());
        assertThat(requestBody("{\"text\":\"t=1\",\"params\":[42]}")).isEqualTo("t=1".getBytes());
        assertThat(requestBody("{\"params\":\"not a list\"}")).isEmpty();
        assertThat(error("{" + START + ",\"request\":{" + REQ + ",\"postData\":{\"params\":[{\"name\":\"a\"},7]}}}"))
                .isEqualTo(ENTRY_0 + "request.postData.params[1]: expected an object, got number");
        assertThat(error("{" + START + ",\"request\":{" + REQ + ",\"postData\":{\"params\":[{\"value\":\"v\"}]}}}"))
                .isEqualTo(ENTRY_0 + "request.postData.params[0].name: missing");
    }

    @Test
    void headersCookiesAndMissingFields() {
        CapturedFlow f = one("{\"request\":{\"cookies\":[{\"name\":\"sid\",\"value\":\"1\"},{\"name\":\"b\"}],"
                + "\"headers\":[{\"name\":\":method\",\"value\":\"POST\"},{\"value\":\"v\",\"name\":\"X-A\"},{\"name\":\"X-B\"}],"
                + REQ + ",\"httpVersion\":\"\"}," + START + ",\"response\":{\"status\":null},\"_error\":\"reset\"}");
        assertThat(f.request().headers()).containsExactly(new HttpHeader("X-A", "v"), new HttpHeader("X-B", ""),
                new HttpHeader("Cookie", "sid=1; b="));
        assertThat(f.request().httpVersion()).isEqualTo("HTTP/1.1");
        assertThat(f.response()).isEmpty();
        assertThat(f.error()).contains("reset");
        assertThat(f.id()).isEqualTo("har-entry-0");
        assertThat(f.client()).isEmpty();
        CapturedFlow g = one("{" + START + ",\"request\":{" + REQ + ",\"headers\":null,\"cookies\":{},"
                + "\"headers\":[{\"name\":\"Cookie\",\"value\":\"a=b\"}],\"cookies\":[{\"name\":\"c\"}]},"
                + "\"response\":{\"status\":204,\"statusText\":null,\"headers\":null,\"content\":null}}");
        assertThat(g.request().headers()).containsExactly(new HttpHeader("Cookie", "a=b"));
        assertThat(g.response().orElseThrow().status()).isEqualTo(204);
        assertThat(g.response().orElseThrow().reason()).isEmpty();
        // A response without a status is not checked further: its odd headers are no error.
        assertThat(one("{" + START + ",\"request\":{" + REQ + "},\"response\":{\"headers\":5,\"status\":0}}").error())
                .contains("no response recorded");
    }

    @Test
    void theFirstProblemReportedDoesNotDependOnTheOrderOfFields() {
        String badUrl = "\"request\":{\"method\":\"GET\",\"url\":7}";
        String badDate = "\"startedDateTime\":\"yesterday\"";
        String expected = ENTRY_0 + "startedDateTime: expected an ISO 8601 date-time with offset, got \"yesterday\"";
        assertThat(error("{" + badDate + "," + badUrl + "}")).isEqualTo(expected);
        assertThat(error("{" + badUrl + "," + badDate + "}")).isEqualTo(expected);
        assertThat(error("{" + START + "," + badUrl + "}"))
                .isEqualTo(ENTRY_0 + "request.url: expected a string, got number");
        assertThat(error("{\"_flowId\":1," + START + ",\"request\":{" + REQ + "},\"response\":{\"status\":200,"
                + "\"headers\":{}}}")).isEqualTo(ENTRY_0 + "response.headers: expected an array");
        assertThat(error("{\"response\":{\"status\":200},\"_flowId\":[1]," + START + ",\"request\":{" + REQ + "}}"))
                .isEqualTo(ENTRY_0 + "_flowId: expected a string, got array");
        assertThat(error("{" + START + ",\"request\":\"GET /\"}"))
                .isEqualTo(ENTRY_0 + "request: expected an object, got string");
        assertThat(error("{" + START + "}")).isEqualTo(ENTRY_0 + "request: missing");
        assertThat(error("{" + START + ",\"request\":{" + REQ + ",\"headers\":[null]}}"))
                .isEqualTo(ENTRY_0 + "request.headers[0]: missing");
        assertThat(error("{" + START + ",\"request\":{" + REQ + ",\"postData\":{\"text\":true}}}"))
                .isEqualTo(ENTRY_0 + "request.postData.text: expected a string, got boolean");
        assertThat(error("{" + START + ",\"request\":{" + REQ + ",\"postData\":[]}}"))
                .isEqualTo(ENTRY_0 + "request.postData: expected an object, got array");
        assertThat(error("{" + START + ",\"request\":{" + REQ + ",\"postData\":{\"encoding\":1,\"text\":\"x\"}}}"))
                .isEqualTo(ENTRY_0 + "request.postData.encoding: expected a string, got number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"200\"", "200.5", "99999999999", "[200]", "{\"code\":200}", "true"})
    void aStatusThatIsNotAnIntegerIsShownAsJson(String status) {
        assertThat(error("{" + START + ",\"request\":{" + REQ + "},\"response\":{\"status\":" + status + "}}"))
                .isEqualTo(ENTRY_0 + "response.status: expected an integer, got " + status);
    }

    @Test
    void theWholeFileReaderReportsBrokenJsonBeforeABadEntry() {
        byte[] har = ("{\"log\":{\"entries\":[{\"request\":{}}]},\"more\":[1,}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HarReader.read(har, "y.har")).isInstanceOf(HarException.class)
                .hasMessageStartingWith("y.har:1:").hasMessageContaining("not JSON");
        byte[] noEntries = "{\"log\":{\"pages\":[]},\"x\":{".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HarReader.read(noEntries, "z.har")).hasMessageContaining("z.har:1:")
                .hasMessageContaining("not JSON");
        byte[] trailing = ("{\"log\":{\"entries\":[]}} trailing").getBytes(StandardCharsets.UTF_8);
        assertThat(HarReader.read(trailing, "t.har")).isEmpty();
    }

    @Test
    void streamReportsEachBadEntryAndGoesOnWithTheNextIndex() throws IOException {
        String good = "{" + START + ",\"request\":{" + REQ + "},\"_flowId\":\"%s\"}";
        Path file = Files.writeString(dir.resolve("s.har"), "{\"log\":{\"creator\":{},\"entries\":[\n"
                + good.formatted("a") + ",\n42,\n{\"request\":{" + REQ + "}},\n" + "{" + START
                + ",\"request\":{" + REQ + ",\"postData\":{\"text\":\"@@@\",\"encoding\":\"base64\"}}},\n"
                + good.formatted("e") + ",\n" + good.formatted("f") + ",\n{\"request\": oops}]}}");
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> HarReader.stream(file, ids(seen, "bad: "))).isInstanceOf(HarException.class).hasMessageStartingWith(file + ":8:").hasMessageContaining("not JSON");
        // One entry a line, from line 2: each bad one is named by the line it starts on.
        assertThat(seen).containsExactly("0 a", "1 bad: entry 1 (line 3, column 1): entry: expected an object",
                "2 bad: entry 2 (line 4, column 1): startedDateTime: missing",
                "3 bad: entry 3 (line 5, column 1): request.postData.text (line 5, column 116): invalid base64: Illegal"
                        + " base64 character 40",
                "4 e", "5 f");
    }

    @Test
    void aBadFieldIsNamedByItsOwnLineAndColumn() throws IOException {
        // As browsers and HTTP Toolkit write a HAR: indented, a field a line. The entry starts on line 4.
        String har = """
                {
                  "log": {
                    "entries": [
                      {
                        "startedDateTime": "2024-03-01T10:00:00Z",
                        "request": {
                          "url": "http://h.example/u",
                          "headers": [
                            {"name": "A", "value": "b"},
                            {"name": "X-Id", "value": 42}
                          ]
                        }
                      },
                      {
                        "startedDateTime": "2024-03-01T10:00:01Z",
                        "request": {"method": "GET", "url": 7}
                      }
                    ]
                  }
                }
                """;
        Path file = Files.writeString(dir.resolve("pretty.har"), har);
        List<String> seen = new ArrayList<>();
        HarReader.stream(file, ids(seen, ""));
        // request.method is not there: the object it is missing from is named. The value 42 is column 39 of line 10.
        assertThat(seen).containsExactly(
                "0 entry 0 (line 4, column 7): request.method: missing (in the object at line 6, column 20)",
                "1 entry 1 (line 14, column 7): request.url (line 16, column 45): expected a string, got number");
        assertThat(har.lines().toList().get(15).indexOf("7}") + 1).isEqualTo(45);
        // Reading the whole file stops at the first bad entry, named the same way.
        assertThatThrownBy(() -> HarReader.read(har.getBytes(StandardCharsets.UTF_8), "pretty.har"))
                .hasMessage("pretty.har: entry 0 (line 4, column 7): request.method: missing (in the object at line 6,"
                        + " column 20)");
        String typed = har.replace("\"url\": \"http://h.example/u\",", "\"url\": \"http://h.example/u\","
                + " \"method\": \"GET\",");
        assertThat(located(typed.substring(typed.indexOf("{\n        \"startedDateTime"), typed.indexOf("},\n      {"))
                + "}").replace("x.har: ", "")).isEqualTo("entry 0 (line 1, column 20): request.headers[1].value"
                + " (line 7, column 39): expected a string, got number");
        // On one line, an entry that starts mid-line counts its columns from the line's start.
        assertThat(located("{" + START + ",\"request\":{" + REQ + "},\"response\":{\"status\":true}}"))
                .isEqualTo(ENTRY_0 + "response.status (line 1, column 138): expected an integer, got true");
    }

    @Test
    void streamRequestsSkipsResponseBodiesUnreadAndKeepsTheRest() throws IOException {
        Path file = Files.writeString(dir.resolve("r.har"), "{\"log\":{\"entries\":[{" + START + ",\"request\":{" + REQ
                + ",\"postData\":{\"text\":\"AAEC\",\"encoding\":\"base64\"}},\"response\":{\"status\":200,"
                + "\"statusText\":\"OK\",\"headers\":[{\"name\":\"X\",\"value\":\"y\"}],\"content\":{\"text\":\"@@ not"
                + " base64\",\"encoding\":\"base64\"}}},{" + START + ",\"request\":{" + REQ + "},\"response\":{\"status\":204,"
                + "\"content\":7}},{" + START + ",\"request\":{" + REQ + "},\"response\":{\"status\":\"x\",\"content\":{}}}]}}");
        List<String> all = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        HarReader.stream(file, collect(all));
        HarReader.streamRequests(file, collect(requests));
        assertThat(all).containsExactly("0 bad: entry 0: response.content.text: invalid base64: Illegal base64 character 40",
                "1 bad: entry 1: response.content: expected an object, got number",
                "2 bad: entry 2: response.status: expected an integer, got \"x\"");
        assertThat(requests).containsExactly("0 [0, 1, 2] 200 OK [X: y] []", "1 [] 204  [] []",
                "2 bad: entry 2: response.status: expected an integer, got \"x\"");
    }

    @Test
    void whatTheClientSentOnAWebSocketComesWithItsEntry() throws IOException {
        // Chrome's DevTools and HTTP Toolkit record a WebSocket's frames in _webSocketMessages.
        String ws = ",\"_webSocketMessages\":[{\"type\":\"send\",\"time\":1.5,\"opcode\":1,\"data\":\"{\\\"op\\\":1}\"},"
                + "{\"type\":\"receive\",\"opcode\":1,\"data\":\"from the server\"},"
                + "{\"type\":\"send\",\"opcode\":2,\"data\":\"AAEC\"},{\"type\":\"send\",\"opcode\":9,\"data\":\"\"},"
                + "{\"type\":\"send\",\"data\":\"no opcode: text\"}]";
        Path file = Files.writeString(dir.resolve("ws.har"), "{\"log\":{\"entries\":[{" + START + ",\"request\":{"
                + REQ + "}" + ws + "},{" + START + ",\"request\":{" + REQ + "}},{" + START + ",\"request\":{" + REQ
                + "},\"_webSocketMessages\":[{\"type\":\"sent\",\"data\":\"x\"}]},{" + START + ",\"request\":{" + REQ
                + "},\"_webSocketMessages\":[{\"type\":\"send\",\"opcode\":2,\"data\":\"@@\"}]},{" + START
                + ",\"request\":{" + REQ + "},\"_webSocketMessages\":{}}]}}");
        List<String> seen = new ArrayList<>();
        HarReader.streamRequests(file, new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                throw new AssertionError("the reader hands the messages over");
            }

            @Override
            public void flow(int index, CapturedFlow flow, List<byte[]> sent) {
                seen.add(index + " " + sent.stream().map(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replace("\u0000", "<0>").replace("\u0001", "<1>").replace("\u0002", "<2>")).toList());
            }

            @Override
            public void badEntry(int index, String problem) {
                seen.add(index + " bad: " + withoutLocation(problem));
            }
        });
        assertThat(seen).containsExactly("0 [{\"op\":1}, <0><1><2>, no opcode: text]", "1 []",
                "2 bad: entry 2: _webSocketMessages[0].type: expected \"send\" or \"receive\", got \"sent\"",
                "3 bad: entry 3: _webSocketMessages[0].data: invalid base64 for a binary message: Illegal base64"
                        + " character 40",
                "4 bad: entry 4: _webSocketMessages: expected an array, got object");
        // A sink that takes flows only still gets every entry.
        List<String> plain = new ArrayList<>();
        HarReader.streamRequests(file, collectIds(plain));
        assertThat(plain).hasSize(5).startsWith("0", "1");
    }

    private static HarReader.EntrySink collectIds(List<String> seen) {
        return new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                seen.add(String.valueOf(index));
            }

            @Override
            public void badEntry(int index, String problem) {
                seen.add(index + " bad");
            }
        };
    }

    /** Lists each flow as "index id" and each bad entry as "index" + {@code bad} + its problem. */
    private static HarReader.EntrySink ids(List<String> seen, String bad) {
        return new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                seen.add(index + " " + flow.id());
            }

            @Override
            public void badEntry(int index, String problem) {
                seen.add(index + " " + bad + problem);
            }
        };
    }

    private static HarReader.EntrySink collect(List<String> seen) {
        return new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                var r = flow.response().orElseThrow();
                seen.add(index + " " + java.util.Arrays.toString(flow.request().body()) + " " + r.status() + " "
                        + r.reason() + " " + r.headers().stream().map(h -> h.name() + ": " + h.value()).toList() + " "
                        + java.util.Arrays.toString(r.body()));
            }

            @Override
            public void badEntry(int index, String problem) {
                seen.add(index + " bad: " + withoutLocation(problem));
            }
        };
    }

    /** Where an entry starts is checked by the tests about it; the others compare the field and the problem. */
    private static String withoutLocation(String problem) {
        return withoutFieldLocation(problem).replaceFirst(" \\(line \\d+, column \\d+\\)", "");
    }

    @Test
    void largeBodiesStreamThrough() throws IOException {
        byte[] big = new byte[12 << 20];
        new Random(5).nextBytes(big);
        byte[] text = "0123456789abcdef".repeat(1 << 18).getBytes(StandardCharsets.US_ASCII); // 4 MB
        Path file = dir.resolve("big.har");
        // encoding after text, as browsers and mitmproxy write it; then a small body after the huge one.
        Files.writeString(file, "{\"log\":{\"entries\":[{" + START + ",\"request\":{" + REQ + ",\"postData\":{\"text\":\""
                + Base64.getEncoder().encodeToString(big) + "\",\"encoding\":\"base64\"}}},{" + START + ",\"request\":{"
                + REQ + ",\"postData\":{\"text\":\"" + new String(text, StandardCharsets.US_ASCII) + "\"}}},{" + START
                + ",\"request\":{" + REQ + ",\"postData\":{\"text\":\"AAEC\",\"encoding\":\"base64\"}}}]}}");
        List<byte[]> bodies = new ArrayList<>();
        HarReader.stream(file, new HarReader.EntrySink() {
            @Override
            public void flow(int index, CapturedFlow flow) {
                bodies.add(flow.request().body());
            }

            @Override
            public void badEntry(int index, String problem) {
                throw new AssertionError(problem);
            }
        });
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(0)).isEqualTo(big);
        assertThat(bodies.get(1)).isEqualTo(text);
        assertThat(bodies.get(2)).containsExactly(0, 1, 2);
        assertThat(HarReader.read(file).get(0).request().body()).isEqualTo(big);
    }
}
