package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.Deflater;

import static dev.consentry.leak.DamageTest.telemetry;
import static dev.consentry.leak.LeakDetectorTest.b64;
import static dev.consentry.leak.LeakDetectorTest.compress;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static dev.consentry.leak.TransformTableTest.zstd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Bodies whose Content-Encoding lists several codings, in the order applied (RFC 9110 8.4): "gzip, br" was gzipped,
 * then brotli-compressed, so brotli is undone first and the finding's chain reads ["brotli", "gzip"]. Brotli over
 * gzip comes from real encoder output (brotli/make-fixtures.py: imei-gzip-br.br, and imei-gzip-cut-br.br whose gzip
 * stream was cut at 60% before brotli); everything else is built here, from DamageTest's telemetry, with the JDK's
 * gzip and deflate and aircompressor's zstd.
 */
class MultiCodingTest {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");
    private static final LeakDetector DETECTOR = new LeakDetector(List.of(IMEI));

    private static byte[] zlib(byte[] data) {
        return compress(data, new Deflater());
    }

    private static byte[] rawDeflate(byte[] data) {
        return compress(data, new Deflater(Deflater.DEFAULT_COMPRESSION, true));
    }

    private static byte[] brotli(String fixture) {
        return BrotliTest.fixture(fixture);
    }

    private static FlowScan post(byte[] body, String... contentEncodings) {
        List<HttpHeader> headers = new ArrayList<>(List.of(new HttpHeader("Content-Type", "application/json")));
        for (String c : contentEncodings) {
            headers.add(new HttpHeader("Content-Encoding", c));
        }
        return DETECTOR.inspect(new CapturedFlow("f1", Instant.EPOCH, "10.0.0.2:40000",
                new HttpRequestData("POST", "https", "tracking.intl.miui.com", 443, "/up", "HTTP/1.1", headers, body),
                Optional.empty(), Optional.empty()));
    }

    record Stack(String contentEncoding, Supplier<byte[]> body, List<String> chain) {
        @Override
        public String toString() {
            return "\"" + contentEncoding + "\" -> " + chain;
        }
    }

