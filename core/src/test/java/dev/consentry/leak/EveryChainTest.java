package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.HttpHeader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Every ordered chain of up to three transforms, each value alone as the whole body (no key or neighbour to lengthen
 * a layer), for every kind and for the shortest values accepted: 6 characters with a space, 6 and 8 without. A short
 * value makes short layers, which the detector's length thresholds must still decode (before: base64 of base64 of a
 * 6-character name, a run of 11, and a form-encoded "Li+Wei" or "Li\u0020Wei", views under 12 bytes, were missed).
 * zstd is left to {@link TransformTableTest}: it stores inputs this small as they are.
 */
class EveryChainTest {
    record Transform(String name, String reported, boolean compresses, UnaryOperator<byte[]> apply) {
    }

    static final List<Transform> TRANSFORMS = List.of(
            new Transform("url", "url", false, EveryChainTest::percentAll),
            new Transform("base64", "base64", false, b -> Base64.getEncoder().encode(b)),
            new Transform("base64 url-safe unpadded", "base64", false,
                    b -> Base64.getUrlEncoder().withoutPadding().encode(b)),
            new Transform("hex", "hex", false, b -> ascii(HexFormat.of().formatHex(b))),
            new Transform("json", "json", false, EveryChainTest::unicodeEscapeAll),
            new Transform("gzip", "gzip", true, LeakDetectorTest::gzip),
            new Transform("zlib", "deflate", true, b -> LeakDetectorTest.compress(b, new Deflater())));

    static final List<Canary> SHORTEST = List.of(
            Canary.of(CanaryKind.CONTACT_NAME, "Li Wei"),
            Canary.of(CanaryKind.SERIAL, "a1b2c3"),
            Canary.of(CanaryKind.SERIAL, "Qm7x2P9z"));

    @Test
    void everyKindAndTheShortestValuesThroughEveryChainToDepthThree() {
        List<Canary> canaries = new ArrayList<>(TransformTableTest.EVERY_KIND);
        canaries.addAll(SHORTEST);
        LeakDetector detector = new LeakDetector(canaries);
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (List<Transform> chain : chains()) {
            for (Canary canary : canaries) {
                byte[] body = canary.value().getBytes(StandardCharsets.UTF_8);
                for (int i = chain.size() - 1; i >= 0; i--) {
                    body = chain.get(i).apply().apply(body);
                }
                List<String> expected = chain.stream().map(Transform::reported).toList();
                tried++;
                List<List<String>> got = detector.scan(LeakDetectorTest.flow("/s", List.<HttpHeader>of(), body))
                        .stream().filter(f -> f.canary().equals(canary)).map(Finding::transforms).toList();
                if (!got.equals(List.of(expected))) {
                    wrong.add(chain.stream().map(Transform::name).toList() + " " + canary.value() + ": expected "
                            + expected + ", got " + got);
                }
            }
        }
        assertThat(tried).isGreaterThan(5000);
        assertThat(wrong).isEmpty();
    }

    @Test
    void aDeclaredCodingOnABodyTooShortForAnyCanaryIsStillCheckedButAnEmptyBodyIsNot() {
        LeakDetector detector = new LeakDetector(List.of(Canary.of(CanaryKind.IMEI, "865123045678901")));
        List<HttpHeader> gzip = List.of(new HttpHeader("Content-Encoding", "gzip"));

        assertThat(detector.inspect(LeakDetectorTest.flow("/s", gzip, new byte[]{0x1f, (byte) 0x8b, 8})).damage())
                .extracting(Damage::location, Damage::problem)
                .containsExactly(tuple("body",
                        "gzip header is cut short or not deflate: nothing decoded, searched as sent"));
        assertThat(detector.inspect(LeakDetectorTest.flow("/s", gzip, new byte[0])).damage()).isEmpty();
    }

    /** Every ordered chain of one to three transforms, without url of url or json of json (reported as one layer) or
     * JSON escapes around compressed bytes (a JSON string holds text). */
    static List<List<Transform>> chains() {
        List<List<Transform>> out = new ArrayList<>();
        for (Transform a : TRANSFORMS) {
            out.add(List.of(a));
            for (Transform b : TRANSFORMS) {
                out.add(List.of(a, b));
                for (Transform c : TRANSFORMS) {
                    out.add(List.of(a, b, c));
                }
            }
        }
        out.removeIf(chain -> {
            for (int i = 0; i + 1 < chain.size(); i++) {
                Transform outer = chain.get(i);
                Transform inner = chain.get(i + 1);
                boolean repeat = outer == inner && (outer.name().equals("url") || outer.name().equals("json"));
                if (repeat || outer.name().equals("json") && inner.compresses()) {
                    return true;
                }
            }
            return false;
        });
        return out;
    }

    static byte[] percentAll(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append('%').append(String.format("%02X", x & 0xff));
        }
        return ascii(s.toString());
    }

    static byte[] unicodeEscapeAll(byte[] utf8) {
        StringBuilder s = new StringBuilder();
        new String(utf8, StandardCharsets.UTF_8).chars().forEach(c -> s.append(String.format("\\u%04x", c)));
        return ascii(s.toString());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
