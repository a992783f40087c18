package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.HttpHeader;
import io.airlift.compress.zstd.ZstdCompressor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import static dev.consentry.leak.LeakDetectorTest.b64;
import static dev.consentry.leak.LeakDetectorTest.compress;
import static dev.consentry.leak.LeakDetectorTest.concat;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static dev.consentry.leak.LeakDetectorTest.percentAll;
import static dev.consentry.leak.LeakDetectorTest.unicodeEscapeAll;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Every canary kind through every transform and hash, alone and nested to the depth limit. */
class TransformTableTest {
    static final List<Canary> EVERY_KIND = List.of(
            Canary.of(CanaryKind.IMEI, "865123045678901"),
            Canary.of(CanaryKind.IMSI, "404451234567890"),
            Canary.of(CanaryKind.ICCID, "8991101200003204514"),
            Canary.of(CanaryKind.PHONE_NUMBER, "+919876500001"),
            Canary.of(CanaryKind.CONTACT_PHONE, "+919812345678"),
            Canary.of(CanaryKind.CONTACT_EMAIL, "Kiran.Canary@Example.org"),
            Canary.of(CanaryKind.CONTACT_NAME, "Canary Asha 4821"),
            Canary.of(CanaryKind.ANDROID_ID, "3f1a9c20d84e7b65"),
            Canary.of(CanaryKind.SERIAL, "Rk3a9X02"),
            Canary.of(CanaryKind.WIFI_MAC, "A4:5E:60:C1:02:9F"),
            Canary.of(CanaryKind.ADVERTISING_ID, "38400000-8cf0-11bd-b23e-10b96e40000d"),
            Canary.of(CanaryKind.ACCOUNT_EMAIL, "asha.owner@example.com"),
            Canary.of(CanaryKind.LOCATION, "12.97159,77.59457"));
    static final LeakDetector DETECTOR = new LeakDetector(EVERY_KIND);
    static final byte[] NOISE = utf8("\u00e9t\u00e9:0\u00ff/");

    record Chain(String name, List<String> transforms, Function<String, byte[]> body, String contentEncoding) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Chain chain(String name, List<String> transforms, Function<String, byte[]> body) {
        return new Chain(name, transforms, body, "");
    }

    static final List<Chain> CHAINS = List.of(
            chain("plain", List.of(), v -> utf8("{\"id\":\"" + v + "\"}")),
            chain("form (+ for space)", List.of("url"), v -> utf8("a=1&id=x+" + percentAll(v) + "+y&z=2")),
            chain("url, every byte", List.of("url"), v -> utf8("id=" + percentAll(v))),
            chain("url, twice", List.of("url"), v -> utf8("id=" + percentAll(v).replace("%", "%25"))),
            chain("base64", List.of("base64"), v -> utf8("d=" + b64("{\"when\":1712,\"id\":\"" + v + "\"}"))),
            chain("base64 url-safe unpadded, inside a longer string", List.of("base64"), v -> utf8("t=" + Base64
                    .getUrlEncoder().withoutPadding().encodeToString(concat(NOISE, utf8(v), NOISE, NOISE)))),
            chain("hex lower", List.of("hex"), v -> utf8("h=" + HexFormat.of().formatHex(utf8(v)))),
            chain("hex upper", List.of("hex"), v -> utf8("h=" + HexFormat.of().withUpperCase().formatHex(utf8(v)))),
            chain("json \\u escapes", List.of("json"), v -> utf8("{\"id\":\"" + unicodeEscapeAll(v) + "\"}")),
            chain("multipart", List.of(), v -> multipart(utf8("name=" + v))),
            chain("protobuf string", List.of(), v -> protobuf(utf8(v))),
            chain("gzip", List.of("gzip"), v -> gzip(utf8("{\"id\":\"" + v + "\"}"))),
            chain("zlib", List.of("deflate"), v -> compress(utf8("id=" + v), new Deflater())),
            new Chain("raw deflate, declared", List.of("deflate"),
                    v -> compress(utf8("id=" + v), new Deflater(6, true)), "deflate"),
            // One meta-block per character, so no form of the value appears until decoded.
            new Chain("brotli, declared", List.of("brotli"),
                    v -> brotli(("{\"id\":\"" + v + "\"}").chars().mapToObj(c -> new byte[]{(byte) c})
                            .toArray(byte[][]::new)), "br"),
            chain("zstd", List.of("zstd"), v -> zstd(utf8(letters(4000) + v + letters(100)))),
            chain("md5 hex", List.of("hex", "md5"), v -> utf8("h=" + hex(digest("MD5", v)))),
            chain("sha1 HEX", List.of("hex", "sha1"), v -> utf8("h=" + hex(digest("SHA-1", v)).toUpperCase(Locale.ROOT))),
            chain("sha256 base64", List.of("base64", "sha256"), v -> utf8("h=" + b64(digest("SHA-256", v)))),
            chain("sha512 base64 url-safe", List.of("base64", "sha512"),
                    v -> utf8("h=" + Base64.getUrlEncoder().encodeToString(digest("SHA-512", v)))),
            chain("sha256 truncated to 128 bits", List.of("hex", "sha256"),
                    v -> utf8("{\"hid\":\"" + hex(Arrays.copyOf(digest("SHA-256", v), 16)) + "\"}")),
            // Nested, to the depth limit.
            chain("url(base64)", List.of("url", "base64"), v -> utf8("d=" + percentAll(b64("x:" + v)))),
            chain("base64(gzip)", List.of("base64", "gzip"), v -> utf8("z=" + b64(gzip(utf8("id=" + v))))),
            chain("base64(zstd(json))", List.of("base64", "zstd", "json"),
                    v -> utf8("z=" + b64(zstd(utf8(letters(3000) + unicodeEscapeAll(v)))))),
            chain("multipart(gzip)", List.of("multipart", "gzip"), v -> multipart(gzip(utf8("id=" + v)))),
            chain("protobuf(gzip)", List.of("protobuf", "gzip"), v -> protobuf(gzip(utf8("id=" + v)))),
            chain("gzip(protobuf(sha1 raw, 64 bits))", List.of("gzip", "protobuf", "sha1"),
                    v -> gzip(protobuf(Arrays.copyOf(digest("SHA-1", v), 8)))),
            chain("gzip(json(base64))", List.of("gzip", "json", "base64"),
                    v -> gzip(utf8("{\"s\":\"" + unicodeEscapeAll(b64("n=" + v)) + "\"}"))),
            chain("gzip(url(hex))", List.of("gzip", "url", "hex"),
                    v -> gzip(utf8("q=" + percentAll(HexFormat.of().formatHex(utf8(v)))))),
            chain("gzip(sha256 hex)", List.of("gzip", "hex", "sha256"),
                    v -> gzip(utf8("{\"h\":\"" + hex(digest("SHA-256", v)) + "\"}"))),
            chain("base64(gzip(sha1 base64))", List.of("base64", "gzip", "base64", "sha1"),
                    v -> utf8("z=" + b64(gzip(utf8("h=" + b64(digest("SHA-1", v))))))));

