package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.capture.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.consentry.leak.LeakDetectorTest.b64;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.percentAll;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static dev.consentry.leak.TransformTableTest.DETECTOR;
import static dev.consentry.leak.TransformTableTest.EVERY_KIND;
import static dev.consentry.leak.TransformTableTest.multipart;
import static dev.consentry.leak.TransformTableTest.protobuf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Brotli that nothing declares: a whole body, or inside base64, hex, protobuf and multipart. The fixtures are real encoder output
 * (resources/dev/consentry/leak/brotli/make-fixtures.py: Debian's python3-brotli 1.0.9, quality 11): a JSON document
 * with the canary first, then 40 events, about 2.3 KB compressed to about 380 bytes.
 */
class BrotliTest {
    record Wrap(String name, List<String> transforms, Function<byte[], byte[]> body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Wrap> WRAPS = List.of(
            new Wrap("the whole body, no Content-Encoding", List.of("brotli"), br -> br),
            new Wrap("base64 in a JSON field", List.of("base64", "brotli"),
                    br -> utf8("{\"v\":3,\"blob\":\"" + b64(br) + "\",\"n\":1}")),
            new Wrap("base64url unpadded in a query", List.of("base64", "brotli"),
                    br -> utf8("z=" + Base64.getUrlEncoder().withoutPadding().encodeToString(br) + "&v=3")),
            new Wrap("hex in a form field", List.of("hex", "brotli"),
                    br -> utf8("a=1&blob=" + HexFormat.of().formatHex(br) + "&b=2")),
            new Wrap("HEX in a form field", List.of("hex", "brotli"),
                    br -> utf8("a=1&blob=" + HexFormat.of().withUpperCase().formatHex(br) + "&b=2")),
            new Wrap("a protobuf field", List.of("protobuf", "brotli"), TransformTableTest::protobuf),
            new Wrap("a multipart part", List.of("multipart", "brotli"), TransformTableTest::multipart),
            new Wrap("url-encoded base64", List.of("url", "base64", "brotli"),
                    br -> utf8("d=" + percentAll(b64(br)))),
            new Wrap("base64, truncated to 60%", List.of("base64", "brotli"),
                    br -> utf8("{\"blob\":\"" + b64(Arrays.copyOf(br, br.length * 6 / 10)) + "\"}")),
            new Wrap("a protobuf field, truncated to 40%", List.of("protobuf", "brotli"),
                    br -> protobuf(Arrays.copyOf(br, br.length * 4 / 10))));

    static byte[] fixture(String name) {
        try (InputStream in = BrotliTest.class.getResourceAsStream("brotli/" + name)) {
            if (in == null) {
                throw new AssertionError("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> kindsTimesWraps() {
        return EVERY_KIND.stream().flatMap(c -> WRAPS.stream().map(w -> Arguments.of(c.kind().id(), c, w)));
    }

    @ParameterizedTest(name = "{0} in brotli in {2}")
    @MethodSource("kindsTimesWraps")
    void undeclaredBrotliInsideABlobIsFoundWithItsChain(String kind, Canary canary, Wrap wrap) {
        byte[] br = fixture("kind-" + kind + ".br");

        List<Finding> findings = DETECTOR.scan(flow("/collect", List.of(), wrap.body().apply(br)));

        assertThat(findings).extracting(Finding::canary, Finding::transforms, Finding::form)
                .containsExactly(tuple(canary, wrap.transforms(), canary.value()));
    }

    @Test
    void aBinaryWebSocketMessageOfUndeclaredBrotliIsFound() {
        Canary imei = EVERY_KIND.get(0);
        byte[] br = fixture("kind-imei.br");

        assertThat(DETECTOR.scanMessage(flow("/ws", List.of(), new byte[0]), "websocket", br))
                .extracting(Finding::canary, Finding::location, Finding::transforms)
                .containsExactly(tuple(imei, "websocket", List.of("brotli")));
    }

    @Test
    void otherQualitiesWindowsAndAShortDocumentAreFoundToo() {
        Canary imei = EVERY_KIND.get(0);
        for (String name : List.of("imei-q5.br", "imei-short.br", "imei-q0.br", "imei-q2-w10.br", "imei-q9-w16.br",
                "imei-q11-w24.br")) {
            byte[] body = utf8("{\"blob\":\"" + b64(fixture(name)) + "\"}");
            assertThat(DETECTOR.scan(flow("/collect", List.of(), body))).as(name)
                    .extracting(Finding::canary, Finding::transforms)
                    .containsExactly(tuple(imei, List.of("base64", "brotli")));
        }
    }

    /** org.brotli:dec hands out nothing of a truncated stream by itself; what decoded before the cut is searched. */
    @Test
    void aTruncatedDeclaredBodyYieldsWhatDecodedBeforeTheCut() {
        byte[] br = fixture("kind-imei.br");
        byte[] body = Arrays.copyOf(br, br.length / 2);

        assertThat(DETECTOR.scan(flow("/collect", List.of(new HttpHeader("Content-Encoding", "br")), body)))
                .extracting(Finding::canary, Finding::transforms)
                .containsExactly(tuple(EVERY_KIND.get(0), List.of("brotli")));
    }

    @Test
    void theHeaderCheckTakesEncoderOutputAndRefusesWhatHoldsNothingCompressed() {
        for (Canary c : EVERY_KIND) {
            byte[] br = fixture("kind-" + c.kind().id() + ".br");
            assertThat(Brotli.headerFits(br, br.length, br.length)).as(c.kind().id()).isTrue();
        }
        // WBITS 16, ISLAST, ISLASTEMPTY: an empty stream.
        assertThat(Brotli.headerFits(new byte[]{0b110, 0, 0, 0, 0}, 5, 5)).isFalse();
        // A stored (uncompressed) first meta-block: its bytes are plain to see.
        byte[] stored = TransformTableTest.brotli(utf8("{\"imei\":\"865123045678901\"}"));
        assertThat(Brotli.headerFits(stored, stored.length, stored.length)).isFalse();
        // A meta-block of 60,000 bytes claimed by 20 bytes of input.
        byte[] big = {0, 0, 0, 0, 0};
        long bits = 1L << 1 | (60_000L - 1) << 5; // WBITS 16 (0), ISLAST 1, ISLASTEMPTY 0, MNIBBLES 4 (00), MLEN-1
        for (int i = 0; i < 5; i++) {
            big[i] = (byte) (bits >>> (8 * i));
        }
        assertThat(Brotli.headerFits(big, 5, 20)).isFalse();
        assertThat(Brotli.headerFits(big, 5, 2_000)).isTrue();
    }

    @Test
    void theFirstPrefixCodeCheckTakesEncoderOutputAndRefusesMostRandomHeaders() {
        for (Canary c : EVERY_KIND) {
            byte[] br = fixture("kind-" + c.kind().id() + ".br");
            assertThat(Brotli.firstCodeFits(br)).as(c.kind().id()).isTrue();
        }
        for (String name : List.of("imei-q5.br", "imei-short.br", "imei-q0.br", "imei-q2-w10.br", "imei-q9-w16.br",
                "imei-q11-w24.br")) {
            byte[] br = fixture(name);
            assertThat(Brotli.headerFits(br, br.length, br.length) && Brotli.firstCodeFits(br)).as(name).isTrue();
        }
        Random r = new Random(77);
        int header = 0;
        int both = 0;
        for (int i = 0; i < 40_000; i++) {
            byte[] blob = new byte[64 + r.nextInt(1024)];
            r.nextBytes(blob);
            if (Brotli.headerFits(blob, blob.length, blob.length)) {
                header++;
                both += Brotli.firstCodeFits(blob) ? 1 : 0;
            }
        }
        // Measured: about 1 in 25 random blobs that pass the header check also pass the prefix code checks (1 in 7
        // with the first code alone).
        assertThat(header).isGreaterThan(1_000);
        assertThat(both).isLessThan(header / 12);
    }

    /**
     * Random bytes of every size, where the guess is tried: never a finding, and almost never anything decoded. The
     * bound is what the header check and the plausibility of the first decoded bytes give (measured: 0 of these).
     */
    @Test
    void randomBinaryIsNeverReportedAndRarelyEvenDecoded() {
        Random r = new Random(1932);
        int decoded = 0;
        int tried = 0;
        for (int size : new int[]{6, 12, 16, 24, 32, 64, 128, 256, 1024, 4096}) {
            for (int i = 0; i < (size >= 1024 ? 200 : 2_000); i++) {
                byte[] blob = new byte[size];
                r.nextBytes(blob);
                tried++;
                decoded += Brotli.guess(blob, 1 << 20).length > 0 ? 1 : 0;
                if (i % 20 == 0) {
                    for (byte[] body : List.of(blob, utf8("{\"blob\":\"" + b64(blob) + "\"}"),
                            utf8("a=1&h=" + HexFormat.of().formatHex(blob)), protobuf(blob), multipart(blob))) {
                        assertThat(DETECTOR.scan(flow("/collect", List.of(), body))).isEmpty();
                    }
                }
            }
        }
        assertThat(tried).isEqualTo(16_400);
        assertThat(decoded).as("random blobs taken for brotli").isLessThanOrEqualTo(3);
    }

    @Test
    void storedMetaBlocksCutAnywhereYieldTheirBytesUpToTheCut() {
        // The encoder stores a gzip stream uncompressed (it does not compress further): one meta-block, a 4-byte
        // header before it (window, lengths, the stored flag) and an empty last one after it.
        byte[] br = fixture("imei-gzip-br.br");
        byte[] whole = Brotli.decodeDeclared(br, 1 << 20).bytes();
        assertThat(br.length).isEqualTo(whole.length + 4);
        assertThat(Brotli.storedPrefix(br, 1 << 20)).as("whole: the decoder's own").isEmpty();
        for (int cut = 0; cut < br.length - 1; cut++) {
            byte[] part = Arrays.copyOf(br, cut);
            Brotli.Decoded d = Brotli.decodeDeclared(part, 1 << 20);
            assertThat(d.bytes()).as("cut at %d", cut).isEqualTo(Arrays.copyOf(whole, Math.max(0, cut - 3)));
            assertThat(d.damage()).as("cut at %d", cut).startsWith("stream is cut short or corrupt");
        }
        assertThat(Brotli.storedPrefix(Arrays.copyOf(br, 200), 100)).isEqualTo(Arrays.copyOf(whole, 100));
        // Compressed from the first meta-block: nothing stored to read.
        assertThat(Brotli.storedPrefix(Arrays.copyOf(fixture("kind-imei.br"), 200), 1 << 20)).isEmpty();
        assertThat(Brotli.storedPrefix(Arrays.copyOf(fixture("imei-q0.br"), 200), 1 << 20)).isEmpty();
    }

    /**
     * Only bodies whose declared brotli did not decode get here (damage already), and what they yield is a slice of
     * their own bytes, searched again: about 1 in 16 random bodies read as a stored meta-block cut short.
     */
    @Test
    void bodiesThatAreNotBrotliSeldomReadAsStoredMetaBlocks() {
        Random r = new Random(23);
        int read = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[16 + r.nextInt(4096)];
            r.nextBytes(b);
            read += Brotli.storedPrefix(b, 1 << 20).length > 0 ? 1 : 0;
        }
        assertThat(read).as("of 20,000 random bodies").isBetween(800, 1500);
    }
}
