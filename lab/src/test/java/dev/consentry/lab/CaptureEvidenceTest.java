package dev.consentry.lab;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.consent.Timeline;
import dev.consentry.mitm.CaptureHealth;
import dev.consentry.mitm.MitmdumpCapture;
import dev.consentry.verdict.Evidence;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureEvidenceTest {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");

    private static Evidence evidence(byte[] gzipBody) {
        return evidence("gzip", gzipBody);
    }

    private static Evidence evidence(String contentEncoding, byte[] body) {
        CapturedFlow upload = new CapturedFlow("f7", Instant.parse("2026-11-25T01:00:00Z"), "127.0.0.1:40000",
                new HttpRequestData("POST", "https", "api.account.xiaomi.com", 443, "/pass/upload", "HTTP/1.1",
                        List.of(new HttpHeader("Content-Encoding", contentEncoding)), body),
                Optional.empty(), Optional.empty());
        MitmdumpCapture.Outcome outcome = new MitmdumpCapture.Outcome("redmi", List.of(upload), List.of(), List.of(),
                new CaptureHealth.Stopped(0), "", Path.of("log"), Path.of("flows"));
        return CaptureEvidence.of("redmi", "first-boot", outcome, List.of(IMEI), List.of(), Timeline.EMPTY);
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void aBodyThatDecodesWholeLeavesNoDoubt() throws Exception {
        Evidence e = evidence(gzip("{\"imei\":\"865123045678901\"}"));

        assertThat(e.leaks()).hasSize(1);
        assertThat(e.problems()).isEmpty();
    }

    @Test
    void aBodyCutShortIsSearchedAsFarAsItGoesAndIsADoubt() throws Exception {
        StringBuilder doc = new StringBuilder("{\"imei\":\"865123045678901\",\"pad\":[");
        for (int i = 0; doc.length() < 20_000; i++) {
            doc.append(i * 7919L % 100_003).append(',');
        }
        byte[] whole = gzip(doc.append("0]}").toString());

        Evidence e = evidence(Arrays.copyOf(whole, whole.length / 2));

        assertThat(e.leaks()).hasSize(1);
        assertThat(e.problems()).singleElement().asString()
                .startsWith("flow f7 to https://api.account.xiaomi.com: request body: gzip stream is cut short")
                .endsWith("(part of what the handset sent could not be searched)");
    }

    @Test
    void aBodyOfTwoCodingsIsSearchedThroughBothAndOneItDoesNotKeepIsADoubt() throws Exception {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(zlib)) {
            d.write("{\"imei\":\"865123045678901\"}".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(both)) {
            g.write(zlib.toByteArray());
        }

        Evidence stacked = evidence("deflate, gzip", both.toByteArray());
        // Declared brotli under gzip, but gzipped only: a server misconfiguration the verdict must not pass over.
        Evidence misdeclared = evidence("br, gzip", gzip("{\"imei\":\"865123045678901\"}"));

        assertThat(stacked.leaks()).singleElement().satisfies(f ->
                assertThat(f.transforms()).containsExactly("gzip", "deflate"));
        assertThat(stacked.problems()).isEmpty();
        assertThat(misdeclared.leaks()).singleElement().satisfies(f ->
                assertThat(f.transforms()).containsExactly("gzip"));
        assertThat(misdeclared.problems()).singleElement().asString()
                .startsWith("flow f7 to https://api.account.xiaomi.com: request body: after undoing gzip: brotli"
                        + " stream is cut short or corrupt");
    }
}
