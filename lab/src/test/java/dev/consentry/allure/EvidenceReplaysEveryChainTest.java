package dev.consentry.allure;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.leak.Finding;
import dev.consentry.leak.LeakDetector;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's evidence replays every finding the engine makes, on its own decoders: every ordered chain of url,
 * base64, hex, JSON escapes, gzip and zlib up to depth 3, each value alone, in a form field and in a cookie, and a
 * base64 protobuf message holding a truncated digest. A finding the evidence cannot replay reads "did not reach the
 * canary" in the report (url of gzip in a form field did, before the evidence looked inside url-decoded views).
 */
class EvidenceReplaysEveryChainTest {
    record Transform(String name, boolean binary, UnaryOperator<byte[]> apply) {
    }

    static final List<Transform> TRANSFORMS = List.of(
            new Transform("url", false, EvidenceReplaysEveryChainTest::percentAll),
            new Transform("base64", false, b -> Base64.getEncoder().encode(b)),
            new Transform("base64 url-safe", false, b -> Base64.getUrlEncoder().withoutPadding().encode(b)),
            new Transform("hex", false, b -> ascii(HexFormat.of().formatHex(b))),
            new Transform("json", false, EvidenceReplaysEveryChainTest::unicodeEscapeAll),
            new Transform("gzip", true, b -> compress(b, GZIPOutputStream::new)),
            new Transform("zlib", true, b -> compress(b, DeflaterOutputStream::new)));

    static final List<Canary> CANARIES = List.of(Canary.of(CanaryKind.IMEI, "865123045678901"),
            Canary.of(CanaryKind.CONTACT_NAME, "Li Wei"), Canary.of(CanaryKind.SERIAL, "a1b2c3"),
            Canary.of(CanaryKind.CONTACT_EMAIL, "Kiran.Canary@Example.org"));

    @Test
    void everyFindingOfEveryChainReplaysToTheCanary() throws Exception {
        LeakDetector detector = new LeakDetector(CANARIES);
        List<String> notReplayed = new ArrayList<>();
        int findings = 0;
        for (List<Transform> chain : chains()) {
            for (Canary canary : CANARIES) {
                byte[] b = canary.value().getBytes(StandardCharsets.UTF_8);
                for (int i = chain.size() - 1; i >= 0; i--) {
                    b = chain.get(i).apply().apply(b);
                }
                List<CapturedFlow> flows = new ArrayList<>(List.of(flow(List.of(), b)));
                if (!chain.get(0).binary()) {
                    String v = new String(b, StandardCharsets.US_ASCII);
                    flows.add(flow(List.of(), ascii("a=1&id=" + v + "&z=2")));
                    flows.add(flow(List.of(new HttpHeader("cookie", "x=1; id=" + v)), new byte[0]));
                }
                for (CapturedFlow f : flows) {
                    for (Finding finding : detector.scan(f)) {
                        findings++;
                        if (!EvidenceChain.replay(finding, f).reached()) {
                            notReplayed.add(chain.stream().map(Transform::name).toList() + " " + finding);
                        }
                    }
                }
            }
        }
        for (Canary canary : CANARIES) {
            byte[] digest = Arrays.copyOf(MessageDigest.getInstance("SHA-256")
                    .digest(canary.value().getBytes(StandardCharsets.UTF_8)), 16);
            byte[] message = new byte[digest.length + 4];
            message[0] = 0x0a;
            message[1] = (byte) digest.length;
            System.arraycopy(digest, 0, message, 2, digest.length);
            message[digest.length + 2] = 0x10;
            message[digest.length + 3] = 1;
            CapturedFlow f = flow(List.of(), ascii("{\"e\":\"" + Base64.getEncoder().encodeToString(message) + "\"}"));
            for (Finding finding : detector.scan(f)) {
                findings++;
                assertThat(finding.transforms()).containsExactly("base64", "protobuf", "sha256");
                if (!EvidenceChain.replay(finding, f).reached()) {
                    notReplayed.add("base64 protobuf digest " + finding);
                }
            }
        }
        assertThat(findings).isGreaterThan(3000);
        assertThat(notReplayed).isEmpty();
    }

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
        // Not url of url or json of json (one layer to the engine), nor JSON escapes around binary (text only).
        out.removeIf(chain -> {
            for (int i = 0; i + 1 < chain.size(); i++) {
                Transform outer = chain.get(i);
                Transform inner = chain.get(i + 1);
                if (outer.name().equals("json") && inner.binary() || outer == inner
                        && (outer.name().equals("url") || outer.name().equals("json"))) {
                    return true;
                }
            }
            return false;
        });
        return out;
    }

    private static CapturedFlow flow(List<HttpHeader> headers, byte[] body) {
        return new CapturedFlow("f1", Instant.EPOCH, "", new HttpRequestData("POST", "http", "h.example.com", 80,
                "/s", "HTTP/1.1", headers, body), Optional.empty(), Optional.empty());
    }

    private interface Compressor {
        OutputStream over(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] data, Compressor compressor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = compressor.over(out)) {
            c.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] percentAll(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append('%').append(String.format("%02X", x & 0xff));
        }
        return ascii(s.toString());
    }

    private static byte[] unicodeEscapeAll(byte[] utf8) {
        StringBuilder s = new StringBuilder();
        new String(utf8, StandardCharsets.UTF_8).chars().forEach(c -> s.append(String.format("\\u%04x", c)));
        return ascii(s.toString());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
