package dev.consentry.cli;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.har.HarWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.consentry.cli.AnalyzeCommandTest.IMEI;
import static dev.consentry.cli.AnalyzeCommandTest.flow;
import static dev.consentry.cli.AnalyzeCommandTest.gzip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `analyze` in a JVM whose heap a single request outgrows: 200 KB of gzip that inflates to 56 MB of url and JSON
 * escapes throughout, which decodes to several copies of itself. The scan runs out of heap for real; the command
 * does not crash, says which flows were not searched in full, and reports the others' findings.
 */
class AnalyzeOutOfHeapIT {
    @TempDir
    Path dir;

    @Test
    void aRequestThatOutgrowsTheHeapIsSaidNotSearchedInFullAndTheRunGoesOn() throws Exception {
        byte[] nasty = gzip("a=%41%42\\u0043\\u0044&b=x%2By+z\\u0045&".repeat(1_400_000)
                .getBytes(StandardCharsets.US_ASCII));
        List<HttpHeader> gz = List.of(new HttpHeader("Content-Encoding", "gzip"));
        List<CapturedFlow> flows = new ArrayList<>();
        flows.add(flow("big0", "https", "up.example", "/a", gz, nasty));
        flows.add(flow("small", "https", "t.example", "/b", List.of(), ("imei=" + IMEI).getBytes()));
        flows.add(flow("big2", "https", "up.example", "/c", gz, nasty));
        Path har = dir.resolve("big.har");
        HarWriter.write(flows, har);
        Path json = dir.resolve("out.json");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-cp", classPath, Consentry.class.getName(), "analyze", "--canaries",
                AnalyzeCommandTest.canaries(dir).toString(), "--threads", "1", har.toString(), "--json", json.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("analyze did not end in 120 s: " + Files.readString(err));
        }
        String said = Files.readString(err);

        assertThat(p.exitValue()).as(said).isEqualTo(1);
        assertThat(said).doesNotContain("Exception in thread")
                .containsPattern("big.har: flow 0 \\(big0\\): request body: not searched in full: the scan ran out of"
                        + " Java heap \\(at most [0-9]+ MB\\) while decoding it; what decoded before was searched")
                .contains("big.har: flow 2 (big2): request body: not searched in full");
        assertThat(Files.readString(out)).startsWith("3 flows, ");
        assertThat(Files.readString(json)).contains("\"flowId\" : \"small\"").contains("\"canary\" : \"imei\"");
    }

    @Test
    void aFileWhoseEntryOutgrowsTheHeapWhileReadIsSaidAndTheNextFileIsRead() throws Exception {
        // One entry of 80 MB (107 MB of base64) in a 96 MB heap: reading it runs out, not scanning.
        Path big = dir.resolve("huge.har");
        try (var w = Files.newBufferedWriter(big, StandardCharsets.US_ASCII)) {
            w.write("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"t\",\"version\":\"1\"},\"entries\":[{"
                    + "\"startedDateTime\":\"2026-11-25T00:00:00Z\",\"request\":{\"method\":\"POST\","
                    + "\"url\":\"https://up.example/x\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[],"
                    + "\"postData\":{\"mimeType\":\"application/octet-stream\",\"encoding\":\"base64\",\"text\":\"");
            String chunk = "QUJD".repeat(4096); // "ABC" x 4096
            for (int i = 0; i < 80 * 1024 * 1024 / (3 * 4096); i++) {
                w.write(chunk);
            }
            w.write("\"}},\"response\":{\"status\":204,\"statusText\":\"\",\"headers\":[]}}]}}");
        }
        Path small = dir.resolve("small.har");
        HarWriter.write(List.of(flow("small", "https", "t.example", "/b", List.of(), ("imei=" + IMEI).getBytes())),
                small);
        Path json = dir.resolve("out2.json");
        Path err = dir.resolve("err2.txt");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-cp", classPath, Consentry.class.getName(), "analyze", "--canaries",
                AnalyzeCommandTest.canaries(dir).toString(), big.toString(), small.toString(), "--json",
                json.toString()).redirectOutput(dir.resolve("out2.txt").toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("analyze did not end in 120 s: " + Files.readString(err));
        }
        String said = Files.readString(err);

        assertThat(p.exitValue()).as(said).isEqualTo(1);
        assertThat(said).doesNotContain("Exception in thread").containsPattern("huge.har: reading ran out of Java"
                + " heap \\(at most [0-9]+ MB\\) after 0 flows: the rest of the file was not read");
        assertThat(Files.readString(json)).contains("\"flowId\" : \"small\"").contains("\"canary\" : \"imei\"");
    }
}