    static List<Stack> stacks() {
        return List.of(
                new Stack("gzip, br", () -> brotli("imei-gzip-br.br"), List.of("brotli", "gzip")),
                new Stack("br, gzip", () -> gzip(brotli("kind-imei.br")), List.of("gzip", "brotli")),
                new Stack("deflate, gzip", () -> gzip(zlib(telemetry())), List.of("gzip", "deflate")),
                // raw deflate, as many senders mean by "deflate"
                new Stack("deflate, gzip", () -> gzip(rawDeflate(telemetry())), List.of("gzip", "deflate")),
                new Stack("gzip, deflate", () -> zlib(gzip(telemetry())), List.of("deflate", "gzip")),
                new Stack("zstd, gzip", () -> gzip(zstd(telemetry())), List.of("gzip", "zstd")),
                new Stack("gzip, zstd", () -> zstd(gzip(telemetry())), List.of("zstd", "gzip")),
                new Stack("gzip, gzip", () -> gzip(gzip(telemetry())), List.of("gzip", "gzip")),
                new Stack("x-gzip, gzip", () -> gzip(gzip(telemetry())), List.of("gzip", "gzip")),
                new Stack("gzip, identity, br", () -> brotli("imei-gzip-br.br"), List.of("brotli", "gzip")),
                new Stack("identity,gzip,identity", () -> gzip(telemetry()), List.of("gzip")),
                new Stack("GZIP ,  BR", () -> brotli("imei-gzip-br.br"), List.of("brotli", "gzip")),
                new Stack(" Gzip,Deflate , ZSTD ", () -> zstd(zlib(gzip(telemetry()))),
                        List.of("zstd", "deflate", "gzip")),
                // the chain goes on inside the last coding: a base64 field
                new Stack("deflate, gzip", () -> gzip(zlib(utf8("{\"d\":\"" + b64(telemetry()) + "\"}"))),
                        List.of("gzip", "deflate", "base64")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void everyListedCodingIsUndoneLastAppliedFirst(Stack s) {
        FlowScan scan = post(s.body().get(), s.contentEncoding());

        assertThat(scan.findings()).singleElement().satisfies(f -> {
            assertThat(f.canary()).isEqualTo(IMEI);
            assertThat(f.transforms()).isEqualTo(s.chain());
        });
        assertThat(scan.damage()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void aBodyCutAnywhereNeverThrows(Stack s) {
        byte[] body = s.body().get();
        for (int cut = 0; cut < body.length; cut += Math.max(1, body.length / 97)) {
            byte[] part = Arrays.copyOf(body, cut);
            assertThatCode(() -> post(part, s.contentEncoding())).as("cut at %d", cut).doesNotThrowAnyException();
        }
    }

    @Test
    void oneContentEncodingFieldPerCodingReadsAsOneList() {
        FlowScan scan = post(brotli("imei-gzip-br.br"), "gzip", "br");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("brotli", "gzip"));
        assertThat(scan.damage()).isEmpty();
    }

    @Test
    void theInnerGzipCutShortNamesItsLayerAndWhatDecodedIsSearched() {
        FlowScan scan = post(brotli("imei-gzip-cut-br.br"), "gzip, br");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("brotli", "gzip"));
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("after undoing brotli: gzip stream is cut short (the brotli output's 272 bytes end"
                        + " mid-stream): the ")
                .endsWith("bytes decoded before the cut were searched, the rest could not be decoded");
    }

    @Test
    void theInnerDeflateCutShortNamesItsLayer() {
        byte[] z = zlib(telemetry());
        FlowScan scan = post(gzip(Arrays.copyOf(z, z.length / 2)), "deflate, gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip", "deflate"));
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("after undoing gzip: deflate stream is cut short (the gzip output's " + z.length / 2
                        + " bytes end mid-stream)");
    }

    @Test
    void theInnerBrotliCutShortNamesItsLayer() {
        byte[] br = brotli("kind-imei.br");
        FlowScan scan = post(gzip(Arrays.copyOf(br, br.length / 2)), "br, gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip", "brotli"));
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("after undoing gzip: brotli stream is cut short or corrupt");
    }

    @Test
    void aCorruptInnerGzipNamesWhereItBrokeAndWhatDecodedIsSearched() {
        byte[] plain = telemetry();

        FlowScan scan = post(gzip(DamageTest.corruptGzip(plain)), "gzip, gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip", "gzip"));
        assertThat(scan.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("after undoing gzip: gzip stream is corrupt near byte ").contains("invalid block type")
                .contains("the " + plain.length + " bytes decoded before it were searched");
    }

    @Test
    void theOuterBrotliCutShortSaysSoAndTheGzipItYieldedSpeaksToo() {
        // Brotli stores a gzip stream uncompressed (it does not compress): org.brotli:dec yields nothing of a stored
        // meta-block cut short, so its bytes are read from the stream itself.
        byte[] br = brotli("imei-gzip-br.br");
        FlowScan scan = post(Arrays.copyOf(br, br.length / 2), "gzip, br");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("brotli", "gzip"));
        assertThat(scan.damage()).extracting(Damage::problem).satisfiesExactly(
                outer -> assertThat(outer).startsWith("brotli stream is cut short or corrupt")
                        .contains("(stored uncompressed: read from the stream as it stands)"),
                inner -> assertThat(inner).startsWith("after undoing brotli: gzip stream is cut short"));
    }