    static Stream<Arguments> kindsTimesChains() {
        return EVERY_KIND.stream().flatMap(c -> CHAINS.stream().map(ch -> Arguments.of(c.kind().id(), c, ch)));
    }

    @ParameterizedTest(name = "{0} via {2}")
    @MethodSource("kindsTimesChains")
    void everyKindThroughEveryChain(String kind, Canary canary, Chain chain) {
        List<HttpHeader> headers = chain.contentEncoding().isEmpty() ? List.of()
                : List.of(new HttpHeader("Content-Encoding", chain.contentEncoding()));
        List<Finding> findings = DETECTOR.scan(flow("/sync", headers, chain.body().apply(canary.value())));

        assertThat(findings).extracting(Finding::canary, Finding::location, Finding::transforms, Finding::form)
                .containsExactly(tuple(canary, "body", chain.transforms(), canary.value()));
    }

    @org.junit.jupiter.api.Test
    void benignCorpusYieldsNothingForAnyKindOrHash() {
        java.util.Random r = new java.util.Random(11);
        byte[] png = new byte[256 * 1024];
        r.nextBytes(png);
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        StringBuilder json = new StringBuilder("{\"items\":[");
        StringBuilder lookAlike = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            json.append("{\"id\":").append(r.nextLong()).append(",\"uid\":\"").append(new java.util.UUID(
                    r.nextLong(), r.nextLong())).append("\",\"h\":\"").append(hex(digest("SHA-256", "n" + i)))
                    .append("\",\"lat\":").append(12.9 + r.nextDouble() / 100).append(",\"b\":\"")
                    .append(b64(Long.toString(r.nextLong()))).append("\"},");
            // 15-digit numbers starting like the IMEI, +91 numbers, MACs and e-mails of the same shape.
            lookAlike.append("8651230").append(10_000_000 + r.nextInt(89_999_999)).append(" +9198765")
                    .append(10_000 + r.nextInt(89_999)).append(String.format(" A4:5E:60:%02X:%02X:%02X ",
                            r.nextInt(256), r.nextInt(256), r.nextInt(256))).append("kiran.canary").append(i)
                    .append("@example.org\n");
        }
        byte[] text = utf8(json.append("{}]}").toString());
        List<byte[]> corpus = List.of(png, text, gzip(text), zstd(text), utf8(b64(gzip(text))),
                utf8(lookAlike.toString()), utf8(percentAll(lookAlike.substring(0, 20_000))));
        for (byte[] body : corpus) {
            assertThat(DETECTOR.scan(flow("/v1/batch?sig=" + hex(digest("SHA-1", "x")), List.of(), body))).isEmpty();
        }
        // Protobuf fixes near the location canary (12.97159, 77.59457) in E7 and E6 varints, an sfixed32 E7, a float
        // and a random fixed32, none at its 5 decimals.
        ByteArrayOutputStream fixes = new ByteArrayOutputStream();
        for (int i = 0; i < 5_000; i++) {
            long lat = 129_000_000L + r.nextInt(1_000_000);
            long lon = 775_000_000L + r.nextInt(1_000_000);
            if (Math.abs(lat - 129_715_900L) < 300 || Math.abs(lon - 775_945_700L) < 300) {
                continue;
            }
            fixes.writeBytes(GrpcFramingTest.field(1, concat(WireNumbersTest.varintField(1, lat),
                    WireNumbersTest.varintField(2, lon), WireNumbersTest.varintField(3, lat / 10),
                    WireNumbersTest.varintField(4, -lon / 10), WireNumbersTest.varintField(5, r.nextLong()),
                    WireNumbersTest.fixed32Field(6, (int) lat),
                    WireNumbersTest.fixed32Field(7, Float.floatToIntBits(lon / 1e7f)),
                    WireNumbersTest.fixed32Field(8, r.nextInt()))));
        }
        List<HttpHeader> protobuf = List.of(new HttpHeader("Content-Type", "application/x-protobuf"));
        byte[] benign = fixes.toByteArray();
        assertThat(DETECTOR.scan(flow("/v1/fixes", protobuf, benign))).isEmpty();
        // The same fixes with the canary's own among them are found: the corpus is read as protobuf.
        assertThat(DETECTOR.scan(flow("/v1/fixes", protobuf, concat(benign,
                GrpcFramingTest.field(1, WireNumbersTest.varintField(1, 129_715_942L))))))
                .extracting(Finding::form, Finding::transforms)
                .containsExactly(tuple("12.97159", List.of("protobuf", "e7")));
        assertThat(DETECTOR.scan(flow("/v1/fixes", protobuf, concat(benign,
                GrpcFramingTest.field(1, WireNumbersTest.fixed32Field(7, Float.floatToIntBits(77.594571f)))))))
                .extracting(Finding::form, Finding::transforms)
                .containsExactly(tuple("77.59457", List.of("protobuf", "float")));
    }

    // --- encoders the JDK lacks

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] digest(String algorithm, String v) {
        try {
            return MessageDigest.getInstance(algorithm).digest(utf8(v));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] multipart(byte[] content) {
        return concat(utf8("--b0undary42\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\nv=1\r\n"
                        + "--b0undary42\r\nContent-Disposition: form-data; name=\"f\"; filename=\"c.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n"), content,
                utf8("\r\n--b0undary42--\r\n"));
    }

    /** A message: 1: varint 150, 2: the content as bytes, 3: "hello". */
    static byte[] protobuf(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x08, (byte) 0x96, 0x01, 0x12});
        int len = content.length;
        while (len >= 0x80) {
            out.write((len & 0x7f) | 0x80);
            len >>>= 7;
        }
        out.write(len);
        out.writeBytes(content);
        out.writeBytes(new byte[]{0x1a, 5});
        out.writeBytes(utf8("hello"));
        return out.toByteArray();
    }

    static byte[] zstd(byte[] data) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(data.length)];
        int n = c.compress(data, 0, data.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }

    /** Text whose literals zstd Huffman-codes, so nothing after it is stored as is. */
    static String letters(int n) {
        java.util.Random r = new java.util.Random(n);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + r.nextInt(26)));
        }
        return s.toString();
    }

    /**
     * A valid brotli stream holding each block in an uncompressed meta-block (RFC 7932 section 9.2); Maven Central
     * has no pure-Java brotli encoder, and the decoder must read such streams as any other.
     */
    static byte[] brotli(byte[]... blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (byte[] data : blocks) {
            if (data.length == 0 || data.length > 65536) {
                throw new IllegalArgumentException("a meta-block holds 1..65536 bytes");
            }
            // Bits, least significant first: [WBITS=16 (0)], ISLAST=0, MNIBBLES=4 (00), MLEN-1, ISUNCOMPRESSED=1.
            int n = first ? 1 : 0;
            long bits = (long) (data.length - 1) << (n + 3);
            bits |= 1L << (n + 19);
            n += 20;
            for (int i = 0; i < (n + 7) / 8; i++) {
                out.write((int) (bits >>> (8 * i)) & 0xff);
            }
            out.writeBytes(data);
            first = false;
        }
        out.write(0b11); // ISLAST=1, ISLASTEMPTY=1
        return out.toByteArray();
    }
}
