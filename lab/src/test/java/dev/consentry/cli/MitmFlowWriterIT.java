package dev.consentry.cli;

import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.mitm.FlowFile;
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

    @Test
    void theFlowFileReaderReadsBackEveryFlowAsWritten() throws Exception {
        Path file = dir.resolve("bench.mitm");
        List<CapturedFlow> written = new ArrayList<>();
        BenchCommand.Generator gen = new BenchCommand.Generator(List.of(dev.consentry.canary.Canary.of(
                dev.consentry.canary.CanaryKind.IMEI, "865123045678901")), new java.util.Random(3));
        try (MitmFlowWriter w = new MitmFlowWriter(file)) {
            for (int i = 0; i < 300; i++) {
                CapturedFlow f = gen.flow(i);
                written.add(f);
                w.write(f);
            }
        }
        List<String> read = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        FlowFile.read(file, dir.resolve("work"), java.time.Duration.ofMinutes(5), new FlowFile.Sink() {
            @Override
            public void flow(int index, CapturedFlow flow, List<FlowFile.Message> websocket) {
                indexes.add(index);
                read.add(describe(flow) + " " + flow.id());
            }

            @Override
            public void badFlow(int index, String problem) {
                read.add("bad " + index + " " + problem);
            }
        });
        assertThat(indexes).hasSize(300).isSorted().doesNotHaveDuplicates().startsWith(0).endsWith(299);
        List<String> expected = new ArrayList<>();
        for (CapturedFlow f : written) {
            expected.add(describe(f) + " " + java.util.UUID.nameUUIDFromBytes(f.id().getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(read).containsExactlyElementsOf(expected);
    }

    private static String describe(CapturedFlow f) {
        HttpRequestData q = f.request();
        return q.method() + " " + q.scheme() + "://" + q.host() + ":" + q.port() + q.path() + " " + q.httpVersion()
                + " " + q.headers() + " " + sha256(q.body()) + " " + f.started();
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
