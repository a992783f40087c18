package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
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
    static final List<Canary> CANARIES = Stream.concat(TransformTableTest.EVERY_KIND.stream(), SHORTEST.stream())
            .toList();
    static final LeakDetector DETECTOR = new LeakDetector(CANARIES);

    @Test
    void everyKindAndTheShortestValuesThroughEveryChainToDepthThree() {
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (List<Transform> chain : chains()) {
            for (Canary canary : CANARIES) {
                byte[] body = encode(chain, canary.value());
                List<String> expected = reported(chain);
                tried++;
                List<List<String>> got = DETECTOR.scan(LeakDetectorTest.flow("/s", List.<HttpHeader>of(), body))
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

    /**
     * The same chains, whose outer layer is text, with the value among others where requests carry it: a header, a
     * cookie, a form field, a JSON string and (when it needs no further escaping) a query parameter. A compressed
     * stream under url or JSON escapes then starts inside the decoded view, after "id=" (before, url of gzip in a form
     * field or query parameter, and JSON of url of gzip, were missed).
     */
    @Test
    void everyTextChainInEveryPlaceOfARequest() {
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (List<Transform> chain : chains()) {
            if (chain.get(0).compresses()) {
                continue; // binary: not a header's, cookie's or query's text
            }
            List<String> expected = reported(chain);
            for (Canary canary : CANARIES) {
                String v = new String(encode(chain, canary.value()), StandardCharsets.US_ASCII);
                Map<String, CapturedFlow> places = new LinkedHashMap<>();
                places.put("header:x-id", flow("/s", List.of(new HttpHeader("X-Id", v)), ""));
                places.put("cookie:id", flow("/s", List.of(new HttpHeader("Cookie", "a=1; id=" + v + "; b=2")), ""));
                places.put("body", flow("/s", List.of(), "a=1&id=" + v + "&z=2"));
                places.put("body ", flow("/s", List.of(), "{\"t\":1712,\"id\":\"" + v + "\",\"z\":2}"));
                if (v.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_.~%".indexOf(c) >= 0)) {
                    places.put("url", flow("/s?a=1&id=" + v + "&z=2", List.of(), ""));
                }
                for (Map.Entry<String, CapturedFlow> place : places.entrySet()) {
                    tried++;
                    String location = place.getKey().strip();
                    List<List<String>> got = DETECTOR.scan(place.getValue()).stream()
                            .filter(f -> f.canary().equals(canary) && f.location().equals(location))
                            .map(Finding::transforms).toList();
                    if (!got.equals(List.of(expected))) {
                        wrong.add(place.getKey() + " " + chain.stream().map(Transform::name).toList() + " "
                                + canary.value() + ": expected " + expected + ", got " + got);
                    }
                }
            }
        }
        assertThat(tried).isGreaterThan(15000);
        assertThat(wrong).isEmpty();
    }

    /**
     * base64 or hex of a protobuf message with no text in it (a raw digest, truncated as SDKs do, or a compressed
     * field, beside a number, or an 8-byte digest alone, 14 base64 characters): the runs' text rule saw nothing worth
     * decoding, so these were missed (1 of 39 digests was found, by chance). Each value in a JSON string, as APIs send
     * protobuf {@code bytes}.
     */
    @Test
    void aMessageWithoutTextUnderBase64OrHexIsDecoded() throws Exception {
        List<Canary> canaries = new ArrayList<>(TransformTableTest.EVERY_KIND);
        LeakDetector detector = new LeakDetector(canaries);
        List<String> wrong = new ArrayList<>();
        for (Canary canary : canaries) {
            byte[] value = canary.value().getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value);
            Map<List<String>, byte[]> fields = new LinkedHashMap<>();
            for (int bytes : new int[]{8, 16, 32}) {
                fields.put(List.of("sha256", String.valueOf(bytes)), Arrays.copyOf(digest, bytes));
            }
            fields.put(List.of("sha256", "8", "alone"), Arrays.copyOf(digest, 8));
            fields.put(List.of("gzip"), LeakDetectorTest.gzip(value));
            fields.put(List.of("deflate"), LeakDetectorTest.compress(value, new Deflater()));
            for (Map.Entry<List<String>, byte[]> field : fields.entrySet()) {
                // "alone": the digest is the message's only field, 10 bytes, 14 base64 characters.
                byte[] message = field.getKey().contains("alone") ? Arrays.copyOf(messageOf(field.getValue()), 10)
                        : messageOf(field.getValue());
                Map<String, String> outer = Map.of("base64", Base64.getEncoder().encodeToString(message),
                        "hex", HexFormat.of().formatHex(message));
                for (Map.Entry<String, String> text : outer.entrySet()) {
                    // A digest's hex is there in the message's hex as it is: the simplest chain leaves protobuf out.
                    boolean plainInHex = text.getKey().equals("hex") && field.getKey().get(0).equals("sha256");
                    List<String> expected = plainInHex ? List.of("hex", "sha256")
                            : List.of(text.getKey(), "protobuf", field.getKey().get(0));
                    List<List<String>> got = detector.scan(flow("/s", List.of(), "{\"ext\":\"" + text.getValue() + "\"}"))
                            .stream().filter(f -> f.canary().equals(canary)).map(Finding::transforms).toList();
                    if (!got.equals(List.of(expected))) {
                        wrong.add(canary.value() + " " + field.getKey() + " in " + text.getKey() + ": got " + got);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Field 1: the bytes; field 2: the number 1. */
    private static byte[] messageOf(byte[] field) {
        byte[] m = new byte[field.length + 4];
        m[0] = 0x0a;
        m[1] = (byte) field.length;
        System.arraycopy(field, 0, m, 2, field.length);
        m[field.length + 2] = 0x10;
        m[field.length + 3] = 0x01;
        return m;
    }

    /**
     * A field whose bytes parse as a message by chance (zlib's 78 9c reads as field 15, base64 text as fields of its
     * letters) was walked as a message only, and what it held was missed.
     */
    @Test
    void aFieldThatParsesAsAMessageByChanceIsStillDecoded() {
        Canary shortSerial = SHORTEST.get(1);
        Canary serial = Canary.of(CanaryKind.SERIAL, "Rk3a9X02");
        LeakDetector detector = new LeakDetector(List.of(shortSerial, serial));
        byte[] text = Base64.getUrlEncoder().withoutPadding().encode(LeakDetectorTest.compress(
                utf8(shortSerial.value()), new Deflater()));
        byte[] zlib = LeakDetectorTest.compress(Base64.getEncoder().encode(utf8(serial.value())), new Deflater());
        assertThat(ProtobufWire.parses(text, 0, text.length)).isTrue();
        assertThat(ProtobufWire.parses(zlib, 0, zlib.length)).isTrue();

        assertThat(detector.scan(LeakDetectorTest.flow("/s", List.of(), TransformTableTest.protobuf(text))))
                .extracting(Finding::canary, Finding::transforms)
                .containsExactly(tuple(shortSerial, List.of("protobuf", "base64", "deflate")));
        assertThat(detector.scan(LeakDetectorTest.flow("/s", List.of(), TransformTableTest.protobuf(zlib))))
                .extracting(Finding::canary, Finding::transforms)
                .containsExactly(tuple(serial, List.of("protobuf", "deflate", "base64")));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static CapturedFlow flow(String path, List<HttpHeader> headers, String body) {
        return LeakDetectorTest.flow(path, headers, body.getBytes(StandardCharsets.US_ASCII));
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

    /** The value through the chain, innermost transform first. */
    static byte[] encode(List<Transform> chain, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        for (int i = chain.size() - 1; i >= 0; i--) {
            b = chain.get(i).apply().apply(b);
        }
        return b;
    }

    static List<String> reported(List<Transform> chain) {
        return chain.stream().map(Transform::reported).toList();
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
