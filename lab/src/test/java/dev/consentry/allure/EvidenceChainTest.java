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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
}