    @Test
    void theOuterGzipCutShortSaysSoAndTheBrotliItYieldedSpeaksToo() {
        byte[] gz = gzip(brotli("imei-q5.br"));
        FlowScan scan = post(Arrays.copyOf(gz, gz.length * 6 / 10), "br, gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip", "brotli"));
        assertThat(scan.damage()).extracting(Damage::problem).satisfiesExactly(
                outer -> assertThat(outer).startsWith("gzip stream is cut short (the body's "),
                inner -> assertThat(inner).startsWith("after undoing gzip: brotli stream is cut short or corrupt"));
    }

    @Test
    void anUnknownInnerCodingIsSaidAndWhatWasUndoneIsSearched() {
        FlowScan scan = post(gzip(telemetry()), "aes128gcm, gzip");

        assertThat(scan.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
        assertThat(scan.damage()).extracting(Damage::problem).containsExactly("after undoing gzip: declared"
                + " Content-Encoding aes128gcm is not one the engine decodes (gzip, deflate, br, zstd): searched as"
                + " gzip decoded it");
    }

    @Test
    void anUnknownOuterCodingStopsTheListAndSaysWhatWasNotUndone() {
        byte[] opaque = new byte[4096];
        new Random(5).nextBytes(opaque);
        opaque[0] = 0x42; // no compression magic

        FlowScan scan = post(opaque, "gzip, aes128gcm");

        assertThat(scan.findings()).isEmpty();
        assertThat(scan.damage()).extracting(Damage::problem).containsExactly("declared Content-Encoding aes128gcm"
                + " is not one the engine decodes (gzip, deflate, br, zstd): searched as sent; gzip, applied before"
                + " it, could not be undone");
    }

    /** Servers that compress once but declare two codings, in either order: what decodes is searched, damage said. */
    @Test
    void aBodyDeclaringTwoCodingsButCarryingOneIsSearchedAndReported() {
        byte[] gz = gzip(telemetry());

        FlowScan brLast = post(gz, "gzip, br");
        FlowScan brFirst = post(gz, "br, gzip");
        FlowScan zstdLast = post(gz, "gzip, zstd");
        FlowScan deflateFirst = post(gz, "deflate, gzip");
        FlowScan brOnly = post(brotli("kind-imei.br"), "gzip, br");

        for (FlowScan s : List.of(brLast, brFirst)) {
            assertThat(s.findings()).extracting(Finding::transforms).contains(List.of("gzip"));
            assertThat(s.damage()).extracting(Damage::problem).singleElement().asString()
                    .startsWith("after undoing gzip: brotli stream is cut short or corrupt");
        }
        assertThat(zstdLast.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
        assertThat(zstdLast.damage()).extracting(Damage::problem).containsExactly("after undoing gzip: declared zstd,"
                + " but the gzip output does not start as a zstd frame (28 b5 2f fd): searched as gzip decoded it");
        assertThat(deflateFirst.findings()).extracting(Finding::transforms).containsExactly(List.of("gzip"));
        assertThat(deflateFirst.damage()).extracting(Damage::problem).singleElement().asString()
                .startsWith("after undoing gzip: deflate stream is ");
        assertThat(brOnly.findings()).extracting(Finding::transforms).containsExactly(List.of("brotli"));
        assertThat(brOnly.damage()).extracting(Damage::problem).containsExactly("after undoing brotli: declared gzip,"
                + " but the brotli output does not start as gzip (1f 8b): searched as brotli decoded it");
    }

    @Test
    void codingsPastTheDepthLimitAreSaidNotUndone() {
        FlowScan scan = post(gzip(gzip(gzip(gzip(telemetry())))), "gzip, gzip, gzip, gzip");

        assertThat(scan.findings()).isEmpty();
        assertThat(scan.damage()).extracting(Damage::problem).containsExactly("after undoing gzip, then gzip: gzip,"
                + " applied before this gzip, not undone: the engine undoes at most 3 layers; the gzip output was"
                + " searched as it is");
    }

    @Test
    void randomBodiesDeclaringSeveralCodingsReportDamageAndNeverThrow() {
        Random r = new Random(17);
        List<String> declared = List.of("gzip, br", "br, gzip", "deflate, gzip", "zstd, br", "gzip, deflate, zstd");
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[64 + r.nextInt(2048)];
            r.nextBytes(b);
            String c = declared.get(i % declared.size());
            assertThat(post(b, c).damage()).as("body %d as %s", i, c).isNotEmpty();
        }
    }

    @Test
    void codingsAreReadAsTheyWereApplied() {
        assertThat(InflateDecoder.codings(" GZIP ,identity,, X-Gzip,br ")).containsExactly("gzip", "gzip", "br");
        assertThat(InflateDecoder.codings("identity")).isEmpty();
        assertThat(InflateDecoder.codings("")).isEmpty();
    }
}
