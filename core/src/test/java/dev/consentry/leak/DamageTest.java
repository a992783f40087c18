package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body whose declared (or gzip/zstd-announced) encoding does not decode whole is searched as far as it decodes,
 * and the scan says what could not be searched, so analyze can report it per flow.
 */
class DamageTest {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");
    private static final LeakDetector DETECTOR = new LeakDetector(List.of(IMEI));

    /** JSON with the IMEI first, then ~30 KB of events that compress poorly enough to span many deflate blocks. */
    static byte[] telemetry() {
        StringBuilder s = new StringBuilder("{\"imei\":\"865123045678901\",\"events\":[");
        Random r = new Random(3);
        while (s.length() < 30_000) {
            s.append("{\"t\":").append(1712000000 + r.nextInt(1 << 20)).append(",\"k\":\"")
                    .append(Long.toString(r.nextLong() & Long.MAX_VALUE, 36)).append("\"},");
        }
        return s.append("{}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    private static FlowScan post(byte[] body, String contentEncoding) {
        List<HttpHeader> headers = new ArrayList<>(List.of(new HttpHeader("Content-Type", "application/json")));
        if (contentEncoding != null) {
            headers.add(new HttpHeader("Content-Encoding", contentEncoding));
        }
        return DETECTOR.inspect(new CapturedFlow("f1", Instant.EPOCH, "10.0.0.2:40000",
                new HttpRequestData("POST", "https", "api.account.xiaomi.com", 443, "/up", "HTTP/1.1", headers, body),
                Optional.empty(), Optional.empty()));
    }

    @Test
    void aWholeGzipBodyHasNoDamage() throws Exception {
        FlowScan scan = post(gzip(telemetry()), "gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
        assertThat(scan.damage()).isEmpty();
    }

    @Test
    void aTruncatedGzipBodyIsSearchedAsFarAsItDecodesAndSaysSo() throws Exception {
        byte[] whole = gzip(telemetry());
        FlowScan scan = post(Arrays.copyOf(whole, whole.length * 6 / 10), "gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
        assertThat(scan.damage()).singleElement().satisfies(d -> {
            assertThat(d.location()).isEqualTo("body");
            assertThat(d.problem()).startsWith("gzip stream is cut short (the body's " + whole.length * 6 / 10
                    + " bytes end mid-stream): the ")
                    .contains("bytes decoded before the cut were searched");
        });
    }

    @Test
    void aGzipBodyCutInsideItsTrailerIsSearchedWholeAndSaysSo() throws Exception {
        byte[] plain = telemetry();
        byte[] whole = gzip(plain);
        for (int cut = 1; cut <= 8; cut++) {
            FlowScan scan = post(Arrays.copyOf(whole, whole.length - cut), "gzip");

            assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
            assertThat(scan.damage()).extracting(Damage::problem).singleElement().isEqualTo("gzip trailer is cut"
                    + " short (the body ends " + (8 - cut) + " bytes into its 8 of CRC-32 and length): the stream"
                    + " itself decoded whole, its " + plain.length + " bytes were searched");
        }
    }

    @Test
    void gzipMagicWithoutADeclaredEncodingStillSpeaks() throws Exception {
        byte[] whole = gzip(telemetry());
        FlowScan scan = post(Arrays.copyOf(whole, whole.length / 2), null);

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString().contains("cut short");
    }

    /** gzip of {@code plain} that breaks right after it: all of it decodes, then the stream is corrupt. */
    static byte[] corruptGzip(byte[] plain) {
        // A sync flush ends the first part on a byte boundary; 0xff after it is a block of the reserved type 11.
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(plain);
        byte[] buf = new byte[plain.length * 2];
        int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        deflater.end();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        body.write(buf, 0, n);
        body.writeBytes(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        return body.toByteArray();
    }

    @Test
    void aCorruptGzipBodyNamesWhereItBroke() throws Exception {
        byte[] plain = telemetry();

        FlowScan scan = post(corruptGzip(plain), "gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("gzip stream is corrupt near byte ").contains("invalid block type")
                .contains("the " + plain.length + " bytes decoded before it were searched");
    }

    @Test
    void aBodyThatIsNotWhatItsContentEncodingSaysIsSearchedAsSent() {
        byte[] plain = telemetry();

        FlowScan gzip = post(plain, "gzip");
        FlowScan zstd = post(plain, "zstd");

        assertThat(gzip.findings()).extracting(Finding::transforms).containsExactly(List.of());
        assertThat(gzip.damage()).extracting(Damage::problem)
                .containsExactly("declared gzip, but the body does not start as gzip (1f 8b): searched as sent");
        assertThat(zstd.findings()).extracting(Finding::transforms).containsExactly(List.of());
        assertThat(zstd.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("declared zstd, but the body does not start as a zstd frame");
    }

    @Test
    void anEncodingTheEngineCannotUndoIsSaid() {
        FlowScan scan = post(telemetry(), "aes128gcm");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of());
        assertThat(scan.damage()).extracting(Damage::problem).containsExactly("declared Content-Encoding aes128gcm"
                + " is not one the engine decodes (gzip, deflate, br, zstd): searched as sent");
        assertThat(post(telemetry(), "identity").damage()).isEmpty();
    }

    @Test
    void aTruncatedRawDeflateBodySpeaks() {
        byte[] plain = telemetry();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(plain);
        deflater.finish();
        byte[] buf = new byte[plain.length * 2];
        int n = deflater.deflate(buf);
        deflater.end();

        FlowScan scan = post(Arrays.copyOf(buf, n / 2), "deflate");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("deflate"));
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("deflate stream is cut short");
    }

    @Test
    void truncatedBrotliAndZstdBodiesSpeak() {
        byte[] br = BrotliTest.fixture("imei-q5.br");
        byte[] zst = ZstdTest.fixture("blocks-stream.zst");

        FlowScan brotli = post(Arrays.copyOf(br, br.length / 2), "br");
        FlowScan zstd = post(Arrays.copyOf(zst, zst.length * 6 / 10), "zstd");

        assertThat(brotli.findings()).extracting(Finding::transforms).containsExactly(List.of("brotli"));
        assertThat(brotli.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("brotli stream is cut short or corrupt");
        assertThat(zstd.findings()).extracting(Finding::transforms).containsExactly(List.of("zstd"));
        assertThat(zstd.damage()).extracting(Damage::problem).singleElement().asString().startsWith("zstd ");
        assertThat(post(br, "br").damage()).isEmpty();
        assertThat(post(zst, "zstd").damage()).isEmpty();
    }

    @Test
    void outputPastTheCapSaysHowMuchWasSearched() throws Exception {
        List<String> damage = new ArrayList<>();
        List<View> out = new ArrayList<>();

        new InflateDecoder(4096).decode(View.root(gzip(telemetry()), "gzip"), out::add, damage::add);

        assertThat(out).singleElement().satisfies(v -> assertThat(v.data()).hasSize(4096));
        assertThat(damage).containsExactly("gzip output reaches the 4096 bytes cap: only the first 4096 bytes were"
                + " searched");
    }

    @Test
    void damageInsideABodyIsNotTheSendersDeclarationAndStaysSilent() throws Exception {
        // A cut gzip blob inside a base64 field of a plain JSON body: guessed, not declared; nothing to report.
        byte[] whole = gzip(telemetry());
        String b64 = java.util.Base64.getEncoder().encodeToString(Arrays.copyOf(whole, whole.length / 2));

        FlowScan scan = post(("{\"blob\":\"" + b64 + "\"}").getBytes(StandardCharsets.UTF_8), null);

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("base64", "gzip"));
        assertThat(scan.damage()).isEmpty();
    }

    @Test
    void randomBinaryBodiesReportNoDamage() {
        Random r = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[64 + r.nextInt(2048)];
            r.nextBytes(b);
            assertThat(post(b, null).damage()).as("body %d", i).isEmpty();
        }
    }
}
