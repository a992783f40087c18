package dev.consentry.allure;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.leak.Finding;
import dev.consentry.leak.LeakDetector;
import org.junit.jupiter.api.Test;

import io.airlift.compress.zstd.ZstdOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceChainTest {
    private static final Canary IMEI = new Canary(CanaryKind.IMEI, "860239315879893", "read: dumpsys iphonesubinfo");

    private static CapturedFlow flow(String path, List<HttpHeader> headers, byte[] body) {
        return new CapturedFlow("f1", Instant.parse("2026-11-24T10:00:00Z"), "", new HttpRequestData("POST", "http",
                "tracking.intl.miui.com", 80, path, "HTTP/1.1", headers, body), Optional.empty(), Optional.empty());
    }

    @Test
    void replaysGzipThenBase64DownToTheImeiAndHighlightsIt() throws Exception {
        String inner = Base64.getEncoder().encodeToString(
                "{\"imei\":\"860239315879893\",\"ts\":1}".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(("d=" + inner + "&v=2&token=abcdefgh").getBytes(StandardCharsets.UTF_8));
        }
        CapturedFlow f = flow("/track/spock", List.of(new HttpHeader("Content-Encoding", "gzip")), gz.toByteArray());
        Finding finding = new LeakDetector(List.of(IMEI)).scan(f).get(0);
        assertThat(finding.transforms()).containsExactly("gzip", "base64");

        EvidenceChain chain = EvidenceChain.replay(finding, f);

        assertThat(chain.reached()).isTrue();
        assertThat(chain.stages()).extracting(EvidenceChain.Stage::step).containsExactly("sent", "gzip", "base64");
        EvidenceChain.Stage last = chain.match().orElseThrow();
        assertThat(new String(last.data(), last.matchStart(), last.matchLength(), StandardCharsets.UTF_8))
                .isEqualTo("860239315879893");
        String html = EvidenceHtml.render(chain, s -> s.replace("abcdefgh", "********"));
        assertThat(html).contains("<mark>860239315879893</mark>", "1f 8b 08", "gunzipped", "base64-decoded",
                "d=" + inner.substring(0, 20), "token=********").doesNotContain("abcdefgh");
    }

    @Test
    void urlAndCookieLocationsAndAChainThatDoesNotReplayIsSaidSo() {
        CapturedFlow f = flow("/reg?phone=%2B919876543210&x=1",
                List.of(new HttpHeader("Cookie", "a=1; uid=ODYwMjM5MzE1ODc5ODkz")), new byte[0]);
        Canary phone = new Canary(CanaryKind.PHONE_NUMBER, "+919876543210", "read");
        List<Finding> findings = new LeakDetector(List.of(IMEI, phone)).scan(f);
        assertThat(findings).extracting(Finding::location).contains("url", "cookie:uid");
        for (Finding finding : findings) {
            assertThat(EvidenceChain.replay(finding, f).reached()).as(finding.toString()).isTrue();
        }

        Finding bogus = new Finding(IMEI, "f1", "h", "http", "body", List.of("gzip"), "860239315879893", 0);
        EvidenceChain none = EvidenceChain.replay(bogus, f);
        assertThat(none.reached()).isFalse();
        assertThat(EvidenceHtml.render(none, s -> s)).contains("did not reach the canary");
    }

    /** An HTTP/2 request (no Host header) to a host name holding the IMEI: the evidence replays the host itself. */
    @Test
    void aHostLocationReplaysTheHostName() {
        CapturedFlow f = new CapturedFlow("f1", Instant.parse("2026-11-24T10:00:00Z"), "", new HttpRequestData("GET",
                "https", "860239315879893.t.example.com", 443, "/p", "HTTP/2.0", List.of(), new byte[0]),
                Optional.empty(), Optional.empty());
        Finding finding = new LeakDetector(List.of(IMEI)).scan(f).get(0);
        assertThat(finding.location()).isEqualTo("host");

        EvidenceChain chain = EvidenceChain.replay(finding, f);

        assertThat(chain.reached()).isTrue();
        assertThat(chain.stages().get(0).label()).contains("host");
        EvidenceChain.Stage last = chain.match().orElseThrow();
        assertThat(new String(last.data(), StandardCharsets.UTF_8)).isEqualTo("860239315879893.t.example.com");
    }

    /**
     * HTTP/2 sends cookies in several cookie headers, and a header name can repeat: the evidence replays every place
     * of the finding's name until one reaches the canary (it looked at the first Cookie header and the first header
     * of the name only, so these said "did not reach the canary").
     */
    @Test
    void aCookieInALaterCookieHeaderAndARepeatedHeaderAreReplayed() {
        String b64 = Base64.getEncoder().encodeToString(IMEI.value().getBytes(StandardCharsets.UTF_8));
        CapturedFlow f = flow("/p", List.of(new HttpHeader("cookie", "a=1"), new HttpHeader("x-id", "none"),
                new HttpHeader("cookie", "uid=" + b64), new HttpHeader("x-id", b64)), new byte[0]);
        List<Finding> findings = new LeakDetector(List.of(IMEI)).scan(f);
        assertThat(findings).extracting(Finding::location).containsExactlyInAnyOrder("cookie:uid", "header:x-id");

        for (Finding finding : findings) {
            EvidenceChain chain = EvidenceChain.replay(finding, f);
            assertThat(chain.reached()).as(finding.location()).isTrue();
            assertThat(new String(chain.stages().get(0).data(), StandardCharsets.UTF_8)).isEqualTo(b64);
        }
    }

    @Test
    void aHashedImeiIsRecomputedAndFoundNotDecoded() throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("860239315879893".getBytes(StandardCharsets.UTF_8)));
        CapturedFlow f = flow("/track?did=" + sha + "&v=1", List.of(), new byte[0]);
        Finding finding = new LeakDetector(List.of(IMEI)).scan(f).get(0);
        assertThat(finding.transforms()).containsExactly("hex", "sha256");

        EvidenceChain chain = EvidenceChain.replay(finding, f);

        assertThat(chain.reached()).as(chain.stages().toString()).isTrue();
        assertThat(chain.stages()).extracting(EvidenceChain.Stage::step).containsExactly("sent", "sha256");
        assertThat(EvidenceHtml.render(chain, s -> s)).contains("<mark>" + sha + "</mark>",
                "sha256 of &quot;860239315879893&quot;, hex-encoded (all 256 bits)");
    }

    @Test
    void aRawDigestInAProtobufFieldIsRecomputedAndShownAsSent() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("860239315879893".getBytes(StandardCharsets.UTF_8));
        byte[] sent = java.util.Arrays.copyOf(digest, 16);
        byte[] message = cat(field(1, "com.miui.analytics".getBytes(StandardCharsets.UTF_8)), field(4, sent));
        CapturedFlow f = flow("/log", List.of(new HttpHeader("Content-Type", "application/x-protobuf")), message);
        Finding finding = new LeakDetector(List.of(IMEI)).scan(f).get(0);
        assertThat(finding.transforms()).containsExactly("protobuf", "sha256");

        EvidenceChain chain = EvidenceChain.replay(finding, f);

        assertThat(chain.reached()).as(chain.stages().toString()).isTrue();
        assertThat(chain.stages()).extracting(EvidenceChain.Stage::step)
                .containsExactly("sent", "protobuf", "sha256");
        String hex = java.util.HexFormat.of().formatHex(sent);
        assertThat(labels(chain)).containsExactly("as sent, body (" + message.length + " bytes)",
                "field 4 of the protobuf message (16 bytes)",
                "sha256 of \"860239315879893\", raw bytes (its first 128 bits): " + hex);
        assertThat(EvidenceHtml.render(chain, s -> s)).contains("raw bytes (its first 128 bits): " + hex)
                .doesNotContain("did not reach");
    }

    @Test
    void aCompressedGrpcMessageIsReplayedFromTheMessageAsSent() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("860239315879893".getBytes(StandardCharsets.UTF_8));
        byte[] message = cat(field(1, "com.miui.analytics".getBytes(StandardCharsets.UTF_8)),
                field(4, java.util.Arrays.copyOf(digest, 16)));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(message);
        }
        byte[] compressed = gz.toByteArray();
        int n = compressed.length;
        byte[] body = cat(cat(new byte[]{0, 0, 0, 0, 3}, field(1, new byte[]{'o'})), // a first message, 3 bytes
                cat(new byte[]{1, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}, compressed));
        CapturedFlow f = flow("/google.internal.Log/Upload", List.of(new HttpHeader("content-type",
                "application/grpc+proto"), new HttpHeader("grpc-encoding", "gzip")), body);
        Finding finding = new LeakDetector(List.of(IMEI)).scan(f).get(0);
        assertThat(finding.transforms()).containsExactly("gzip", "protobuf", "sha256");

        EvidenceChain chain = EvidenceChain.replay(finding, f);

        assertThat(chain.reached()).as(chain.stages().toString()).isTrue();
        assertThat(labels(chain).get(0)).isEqualTo("as sent, body (" + n + " bytes)");
    }

    @Test
    void aHashTruncatedTo64BitsInBase64IsShownAsSent() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                .digest("860239315879893".getBytes(StandardCharsets.UTF_8));
        String sent = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.Arrays.copyOf(digest, 8));
        CapturedFlow f = flow("/track?did=" + sent + "&v=1", List.of(), new byte[0]);
        Finding finding = new LeakDetector(List.of(IMEI)).scan(f).get(0);
        assertThat(finding.transforms()).containsExactly("base64", "sha1");

        EvidenceChain chain = EvidenceChain.replay(finding, f);

        assertThat(chain.reached()).as(chain.stages().toString()).isTrue();
        assertThat(EvidenceHtml.render(chain, s -> s)).contains(
                "sha1 of &quot;860239315879893&quot;, base64-encoded (its first 64 bits)");
    }

    // Brotli fixtures: copies of core's (core/src/test/resources/dev/consentry/leak/brotli, made by its
    // make-fixtures.py with Debian's python3-brotli 1.0.9): kind-imei.br is a telemetry JSON document of 1,9xx bytes
    // at quality 11 with the IMEI first, imei-short.br is {"imei":"865123045678901","t":1712000000}, imei-gzip-br.br
    // is such a document gzipped, then brotli-compressed (a body sent with "Content-Encoding: gzip, br").
    private static final Canary FIXTURE_IMEI = new Canary(CanaryKind.IMEI, "865123045678901", "read");

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = EvidenceChainTest.class.getResourceAsStream("brotli/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Runs the real engine on the flow and replays its finding of {@code canary}, which has {@code chain}. */
    private static EvidenceChain replayed(CapturedFlow f, Canary canary, String... chain) {
        List<Finding> findings = new LeakDetector(List.of(canary)).scan(f);
        Finding finding = findings.stream().filter(x -> x.transforms().equals(List.of(chain))).findFirst()
                .orElseThrow(() -> new AssertionError("no finding with chain " + List.of(chain) + ": " + findings));
        EvidenceChain replay = EvidenceChain.replay(finding, f);
        assertThat(replay.reached()).as(replay.stages().toString()).isTrue();
        EvidenceChain.Stage last = replay.match().orElseThrow();
        assertThat(new String(last.data(), last.matchStart(), last.matchLength(), StandardCharsets.UTF_8))
                .isEqualTo(finding.form());
        assertThat(replay.stages()).extracting(EvidenceChain.Stage::step)
                .containsExactlyElementsOf(concat("sent", chain));
        return replay;
    }

    private static List<String> concat(String first, String... rest) {
        List<String> l = new java.util.ArrayList<>(List.of(first));
        l.addAll(List.of(rest));
        return l;
    }

    private static List<String> labels(EvidenceChain c) {
        return c.stages().stream().map(EvidenceChain.Stage::label).toList();
    }

    /** The labels of a protobuf body's replay to a number read as {@code encoding}: [sent, field, how it read]. */
    private static List<String> numberRead(byte[] message, Canary canary, String encoding) {
        return labels(replayed(flow("/fix", List.of(new HttpHeader("Content-Type", "application/x-protobuf")),
                message), canary, "protobuf", encoding));
    }

    @Test
    void declaredBrotliIsReplayed() throws Exception {
        byte[] br = fixture("kind-imei.br");
        CapturedFlow f = flow("/v1/t", List.of(new HttpHeader("Content-Encoding", "br")), br);
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "brotli");
        assertThat(labels(c).get(1)).matches("brotli-decompressed \\(\\d{3,} bytes\\)");
        assertThat(EvidenceHtml.render(c, s -> s)).contains("<mark>865123045678901</mark>")
                .doesNotContain("did not reach");
    }

    @Test
    void undeclaredBrotliInsideBase64IsReplayed() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(fixture("kind-imei.br"));
        CapturedFlow f = flow("/v1/t", List.of(new HttpHeader("Content-Type", "application/json")),
                ("{\"v\":3,\"blob\":\"" + b64 + "\"}").getBytes(StandardCharsets.UTF_8));
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "base64", "brotli");
        assertThat(labels(c).get(2)).startsWith("brotli-decompressed (");
    }

    @Test
    void aTruncatedBrotliBodyReplaysWhatDecodedBeforeTheCut() throws Exception {
        byte[] br = fixture("kind-imei.br");
        CapturedFlow f = flow("/v1/t", List.of(new HttpHeader("Content-Encoding", "br")),
                Arrays.copyOf(br, br.length / 2));
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "brotli");
        assertThat(labels(c).get(1)).startsWith(
                "brotli-decompressed, the stream truncated or damaged: what decoded before the damage (");
    }

    @Test
    void zstdIsReplayed() throws Exception {
        // aircompressor's own Java encoder (the engine recognises zstd by its magic bytes, not by a header)
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(z)) {
            // The IMEI's two halves stand apart first, so the encoder writes it as two back-references: it does not
            // stand in the compressed bytes as it is.
            out.write(("{\"a\":\"86023931\",\"b\":\"5879893\",\"events\":[1,2,3],"
                    + "\"imei\":\"860239315879893\",\"pad\":\""
                    + "x".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        CapturedFlow f = flow("/v1/t", List.of(), z.toByteArray());
        EvidenceChain c = replayed(f, IMEI, "zstd");
        assertThat(labels(c).get(1)).matches("zstd-decompressed \\(\\d+ bytes\\)");
    }

    @Test
    void aCorruptGzipBodyReplaysUpToTheDamage() throws Exception {
        // The IMEI ends the good part: zlib's failing read would take the last 16 KB with it, IMEI included.
        StringBuilder doc = new StringBuilder("{\"events\":[");
        for (int i = 0; doc.length() < 12_000; i++) {
            doc.append("{\"t\":").append(1712000000L + 37L * i * i).append("},");
        }
        byte[] plain = doc.append("{}],\"imei\":\"860239315879893\"}").toString().getBytes(StandardCharsets.UTF_8);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
        deflater.setInput(plain);
        byte[] buf = new byte[2 * plain.length];
        int n = deflater.deflate(buf, 0, buf.length, java.util.zip.Deflater.SYNC_FLUSH);
        deflater.end();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        body.write(buf, 0, n);
        body.write(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff}); // a block of the reserved type 11
        CapturedFlow f = flow("/v1/t", List.of(new HttpHeader("Content-Encoding", "gzip")), body.toByteArray());

        EvidenceChain c = replayed(f, IMEI, "gzip");

        assertThat(labels(c).get(1)).isEqualTo("gunzipped, the stream truncated or damaged: what decoded "
                + "before the damage (" + plain.length + " bytes)");
    }

    // zstd/blocks-stream.zst: a copy of core's fixture (core/src/test/resources/dev/consentry/leak/zstd, made by its
    // make-fixtures.py with Debian's zstd CLI 1.5.4 from a pipe, blocks of ~300 compressed bytes): a 5,667-byte
    // telemetry JSON document with the IMEI at byte 19; its first block ends at byte 311 and decodes to 1,206 bytes.
    private static byte[] zstdCut(int length) throws IOException {
        try (InputStream in = EvidenceChainTest.class.getResourceAsStream("zstd/blocks-stream.zst")) {
            return Arrays.copyOf(in.readAllBytes(), length);
        }
    }

    @Test
    void aTruncatedZstdBodyReplaysTheBlocksBeforeTheCut() throws Exception {
        CapturedFlow f = flow("/v1/t", List.of(), zstdCut(400));
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "zstd");
        assertThat(labels(c).get(1)).isEqualTo("zstd-decompressed, the stream truncated or damaged: what decoded "
                + "before the damage (1206 bytes; frame 1 cut in block 2, a compressed block; recovered 1 block of 1 "
                + "frame)");
        assertThat(EvidenceHtml.render(c, s -> s)).contains("<mark>865123045678901</mark>");
    }

    @Test
    void aTruncatedZstdBlobInBase64IsReplayed() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(zstdCut(500));
        CapturedFlow f = flow("/v1/t", List.of(new HttpHeader("Content-Type", "application/json")),
                ("{\"v\":3,\"blob\":\"" + b64 + "\"}").getBytes(StandardCharsets.UTF_8));
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "base64", "zstd");
        assertThat(labels(c).get(2)).startsWith("zstd-decompressed, the stream truncated or damaged: what decoded "
                + "before the damage (1206 bytes; frame 1 cut in block 2");
    }

    @Test
    void aZstdBodyWithACorruptBlockReplaysTheBlocksBeforeItAndNamesIt() throws Exception {
        byte[] z = zstdCut(952);
        Arrays.fill(z, 320, 380, (byte) 0xff); // inside block 2, its header left alone
        CapturedFlow f = flow("/v1/t", List.of(), z);
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "zstd");
        assertThat(labels(c).get(1)).isEqualTo("zstd-decompressed, the stream truncated or damaged: what decoded "
                + "before the damage (1206 bytes; block 2 of frame 1 does not decode (corrupt); recovered 1 block of 1 "
                + "frame)");
    }

    @Test
    void aZstdFrameCutInsideItsFirstBlockDoesNotReplayAndSaysSo() throws Exception {
        CapturedFlow f = flow("/v1/t", List.of(), zstdCut(200));
        assertThat(new LeakDetector(List.of(FIXTURE_IMEI)).scan(f)).isEmpty();
        Finding bogus = new Finding(FIXTURE_IMEI, "f1", "h", "http", "body", List.of("zstd"), "865123045678901", 0);
        EvidenceChain none = EvidenceChain.replay(bogus, f);
        assertThat(none.reached()).isFalse();
        assertThat(EvidenceHtml.render(none, s -> s)).contains("did not reach the canary");
    }

    @Test
    void undeclaredBrotliInsideAHexFormFieldIsReplayed() throws Exception {
        String hex = java.util.HexFormat.of().formatHex(fixture("kind-imei.br"));
        CapturedFlow f = flow("/v1/t", List.of(new HttpHeader("Content-Type", "application/x-www-form-urlencoded")),
                ("v=3&blob=" + hex + "&t=1712000000").getBytes(StandardCharsets.UTF_8));
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "hex", "brotli");
        assertThat(labels(c).get(2)).startsWith("brotli-decompressed (");
    }

    @Test
    void undeclaredBrotliInAProtobufFieldIsReplayed() throws Exception {
        byte[] br = fixture("kind-imei.br");
        byte[] message = cat(field(1, "com.miui.analytics".getBytes(StandardCharsets.UTF_8)), field(5, br));
        CapturedFlow f = flow("/log", List.of(new HttpHeader("Content-Type", "application/x-protobuf")), message);
        EvidenceChain c = replayed(f, FIXTURE_IMEI, "protobuf", "brotli");
        assertThat(labels(c).get(1)).isEqualTo("field 5 of the protobuf message (" + br.length + " bytes)");
        assertThat(labels(c).get(2)).startsWith("brotli-decompressed (");
    }

    /** Protocol Buffers: a key (field number, wire type 2) and a length, then the bytes. */
    private static byte[] field(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) number << 3 | 2);
        varint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aGzippedFieldOfANestedProtobufMessageIsReplayedFromItsFirstByte() throws Exception {
        byte[] payload = gzip("{\"imei\":\"860239315879893\",\"model\":\"Redmi 1S\"}");
        byte[] message = cat(new byte[]{0x08, (byte) 0x96, 0x01}, // field 1, varint 150
                field(2, "com.miui.analytics".getBytes(StandardCharsets.UTF_8)),
                field(3, cat(field(1, "batch-7".getBytes(StandardCharsets.UTF_8)), field(4, payload))));
        CapturedFlow f = flow("/log", List.of(new HttpHeader("Content-Type", "application/x-protobuf")), message);
        EvidenceChain c = replayed(f, IMEI, "protobuf", "gzip");
        assertThat(labels(c).get(1)).isEqualTo("field 3.4 of the protobuf message (" + payload.length + " bytes)");
        assertThat(labels(c).get(2)).startsWith("gunzipped (");
    }

    /** A key (field number, wire type 0 or 1) and a number, as a varint or eight bytes little-endian. */
    private static byte[] numberField(int number, int wire, long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) number << 3 | wire);
        if (wire == 0) {
            varint(out, v);
        } else {
            for (int k = 0; k < (wire == 5 ? 4 : 8); k++) {
                out.write((int) (v >>> 8 * k));
            }
        }
        return out.toByteArray();
    }

    @Test
    void aNumberFieldIsReplayedDownToTheNumberItHolds() {
        List<HttpHeader> protobuf = List.of(new HttpHeader("Content-Type", "application/x-protobuf"));
        Canary phone = new Canary(CanaryKind.CONTACT_PHONE, "+919876500001", "planted");
        // A contact whose field 3 is libphonenumber's PhoneNumber: country code 91, national number as a uint64.
        byte[] phoneNumber = cat(numberField(1, 0, 91), numberField(2, 0, 9_876_500_001L));
        byte[] contact = cat(field(1, "Li Wei".getBytes(StandardCharsets.UTF_8)), field(3, phoneNumber));
        EvidenceChain c = replayed(flow("/sync", protobuf, contact), phone, "protobuf", "varint");
        assertThat(labels(c).get(1)).isEqualTo("field 3.2 of the protobuf message (a varint, 5 bytes: a1dcbde524)");
        assertThat(labels(c).get(2)).isEqualTo("read as a varint (uint64): 9876500001");

        byte[] imei = cat(field(1, "app".getBytes(StandardCharsets.UTF_8)), numberField(4, 0, 2 * 860239315879893L));
        assertThat(labels(replayed(flow("/log", protobuf, imei), IMEI, "protobuf", "zigzag")).get(2))
                .isEqualTo("read as a zigzag varint (sint64): 860239315879893");

        Canary androidId = new Canary(CanaryKind.ANDROID_ID, "9f3c2a71b04e5d86", "read");
        byte[] id = cat(field(1, "app".getBytes(StandardCharsets.UTF_8)),
                numberField(2, 1, Long.parseUnsignedLong("9f3c2a71b04e5d86", 16)));
        EvidenceChain fixed = replayed(flow("/log", protobuf, id), androidId, "protobuf", "fixed64");
        assertThat(labels(fixed).get(1)).isEqualTo("field 2 of the protobuf message (a fixed64, 8 bytes: "
                + "865d4eb0712a3c9f)");
        assertThat(labels(fixed).get(2)).isEqualTo("read as a fixed64 (8 bytes, little-endian): "
                + Long.toUnsignedString(0x9f3c2a71b04e5d86L) + " = 0x9f3c2a71b04e5d86");
    }

    @Test
    void aCoordinateInADoubleIsReplayed() {
        Canary home = new Canary(CanaryKind.LOCATION, "12.9716,77.5946", "planted");
        byte[] latLng = cat(numberField(1, 1, Double.doubleToLongBits(12.971642)),
                numberField(2, 1, Double.doubleToLongBits(77.594571)));
        byte[] fix = cat(field(1, "gps".getBytes(StandardCharsets.UTF_8)), field(4, latLng));
        List<String> c = numberRead(fix, home, "double");
        assertThat(c.get(1)).startsWith("field 4.1 of the protobuf message (a fixed64, 8 bytes: ");
        assertThat(c.get(2)).isEqualTo("read as a double (8 bytes, little-endian): 12.971642, truncated to 4"
                + " decimals 12.9716");
    }

    @Test
    void aCoordinateInAnE7VarintIsReplayed() {
        Canary rio = new Canary(CanaryKind.LOCATION, "-22.90685,-43.17290", "planted");
        // int32 longitude_e7 below zero: ten bytes, the 64-bit two's complement.
        byte[] fix = cat(field(1, "wifi".getBytes(StandardCharsets.UTF_8)), numberField(3, 0, -431_729_040L));
        List<String> c = numberRead(fix, rio, "e7");
        assertThat(c.get(1)).startsWith("field 3 of the protobuf message (a varint, 10 bytes: ");
        assertThat(c.get(2)).isEqualTo("read as degrees x 10^7 in a varint: -431729040 = -43.1729040,"
                + " truncated to 5 decimals -43.17290");
        byte[] e6 = cat(field(1, "wifi".getBytes(StandardCharsets.UTF_8)), numberField(2, 0, -22_906_849L));
        assertThat(numberRead(e6, rio, "e6").get(2)).isEqualTo("read as degrees x 10^6 in a varint: -22906849 ="
                + " -22.906849, rounded to 5 decimals -22.90685");
    }

    @Test
    void aCoordinateInAFloatOrAnSfixed32IsReplayed() {
        Canary rio = new Canary(CanaryKind.LOCATION, "-22.90685,-43.17290", "planted");
        byte[] name = field(1, "fix".getBytes(StandardCharsets.UTF_8));
        List<String> asFloat = numberRead(cat(name, numberField(2, 5, Float.floatToIntBits(-22.906853f))), rio,
                "float");
        assertThat(asFloat.get(1)).isEqualTo("field 2 of the protobuf message (a fixed32, 4 bytes: 3c41b7c1)");
        assertThat(asFloat.get(2)).isEqualTo("read as a float (4 bytes, little-endian): -22.906853, truncated"
                + " to 5 decimals -22.90685");
        List<String> e7 = numberRead(cat(name, numberField(3, 5, -431_728_960)), rio, "sfixed32-e7");
        assertThat(e7.get(1)).isEqualTo("field 3 of the protobuf message (a fixed32, 4 bytes: c05644e6)");
        assertThat(e7.get(2)).isEqualTo("read as degrees x 10^7 in an sfixed32 (4 bytes, little-endian): "
                + "-431728960 = -43.1728960, rounded to 5 decimals -43.17290");
    }

    @Test
    void aFixed32WhoseBytesCouldBeTextIsPassedOverAsTheEngineDoes() {
        Canary place = new Canary(CanaryKind.LOCATION, "12.9716,109.4861", "planted");
        // Both read as 109.4861xxx in E7; the first one's bytes are "HABA", which the engine does not read a number
        // from, so the evidence must show the second.
        byte[] fix = cat(field(1, "fix".getBytes(StandardCharsets.UTF_8)), numberField(2, 5, 0x41424148),
                numberField(3, 5, 0x414240c8));
        List<String> c = numberRead(fix, place, "sfixed32-e7");
        assertThat(c.get(1)).isEqualTo("field 3 of the protobuf message (a fixed32, 4 bytes: c8404241)");
        assertThat(c.get(2)).isEqualTo("read as degrees x 10^7 in an sfixed32 (4 bytes, little-endian): "
                + "1094861000 = 109.4861000, truncated to 4 decimals 109.4861");
    }

    @Test
    void aGzipStreamInAJsonBinaryStringIsReplayed() throws Exception {
        // JavaScript's JSON.stringify of a binary string: controls escaped, 0x80-0xFF as their UTF-8 characters.
        byte[] gz = gzip("{\"imei\":\"860239315879893\"}");
        StringBuilder js = new StringBuilder("{\"payload\":\"");
        for (byte b : gz) {
            int c = b & 0xff;
            js.append(c == '"' || c == '\\' ? "\\" + (char) c : c < 0x20 ? String.format("\\u%04x", c)
                    : String.valueOf((char) c));
        }
        CapturedFlow f = flow("/log", List.of(), js.append("\"}").toString().getBytes(StandardCharsets.UTF_8));
        EvidenceChain c = replayed(f, IMEI, "json", "gzip");
        assertThat(labels(c).get(1)).startsWith("JSON escapes resolved, characters up to U+00FF read as one byte each");
    }

    @Test
    void aNumberFieldThatIsNotTheCanarysNumberIsNotEvidence() {
        byte[] message = cat(field(1, "app".getBytes(StandardCharsets.UTF_8)), numberField(2, 0, 860239315879894L));
        CapturedFlow f = flow("/log", List.of(new HttpHeader("Content-Type", "application/x-protobuf")), message);
        Finding claimed = new Finding(IMEI, "f", "h", "https", "body", List.of("protobuf", "varint"),
                "860239315879893", 0);
        assertThat(EvidenceChain.replay(claimed, f).reached()).isFalse();
        // The right number read the wrong way (a varint claimed as zigzag) is not evidence either.
        byte[] right = cat(field(1, "app".getBytes(StandardCharsets.UTF_8)), numberField(2, 0, 860239315879893L));
        Finding zigzag = new Finding(IMEI, "f", "h", "https", "body", List.of("protobuf", "zigzag"),
                "860239315879893", 0);
        assertThat(EvidenceChain.replay(zigzag, flow("/log", List.of(), right)).reached()).isFalse();
    }

    @Test
    void aBase64ProtobufFieldIsReplayed() {
        String b64 = Base64.getEncoder().encodeToString(
                "imei=860239315879893;ts=1712000000".getBytes(StandardCharsets.UTF_8));
        byte[] message = cat(field(1, "app".getBytes(StandardCharsets.UTF_8)),
                field(7, b64.getBytes(StandardCharsets.UTF_8)));
        CapturedFlow f = flow("/log", List.of(new HttpHeader("Content-Type", "application/x-protobuf")), message);
        List<Finding> findings = new LeakDetector(List.of(IMEI)).scan(f);
        Finding finding = findings.get(0);
        // The engine reports the simplest chain that finds it (a base64 run stands in the raw message as well), so
        // whatever it chose replays; and the chain through the field replays too, the field found and decoded.
        EvidenceChain c = EvidenceChain.replay(finding, f);
        assertThat(c.reached()).as(findings + " " + c.stages()).isTrue();
        Finding viaField = new Finding(IMEI, finding.flowId(), finding.host(), finding.scheme(), finding.location(),
                List.of("protobuf", "base64"), finding.form(), finding.offset());
        EvidenceChain v = EvidenceChain.replay(viaField, f);
        assertThat(v.reached()).as(v.stages().toString()).isTrue();
        assertThat(labels(v)).element(1).isEqualTo("field 7 of the protobuf message (" + b64.length() + " bytes)");
        assertThat(labels(v)).element(2).asString().startsWith("base64-decoded (");
    }

    @Test
    void aGzippedMultipartPartIsReplayedAndNamed() throws Exception {
        byte[] payload = gzip("{\"imei\":\"860239315879893\",\"model\":\"Redmi 1S\"}");
        String b = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        byte[] body = cat(("--" + b + "\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\nv=3&app=com.miui"
                        + "\r\n--" + b + "\r\nContent-Disposition: form-data; name=\"payload\"; filename=\"p.gz\"\r\n"
                        + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.UTF_8), payload,
                ("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
        CapturedFlow f = flow("/upload", List.of(new HttpHeader("Content-Type", "multipart/form-data; boundary=" + b)),
                body);
        EvidenceChain c = replayed(f, IMEI, "multipart", "gzip");
        assertThat(labels(c).get(1)).isEqualTo("part 'payload' of the multipart body (" + payload.length + " bytes)");
        assertThat(EvidenceHtml.render(c, s -> s)).contains("part 'payload' of the multipart body",
                "<mark>860239315879893</mark>");
    }

    @Test
    void aChainThatDoesNotReplayPastAProtobufOrBrotliStepIsSaidSo() throws Exception {
        CapturedFlow f = flow("/v1/t", List.of(), fixture("imei-short.br"));
        for (List<String> chain : List.of(List.of("protobuf", "gzip"), List.of("zstd"), List.of("multipart", "gzip"),
                List.of("brotli", "base64"))) {
            Finding bogus = new Finding(FIXTURE_IMEI, "f1", "h", "http", "body", chain, "865123045678901", 0);
            EvidenceChain none = EvidenceChain.replay(bogus, f);
            assertThat(none.reached()).as(chain.toString()).isFalse();
            assertThat(none.stages()).hasSize(1);
            assertThat(EvidenceHtml.render(none, s -> s)).contains("did not reach the canary");
        }
    }

    @Test
    void aBodyOfTwoCodingsIsReplayedLayerByLayerLastAppliedFirst() throws Exception {
        CapturedFlow gzipThenBr = flow("/v1/t", List.of(new HttpHeader("Content-Encoding", "gzip, br")),
                fixture("imei-gzip-br.br"));
        EvidenceChain c = replayed(gzipThenBr, FIXTURE_IMEI, "brotli", "gzip");
        assertThat(labels(c).get(1)).matches("brotli-decompressed \\(\\d{3,} bytes\\)");
        assertThat(labels(c).get(2)).matches("gunzipped \\(\\d{4,} bytes\\)");

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(fixture("kind-imei.br"));
        }
        // cut in half: brotli stored the gzip stream uncompressed, and its bytes up to the cut are replayed
        byte[] br = fixture("imei-gzip-br.br");
        CapturedFlow cut = flow("/v1/t", List.of(new HttpHeader("Content-Encoding", "gzip, br")),
                Arrays.copyOf(br, br.length / 2));
        EvidenceChain cutChain = replayed(cut, FIXTURE_IMEI, "brotli", "gzip");
        assertThat(labels(cutChain).get(1)).startsWith(
                "brotli-decompressed, the stream truncated or damaged: what decoded before the damage (");
        assertThat(labels(cutChain).get(2)).startsWith(
                "gunzipped, the stream truncated or damaged: what decoded before the damage (");

        CapturedFlow brThenGzip = flow("/v1/t", List.of(new HttpHeader("Content-Encoding", "br, gzip")),
                gz.toByteArray());
        replayed(brThenGzip, FIXTURE_IMEI, "gzip", "brotli");

        // three layers: the last one inside the two codings
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
            d.write(("{\"d\":\"" + Base64.getEncoder().encodeToString("{\"imei\":\"860239315879893\"}"
                    .getBytes(StandardCharsets.UTF_8)) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream gzz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gzz)) {
            g.write(z.toByteArray());
        }
        CapturedFlow deflateThenGzip = flow("/v1/t", List.of(new HttpHeader("Content-Encoding", "deflate, gzip")),
                gzz.toByteArray());
        assertThat(labels(replayed(deflateThenGzip, IMEI, "gzip", "deflate", "base64")))
                .element(2).asString().startsWith("inflated (");
    }
}
