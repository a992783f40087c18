package dev.consentry.redact;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import dev.consentry.capture.CapturedFlow;
import dev.consentry.capture.HttpHeader;
import dev.consentry.capture.HttpRequestData;
import dev.consentry.capture.HttpResponseData;
import dev.consentry.capture.SentOnWebSockets;
import dev.consentry.har.HarWriter;
import dev.consentry.leak.Finding;
import dev.consentry.leak.LeakDetector;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private static final Canary IMEI = new Canary(CanaryKind.IMEI, "860239315879893", "read: dumpsys iphonesubinfo");
    private static final Canary PHONE = new Canary(CanaryKind.PHONE_NUMBER, "+919876543210", "read: service call");
    private static final Canary CONTACT = new Canary(CanaryKind.CONTACT_PHONE, "+917012345678", "planted contact A");
    private static final List<Canary> CANARIES = List.of(IMEI, PHONE, CONTACT);

    private static CapturedFlow flow(String id, String path, List<HttpHeader> headers, byte[] body,
                                     Optional<HttpResponseData> response) {
        return new CapturedFlow(id, Instant.parse("2026-11-24T10:00:00Z"), "127.0.0.1:5555",
                new HttpRequestData("POST", "http", "api.account.xiaomi.com", 80, path, "HTTP/1.1", headers, body),
                response, Optional.empty());
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void credentialsAreMaskedAndIdentifiersStayInTheFlowThatProvesTheLeak() {
        CapturedFlow leak = flow("f1", "/pass/register?deviceId=860239315879893&serviceToken=abcDEF123456",
                List.of(new HttpHeader("Authorization", "Bearer eyJhbGciOi.secret.sig"),
                        new HttpHeader("Cookie", "passToken=V1:xyz987; userId=12345"),
                        new HttpHeader("Content-Type", "application/json")),
                "{\"imei\":\"860239315879893\",\"access_token\":\"tok-42-xyz\",\"lang\":\"en\"}"
                        .getBytes(StandardCharsets.UTF_8), Optional.empty());
        List<Finding> findings = new LeakDetector(CANARIES).scan(leak);
        assertThat(findings).isNotEmpty();

        CapturedFlow r = Redactor.of(CANARIES, findings).flow(leak);

        assertThat(r.request().path()).isEqualTo("/pass/register?deviceId=860239315879893&serviceToken=************");
        assertThat(r.request().header("Authorization")).contains("Bearer ".concat("*".repeat(21)));
        assertThat(r.request().header("Cookie")).contains("passToken=*********; userId=*****");
        assertThat(utf8(r.request().body()))
                .isEqualTo("{\"imei\":\"860239315879893\",\"access_token\":\"**********\",\"lang\":\"en\"}");
        // Same-length masks: the leak engine still finds the same things at the same offsets.
        assertThat(new LeakDetector(CANARIES).scan(r)).isEqualTo(findings);
    }

    @Test
    void webSocketMessagesAreRedactedAsTheirFlowsBodiesAre() {
        CapturedFlow cited = flow("ws-1", "/channel", List.of(), new byte[0], Optional.empty());
        CapturedFlow other = flow("ws-2", "/channel", List.of(), new byte[0], Optional.empty());
        byte[] leak = "{\"imei\":\"860239315879893\",\"token\":\"tok-42-xyz\"}".getBytes(StandardCharsets.UTF_8);
        byte[] echo = "{\"phone\":\"+919876543210\",\"contact\":\"+917012345678\"}".getBytes(StandardCharsets.UTF_8);
        byte[] binary = {0x0a, 0x05, 0x00, (byte) 0xff, 0x01};
        List<Finding> findings = new LeakDetector(CANARIES).scanMessage(cited, "websocket", leak);
        assertThat(findings).isNotEmpty();

        SentOnWebSockets r = Redactor.of(CANARIES, findings).sent(new SentOnWebSockets(Map.of(
                cited.id(), List.of(leak), other.id(), List.of(echo, binary))));

        // The cited socket keeps the identifier it proves was sent, not the credential beside it.
        assertThat(utf8(r.of("ws-1").get(0))).isEqualTo("{\"imei\":\"860239315879893\",\"token\":\"**********\"}");
        // Elsewhere a read identifier is masked; a planted contact is made up and stays; bytes that are no text stay.
        assertThat(utf8(r.of("ws-2").get(0))).doesNotContain("9876543210").contains("[phone_number ...210]")
                .contains("+917012345678");
        assertThat(r.of("ws-2").get(1)).isEqualTo(binary);
    }

    @Test
    void identifiersAreMaskedInFlowsNoFindingCitesAndInResponses() {
        CapturedFlow other = flow("f2", "/config?v=1", List.of(), new byte[0], Optional.of(new HttpResponseData(200,
                "OK", List.of(new HttpHeader("Set-Cookie", "session=s3cr3t; Path=/; HttpOnly")),
                "{\"echo\":\"+919876543210\",\"device\":\"860239315879893\"}".getBytes(StandardCharsets.UTF_8))));

        CapturedFlow r = Redactor.of(CANARIES, List.of()).flow(other);

        HttpResponseData resp = r.response().orElseThrow();
        assertThat(utf8(resp.body())).doesNotContain("860239315879893").doesNotContain("9876543210")
                .contains("[imei ...893]").contains("[phone_number ...210]");
        assertThat(resp.headers().get(0).value()).isEqualTo("session=******; Path=/; HttpOnly");
    }

    @Test
    void aCredentialThatCarriesACanaryIsEvidenceAndStays() {
        String token = Base64.getEncoder().encodeToString("imei=860239315879893".getBytes(StandardCharsets.UTF_8));
        CapturedFlow leak = flow("f3", "/track", List.of(new HttpHeader("X-Auth-Token", token),
                new HttpHeader("Cookie", "sid=" + token + "; other=zzzzzz")), new byte[0], Optional.empty());
        List<Finding> findings = new LeakDetector(CANARIES).scan(leak);

        CapturedFlow r = Redactor.of(CANARIES, findings).flow(leak);

        assertThat(r.request().header("X-Auth-Token")).contains(token);
        assertThat(r.request().header("Cookie")).contains("sid=" + token + "; other=******");
    }

    @Test
    void aBodyRecordedDecodedIsRedactedAsItIsAndStaysMarked() {
        String sent = "serviceToken=abcdefgh&phone=%2B917012345678";
        HttpRequestData q = new HttpRequestData("POST", "http", "api.account.xiaomi.com", 80, "/", "HTTP/1.1",
                List.of(new HttpHeader("Content-Encoding", "gzip")), sent.getBytes(StandardCharsets.UTF_8), true);
        CapturedFlow f = new CapturedFlow("f9", Instant.parse("2026-11-24T10:00:00Z"), "127.0.0.1:5555", q,
                Optional.empty(), Optional.empty());

        CapturedFlow r = Redactor.of(CANARIES, List.of()).flow(f);

        assertThat(r.request().bodyDecoded()).isTrue();
        assertThat(utf8(r.request().body())).isEqualTo("serviceToken=********&phone=%2B917012345678");
        assertThat(new LeakDetector(CANARIES).inspect(r).damage()).isEmpty();
    }

    @Test
    void gzipBodiesAreRedactedInsideAndStayGzip() throws IOException {
        byte[] body = gzip("serviceToken=abcdefgh&phone=%2B917012345678");
        CapturedFlow f = flow("f4", "/", List.of(new HttpHeader("Content-Encoding", "gzip")), body, Optional.empty());

        CapturedFlow r = Redactor.of(CANARIES, new LeakDetector(CANARIES).scan(f)).flow(f);

        assertThat(gunzip(r.request().body())).isEqualTo("serviceToken=********&phone=%2B917012345678");
    }

    @Test
    void plantedContactsAreNotRealIdentifiersAndStayVisible() {
        String masked = Redactor.of(CANARIES, List.of()).text("planted +917012345678, read 860239315879893 86023931587989");
        assertThat(masked).isEqualTo("planted +917012345678, read [imei ...893] [imei ...893]");
    }

    @Test
    void logsLoseCredentialsIdentifiersAndPrivateKeys() {
        String log = """
                127.0.0.1:5555: GET http://api.account.xiaomi.com/x?imei=860239315879893&passToken=V1abc HTTP/1.1
                    Authorization: MiAuth dGVzdDp0ZXN0
                    Cookie: serviceToken=qwerty123
                -----BEGIN RSA PRIVATE KEY-----
                MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
                -----END RSA PRIVATE KEY-----
                -----BEGIN CERTIFICATE-----
                MIIDoTCCAomgAwIBAgIGDeadBeef
                -----END CERTIFICATE-----
                """;
        String out = Redactor.of(CANARIES, List.of()).text(log);
        assertThat(out).doesNotContain("860239315879893", "V1abc", "dGVzdDp0ZXN0", "qwerty123", "MIIEowIBAAKCAQEA",
                        "PRIVATE KEY")
                .contains("imei=[imei ...893]&passToken=*****", "Authorization: MiAuth ************",
                        "Cookie: serviceToken=*********", PrivateKeys.REMOVED, "MIIDoTCCAomgAwIBAgIGDeadBeef");
    }

    @Test
    void privateKeysGoEvenWhenJsonEscapedOrCutOff() {
        String json = "{\"pem\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n\"}";
        assertThat(PrivateKeys.strip(json)).isEqualTo("{\"pem\":\"" + PrivateKeys.REMOVED + "\\n\"}");
        assertThat(PrivateKeys.strip("tail: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI"))
                .isEqualTo("tail: " + PrivateKeys.REMOVED);
        assertThat(PrivateKeys.present("-----BEGIN CERTIFICATE-----")).isFalse();
    }

    @Test
    void harOfRedactedFlowsHoldsNoCredential() {
        CapturedFlow f = flow("f5", "/a?access_token=tttttttt", List.of(new HttpHeader("Proxy-Authorization",
                "Basic dXNlcjpwYXNz")), "password=hunter22".getBytes(StandardCharsets.UTF_8), Optional.empty());
        String har = utf8(HarWriter.write(Redactor.secretsOnly().flows(List.of(f))));
        assertThat(har).doesNotContain("tttttttt", "dXNlcjpwYXNz", "hunter22").contains("password=********");
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    private static String gunzip(byte[] b) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return utf8(in.readAllBytes());
        }
    }
}
