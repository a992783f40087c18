package dev.consentry.cli;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench's flow file as Debian's mitmdump 8.1 reads it: every flow is read, and mitmproxy's own `~b` filter with a
 * regex-quoted alternation (as the bench builds it) keeps exactly the flow whose body, gzip'd, holds a value.
 */
class MitmFlowWriterIT {
    @TempDir
    Path dir;

    @Test
    void mitmdumpReadsTheFileAndItsBodyFilterMatchesTheRightFlow() throws Exception {
        Path file = dir.resolve("bench.mitm");
        try (MitmFlowWriter w = new MitmFlowWriter(file)) {
            w.write(flow("f0", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), List.of()));
            w.write(flow("f1", gzip("{\"msisdn\":\"+919876500001\"}"),
                    List.of(new HttpHeader("Content-Encoding", "gzip"))));
            w.write(flow("f2", "+91987650000".getBytes(StandardCharsets.UTF_8), List.of()));
        }
        String filter = "~b \"(" + (BenchCommand.regexQuote("+919876500001") + "|"
                + BenchCommand.regexQuote("a.b@example.org")).replace("\\", "\\\\") + ")\"";

        Path all = dir.resolve("all.mitm");
        Path matched = dir.resolve("matched.mitm");
        mitmdump(file, all, null);
        mitmdump(file, matched, filter);

        String kept = Files.readString(all, StandardCharsets.ISO_8859_1);
        assertThat(kept).contains("/p/f0").contains("/p/f1").contains("/p/f2");
        String hit = Files.readString(matched, StandardCharsets.ISO_8859_1);
        assertThat(hit).contains("/p/f1").doesNotContain("/p/f0").doesNotContain("/p/f2");
    }

    private void mitmdump(Path in, Path out, String filter) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mitmdump", "-q", "-n", "-r", in.toString(), "-w",
                out.toString()));
        if (filter != null) {
            command.add(filter);
        }
        Path log = dir.resolve(out.getFileName() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("mitmdump finished").isTrue();
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).as(command.toString()).doesNotContain("Traceback").doesNotContain("rror");
    }

    private static CapturedFlow flow(String id, byte[] body, List<HttpHeader> headers) {
        return new CapturedFlow(id, Instant.EPOCH, "10.0.0.2:40000", new HttpRequestData("POST", "https",
                "h.example.com", 443, "/p/" + id, "HTTP/1.1", headers, body), Optional.empty(), Optional.empty());
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }
}
