package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class LeakDetectorTest {
    static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");
    static final Canary PHONE = Canary.of(CanaryKind.PHONE_NUMBER, "+919876500001");
    static final Canary CONTACT = Canary.of(CanaryKind.CONTACT_PHONE, "+919812345678");
    static final List<Canary> ALL = List.of(IMEI, PHONE, CONTACT);
    static final LeakDetector DETECTOR = new LeakDetector(ALL);

    /** How a body is built from a canary value, and the chain the detector must report for it. */
    record Chain(String name, List<String> transforms, Function<String, byte[]> body, String contentEncoding) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Chain> CHAINS = List.of(
            new Chain("plain", List.of(), v -> utf8("{\"id\":\"" + v + "\"}"), ""),
            new Chain("url", List.of("url"), v -> utf8("a=1&id=" + percentAll(v)), ""),
            new Chain("base64", List.of("base64"), v -> utf8("d=" + b64("{\"when\":1712,\"id\":\"" + v + "\"}")), ""),
            new Chain("url(base64)", List.of("url", "base64"), v -> utf8("d=" + percentAll(b64("x:" + v))), ""),
            new Chain("gzip", List.of("gzip"), v -> gzip(utf8("{\"id\":\"" + v + "\"}")), "gzip"),
            new Chain("gzip(base64)", List.of("gzip", "base64"),
                    v -> gzip(utf8("{\"blob\":\"" + b64("contacts=" + v + ";") + "\"}")), "gzip"),
            new Chain("json", List.of("json"), v -> utf8("{\"id\":\"" + unicodeEscapeAll(v) + "\"}"), ""),
            new Chain("hex", List.of("hex"), v -> utf8("h=" + HexFormat.of().formatHex(utf8(v))), ""),
            // Deeper mixes, to the depth limit.
            new Chain("base64(gzip)", List.of("base64", "gzip"), v -> utf8("z=" + b64(gzip(utf8("id=" + v)))), ""),
            new Chain("gzip(json(base64))", List.of("gzip", "json", "base64"),
                    v -> gzip(utf8("{\"s\":\"" + unicodeEscapeAll(b64("n=" + v)) + "\"}")), ""));

    static Stream<Arguments> kindsTimesChains() {
        return ALL.stream().flatMap(c -> CHAINS.stream().map(ch -> Arguments.of(c.kind().id(), c, ch)));
    }

    @ParameterizedTest(name = "{0} via {2}")
    @MethodSource("kindsTimesChains")
    void findsEveryKindThroughEveryChain(String kind, Canary canary, Chain chain) {
        List<HttpHeader> headers = chain.contentEncoding().isEmpty() ? List.of()
                : List.of(new HttpHeader("Content-Encoding", chain.contentEncoding()));
        List<Finding> findings = DETECTOR.scan(flow("/sync", headers, chain.body().apply(canary.value())));

        assertThat(findings).extracting(Finding::canary, Finding::location, Finding::transforms, Finding::form)
                .containsExactly(tuple(canary, "body", chain.transforms(), canary.value()));
        Finding f = findings.get(0);
        assertThat(f.flowId()).isEqualTo("f1");
        assertThat(f.host()).isEqualTo("api.account.xiaomi.com");
        assertThat(f.scheme()).isEqualTo("http");
    }

    /** An IMEI as printed with separators (3GPP's AA-BBBBBB-CCCCCC-D and others), plain and in base64, is found. */
    @Test
    void anImeiWithSeparatorsIsFoundAsThatForm() {
        for (String printed : List.of("86-512304-567890-1", "86 512304 567890 1", "86512304-567890-1",
                "865123-04-567890-1", "86-512304-567890")) {
            for (boolean base64 : new boolean[]{false, true}) {
                String v = base64 ? b64("imei=" + printed) : printed;
                assertThat(DETECTOR.scan(flow("/s", List.of(), utf8("{\"d\":\"" + v + "\"}"))))
                        .as(printed).extracting(Finding::canary, Finding::form, Finding::transforms)
                        .containsExactly(tuple(IMEI, printed, base64 ? List.of("base64") : List.of()));
            }
        }
    }

    /**
     * HTTP/2 and 3 carry the host in :authority, which mitmproxy keeps out of the headers: an identifier in a host name
     * is found as "host" there; where a Host header names the host (HTTP/1.1), it is found in that header only.
     */
    @Test
    void anIdentifierInTheHostNameIsFoundOnceWhetherOrNotAHostHeaderNamesIt() {
        String host = IMEI.value() + ".t.example.com";
        CapturedFlow h2 = new CapturedFlow("f2", Instant.EPOCH, "10.0.0.2:5555", new HttpRequestData("GET", "https",
                host, 443, "/p", "HTTP/2.0", List.of(new HttpHeader("user-agent", "x")), new byte[0]),
                Optional.empty(), Optional.empty());
        CapturedFlow h1 = new CapturedFlow("f1", Instant.EPOCH, "10.0.0.2:5555", new HttpRequestData("GET", "http",
                host, 80, "/p", "HTTP/1.1", List.of(new HttpHeader("Host", host.toUpperCase(java.util.Locale.ROOT)
                + ":80")), new byte[0]), Optional.empty(), Optional.empty());

        assertThat(DETECTOR.scan(h2)).extracting(Finding::canary, Finding::location, Finding::transforms)
                .containsExactly(tuple(IMEI, "host", List.of()));
        assertThat(DETECTOR.scan(h1)).extracting(Finding::canary, Finding::location)
                .containsExactly(tuple(IMEI, "header:host"));
        CapturedFlow harH2 = new CapturedFlow("f3", Instant.EPOCH, "10.0.0.2:5555", new HttpRequestData("GET",
                "https", host, 443, "/p", "HTTP/2.0", List.of(new HttpHeader(":authority", host)), new byte[0]),
                Optional.empty(), Optional.empty());
        assertThat(DETECTOR.scan(harH2)).extracting(Finding::canary, Finding::location)
                .containsExactly(tuple(IMEI, "header::authority"));
    }

    @Test
    void reportsTheOffsetInTheInnermostDecodedView() {
        String inner = "{\"when\":1712,\"id\":\"" + IMEI.value() + "\"}";
        Finding plain = single(DETECTOR.scan(flow("/", List.of(), utf8("imei=" + IMEI.value()))));
        assertThat(plain.offset()).isEqualTo(5);
        for (String prefix : List.of("", "a", "ab", "abc")) {
            String text = prefix + inner;
            Finding f = single(DETECTOR.scan(flow("/", List.of(), utf8("d=" + b64(text)))));
            assertThat(f.transforms()).containsExactly("base64");
            assertThat(f.offset()).as("prefix %s", prefix).isEqualTo(text.indexOf(IMEI.value()));
        }
        Finding gz = single(DETECTOR.scan(flow("/", List.of(), gzip(utf8("0123456789" + IMEI.value())))));
        assertThat(gz.offset()).isEqualTo(10);
    }

    @Test
    void urlSafeAndUnpaddedBase64AnywhereInALongerString() {
        byte[] payload = new byte[40];
        new Random(7).nextBytes(payload);
        payload[0] = (byte) 0xfb; // "++++" in standard base64: makes the URL-safe text unmistakably URL-safe
        payload[1] = (byte) 0xef;
        payload[2] = (byte) 0xbe;
        byte[] all = concat(payload, utf8(PHONE.value()), payload);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(all);
        Finding f = single(DETECTOR.scan(flow("/v1/" + urlSafe + "/x", List.of(), new byte[0])));
        assertThat(f.location()).isEqualTo("url");
        assertThat(f.transforms()).containsExactly("base64");
        assertThat(urlSafe).startsWith("----");
        assertThat(f.offset()).isEqualTo(40);
    }

    @Test
    void doubleUrlEncodingIsOneUrlLayer() {
        String twice = percentAll(IMEI.value()).replace("%", "%25");
        Finding f = single(DETECTOR.scan(flow("/q?imei=" + twice, List.of(), new byte[0])));
        assertThat(f.location()).isEqualTo("url");
        assertThat(f.transforms()).containsExactly("url");
    }

    @Test
    void urlEncodingThreeAndFourTimesOver() {
        // Three rounds are one url layer; a fourth needs the third round explored as a layer of its own.
        String thrice = percentAll(IMEI.value()).replace("%", "%25").replace("%", "%25");
        assertThat(single(DETECTOR.scan(flow("/q?imei=" + thrice, List.of(), new byte[0]))).transforms())
                .containsExactly("url");
        String fourTimes = thrice.replace("%", "%25");
        assertThat(single(DETECTOR.scan(flow("/q?imei=" + fourTimes, List.of(), new byte[0]))).transforms())
                .containsExactly("url", "url");
        // Twice, then base64 of it, inside a form whose other fields are url-encoded once.
        String body = "a=hello+world%21&d=" + percentAll(b64("x:" + PHONE.value())).replace("%", "%25") + "&b=%21";
        Finding f = single(DETECTOR.scan(flow("/s", List.of(), utf8(body))));
        assertThat(f.canary()).isEqualTo(PHONE);
        assertThat(f.transforms()).containsExactly("url", "base64");
    }

    @Test
    void plusInAQueryDecodesToSpaceAndTheDigitsStillMatch() {
        Finding f = single(DETECTOR.scan(flow("/q?n=%2B91+98765+00001", List.of(), new byte[0])));
        assertThat(f.canary()).isEqualTo(PHONE);
        assertThat(f.transforms()).containsExactly("url");
        assertThat(f.form()).isEqualTo("+91 98765 00001");
    }

    @Test
    void findsDerivedForms() {
        List<Finding> fs = DETECTOR.scan(flow("/", List.of(),
                utf8("dev=86512304567890&msisdn=98765-00001&c=0091 9812345678")));
        assertThat(fs).extracting(f -> f.canary().kind(), Finding::form).containsExactlyInAnyOrder(
                tuple(CanaryKind.IMEI, "86512304567890"),
                tuple(CanaryKind.PHONE_NUMBER, "98765-00001"),
                tuple(CanaryKind.CONTACT_PHONE, "91 9812345678"));
    }

    @Test
    void prefersTheFullImeiOverItsPrefixAndThePlainChainOverEncodedOnes() {
        byte[] body = utf8("a=" + b64(IMEI.value()) + "&b=" + IMEI.value() + "&c=" + percentAll(IMEI.value()));
        Finding f = single(DETECTOR.scan(flow("/", List.of(), body)));
        assertThat(f.transforms()).isEmpty();
        assertThat(f.form()).isEqualTo(IMEI.value());
    }

    @Test
    void looksInUrlHeadersCookiesAndBodyButNotTheResponse() {
        HttpRequestData req = new HttpRequestData("POST", "https", "api.account.xiaomi.com", 443,
                "/reg?imei=" + IMEI.value(), "HTTP/1.1",
                List.of(new HttpHeader("X-Device-Phone", PHONE.value()),
                        new HttpHeader("Cookie", "sid=abc; c=" + b64(CONTACT.value()) + "; z=1"),
                        new HttpHeader("User-Agent", "MIUI")),
                utf8("{\"c\":\"" + CONTACT.value() + "\"}"));
        HttpResponseData resp = new HttpResponseData(200, "OK", List.of(new HttpHeader("X-Echo", IMEI.value())),
                utf8("{\"imei\":\"" + IMEI.value() + "\",\"n\":\"" + PHONE.value() + "\"}"));
        CapturedFlow flow = new CapturedFlow("f9", Instant.EPOCH, "10.0.0.2:4000", req, Optional.of(resp),
                Optional.empty());

        assertThat(DETECTOR.scan(flow)).extracting(Finding::location, f -> f.canary().kind(), Finding::transforms)
                .containsExactly(
                        tuple("url", CanaryKind.IMEI, List.of()),
                        tuple("header:x-device-phone", CanaryKind.PHONE_NUMBER, List.of()),
                        tuple("cookie:c", CanaryKind.CONTACT_PHONE, List.of("base64")),
                        tuple("body", CanaryKind.CONTACT_PHONE, List.of()));
        assertThat(DETECTOR.scan(flow)).allSatisfy(f -> assertThat(f.scheme()).isEqualTo("https"));
    }

    @Test
    void deflateByHeaderRawOrZlibAndGzipByMagicAlone() {
        byte[] text = utf8("imei=" + IMEI.value());
        for (boolean raw : List.of(true, false)) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
            List<Finding> fs = DETECTOR.scan(flow("/", List.of(new HttpHeader("content-encoding", "deflate")),
                    compress(text, d)));
            assertThat(fs).singleElement().extracting(Finding::transforms).isEqualTo(List.of("deflate"));
        }
        assertThat(single(DETECTOR.scan(flow("/", List.of(), gzip(text)))).transforms()).containsExactly("gzip");
    }

    @Test
    void nothingBeyondThreeLayers() {
        byte[] fourDeep = utf8("x=" + b64(gzip(utf8(percentAll(b64("id=" + IMEI.value()))))));
        assertThat(DETECTOR.scan(flow("/", List.of(), fourDeep))).isEmpty();
        byte[] threeDeep = utf8("x=" + b64(gzip(utf8(percentAll("id=" + IMEI.value())))));
        assertThat(single(DETECTOR.scan(flow("/", List.of(), threeDeep))).transforms())
                .containsExactly("base64", "gzip", "url");
    }

    @Test
    void corruptDataNeverThrowsAndYieldsNothingFromTheDamagedPart() {
        byte[] gz = gzip(utf8("x".repeat(5000) + IMEI.value()));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        assertThat(DETECTOR.scan(flow("/", List.of(new HttpHeader("Content-Encoding", "gzip")), truncated)))
                .isEmpty();
        byte[] garbage = concat(new byte[]{0x1f, (byte) 0x8b, 8, 0}, utf8("not really gzip at all"));
        assertThat(DETECTOR.scan(flow("/", List.of(new HttpHeader("Content-Encoding", "deflate")), garbage)))
                .isEmpty();
        assertThat(DETECTOR.scan(flow("/?d=%%%ZZ%4", List.of(), utf8("b=A=B==C=== \\u12 \\uZZZZ \\")))).isEmpty();
    }

    @Test
    void whatDecompressedBeforeTheDamageIsStillSearched() {
        // Those bytes left the handset: failing closed means looking at them.
        byte[] gz = gzip(utf8("imei=" + IMEI.value() + "&pad=" + "y".repeat(100_000)));
        byte[] truncated = Arrays.copyOf(gz, gz.length - 20);
        assertThat(single(DETECTOR.scan(flow("/", List.of(), truncated))).transforms()).containsExactly("gzip");
    }

    @Test
    void aBodyThatIsGzipAloneIsSearchedThroughItsOutput() {
        // Stored blocks carry their bytes verbatim, so the compressed body holds the value too; the sender gzip'd it,
        // and the finding says so, where a search of the compressed bytes reported it as sent plain.
        byte[] stored = gzipMember(0, new byte[0], utf8("imei=" + IMEI.value()), Deflater.NO_COMPRESSION);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).contains(IMEI.value());
        Finding f = single(DETECTOR.scan(flow("/", List.of(), stored)));
        assertThat(f.transforms()).containsExactly("gzip");
        assertThat(f.offset()).isEqualTo(5);
        Finding declared = single(DETECTOR.scan(flow("/", List.of(new HttpHeader("Content-Encoding", "gzip")), stored)));
        assertThat(declared.transforms()).containsExactly("gzip");
        // Two members back to back: the second one's output is searched too.
        byte[] two = concat(gzip(utf8("a=1")), gzipMember(1, new byte[0], utf8("n=" + PHONE.value()), 6));
        assertThat(single(DETECTOR.scan(flow("/", List.of(), two))).transforms()).containsExactly("gzip");
    }

    @Test
    void whatAGzipBodyHoldsBesideItsStreamIsSearchedAsSent() {
        // A header's name or comment field, and bytes after the last member, are text a sender wrote: not skipped.
        byte[] named = gzipMember(8, concat(utf8(IMEI.value()), new byte[]{0}), utf8("a=1&b=2"), 6);
        assertThat(single(DETECTOR.scan(flow("/", List.of(), named))).transforms()).isEmpty();
        byte[] commented = gzipMember(16, concat(utf8("id " + IMEI.value()), new byte[]{0}), utf8("a=1"), 6);
        assertThat(single(DETECTOR.scan(flow("/", List.of(), commented))).transforms()).isEmpty();
        byte[] trailing = concat(gzip(utf8("a=1&b=2")), utf8("&imei=" + IMEI.value()));
        assertThat(single(DETECTOR.scan(flow("/", List.of(), trailing))).transforms()).isEmpty();
        // Stored bytes in a member whose header has a name: the compressed body is searched as before (chain empty).
        byte[] storedNamed = gzipMember(8, utf8("f\0"), utf8("imei=" + IMEI.value()), Deflater.NO_COMPRESSION);
        assertThat(single(DETECTOR.scan(flow("/", List.of(), storedNamed))).transforms()).isEmpty();
    }

    /** One gzip member: {@code flags} (FNAME 8, FCOMMENT 16) with {@code fields} after the fixed header. */
    static byte[] gzipMember(int flags, byte[] fields, byte[] data, int level) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        byte[] trailer = new byte[8];
        for (int k = 0; k < 4; k++) {
            trailer[k] = (byte) (crc.getValue() >>> (8 * k));
            trailer[4 + k] = (byte) (data.length >>> (8 * k));
        }
        return concat(new byte[]{0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, (byte) 0xff}, fields,
                compress(data, new Deflater(level, true)), trailer);
    }

    @Test
    void aGzipTrailerStatingTheWrongSizeChangesNothing() {
        // The trailer's size only sizes the output buffer: too small, too large or exact, the whole member is searched
        // and nothing past its end (a buffer larger than the output must not be searched whole).
        byte[] gz = gzip(utf8("pad=" + "y".repeat(3000) + "&imei=" + IMEI.value()));
        int n = gz.length;
        for (long stated : new long[]{3000, 3021, 3022 + IMEI.value().length(), 1L << 20}) {
            byte[] lying = gz.clone();
            for (int k = 0; k < 4; k++) {
                lying[n - 4 + k] = (byte) (stated >>> (8 * k));
            }
            Finding f = single(DETECTOR.scan(flow("/", List.of(), lying)));
            assertThat(f.transforms()).containsExactly("gzip");
            assertThat(f.offset()).isEqualTo(3010);
        }
        String exact = "pad=" + "y".repeat(3000) + "&n=" + PHONE.value();
        Finding f = single(DETECTOR.scan(flow("/", List.of(), gzip(utf8(exact)))));
        assertThat(f.offset()).isEqualTo(exact.length() - PHONE.value().length());
    }

    @Test
    void benignTrafficYieldsNothing() {
        Random r = new Random(42);
        List<byte[]> corpus = new ArrayList<>();
        byte[] noise = new byte[1 << 20];
        r.nextBytes(noise);
        corpus.add(noise);
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 20_000; i++) {
            json.append("{\"id\":").append(Math.abs(r.nextLong())).append(",\"name\":\"n").append(r.nextInt())
                    .append("\",\"tag\":\"").append(Long.toHexString(r.nextLong())).append("\",\"b\":\"")
                    .append(b64(Long.toString(r.nextLong()))).append("\"},");
        }
        corpus.add(utf8(json.append("{}]}").toString()));
        corpus.add(gzip(corpus.get(1)));
        StringBuilder nearMisses = new StringBuilder();
        // One digit off inside the part every form shares (the IMEI's first 14, the phones' national numbers); a
        // changed check digit or country code would still be a true match of the 14-digit or national form.
        for (Canary c : ALL) {
            String v = c.value();
            int from = c.kind() == CanaryKind.IMEI ? 0 : 3;
            int to = c.kind() == CanaryKind.IMEI ? 14 : v.length();
            for (int i = from; i < to; i++) {
                char swapped = (char) ('0' + (v.charAt(i) - '0' + 1) % 10);
                String near = v.substring(0, i) + swapped + v.substring(i + 1);
                nearMisses.append(near).append(' ').append(b64(near)).append(' ')
                        .append(HexFormat.of().formatHex(utf8(near))).append(' ').append(percentAll(near)).append('\n');
            }
        }
        corpus.add(utf8(nearMisses.toString()));
        for (byte[] body : corpus) {
            assertThat(DETECTOR.scan(flow("/api/v2/items?page=3&sig=" + b64("x".repeat(30)), List.of(
                    new HttpHeader("Authorization", "Bearer " + b64(Long.toString(r.nextLong()))),
                    new HttpHeader("Cookie", "sid=" + Long.toHexString(r.nextLong()))), body))).isEmpty();
        }
    }

    @Test
    void aValueAtTheEndOfATenMegabyteBodyIsFound() {
        // Speed is measured by `consentry bench` and the JMH benchmarks; here only that a large body full of
        // decodable noise is scanned to its end and yields exactly the one planted value.
        Random r = new Random(1);
        StringBuilder s = new StringBuilder(10 << 20);
        while (s.length() < 10 << 20) {
            s.append(b64(Long.toString(r.nextLong()))).append("%41%42+").append("\\u0041").append(r.nextInt())
                    .append("deadbeefcafe0123456789").append(' ');
        }
        s.append(IMEI.value());
        byte[] body = utf8(s.toString());
        List<Finding> fs = DETECTOR.scan(flow("/", List.of(), body));
        assertThat(fs).singleElement().satisfies(f -> {
            assertThat(f.transforms()).isEmpty();
            assertThat(f.offset()).isEqualTo(body.length - IMEI.value().length());
        });
    }

    @Test
    void webSocketMessagesAreScannedAtTheLocationGiven() {
        CapturedFlow f = flow("/ws", List.of(), new byte[0]);
        assertThat(DETECTOR.scanMessage(f, "websocket", utf8("{\"op\":\"sync\",\"d\":\"" + b64("n=" + PHONE.value())
                + "\"}"))).extracting(Finding::canary, Finding::location, Finding::transforms, Finding::flowId)
                .containsExactly(tuple(PHONE, "websocket", List.of("base64"), "f1"));
        assertThat(DETECTOR.scanMessage(f, "websocket", utf8("{\"op\":\"ping\"}"))).isEmpty();
    }

    @Test
    void aWebSocketMessageCutShortIsSearchedAsFarAsItGoesAndSaid() {
        // As a request body with gzip's magic: the damage is told, not only the findings before it.
        byte[] gz = gzip(utf8("imei=" + IMEI.value() + "&pad=" + "y".repeat(100_000)));
        FlowScan s = DETECTOR.inspectMessage(flow("/ws", List.of(), new byte[0]), "websocket",
                Arrays.copyOf(gz, gz.length - 20));
        assertThat(s.findings()).singleElement().satisfies(f -> {
            assertThat(f.location()).isEqualTo("websocket");
            assertThat(f.transforms()).containsExactly("gzip");
        });
        assertThat(s.damage()).singleElement().satisfies(d -> {
            assertThat(d.location()).isEqualTo("websocket");
            assertThat(d.problem()).startsWith("gzip stream is cut short");
        });
        assertThat(s.outOfMemory()).isFalse();
        assertThat(DETECTOR.inspectMessage(flow("/ws", List.of(), new byte[0]), "websocket", gz).damage()).isEmpty();
    }

    @Test
    void noCanariesNoFindings() {
        assertThat(new LeakDetector(List.of()).scan(flow("/" + IMEI.value(), List.of(), new byte[0]))).isEmpty();
    }

    @Test
    void scanAllCoversEveryFlow() {
        CapturedFlow a = flow("/a?i=" + IMEI.value(), List.of(), new byte[0]);
        CapturedFlow b = new CapturedFlow("f2", Instant.EPOCH, "", new HttpRequestData("GET", "http", "h", 80,
                "/b?p=" + PHONE.value(), "HTTP/1.1", List.of(), null), Optional.empty(), Optional.of("refused"));
        assertThat(DETECTOR.scanAll(List.of(a, b))).extracting(Finding::flowId).containsExactly("f1", "f2");
    }

    // --- helpers

    static CapturedFlow flow(String path, List<HttpHeader> headers, byte[] body) {
        return new CapturedFlow("f1", Instant.EPOCH, "10.0.0.2:5555", new HttpRequestData("POST", "http",
                "api.account.xiaomi.com", 80, path, "HTTP/1.1", headers, body), Optional.empty(), Optional.empty());
    }

    static Finding single(List<Finding> findings) {
        assertThat(findings).hasSize(1);
        return findings.get(0);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String b64(String s) {
        return b64(utf8(s));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Percent-encodes every byte, as obfuscating SDKs do; encoding only reserved characters leaves digits as is. */
    static String percentAll(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : utf8(s)) {
            out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }

    static String unicodeEscapeAll(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(String.format("\\u%04x", c)));
        return out.toString();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static byte[] compress(byte[] data, Deflater deflater) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater)) {
            d.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
