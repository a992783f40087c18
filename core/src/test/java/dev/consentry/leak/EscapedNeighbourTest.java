package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.consentry.leak.LeakDetectorTest.b64;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A view with a few escapes undone is searched only around them (the rest was searched in its parent). A single
 * escaped character at any place in or next to the value, or in the base64 group around it, must still be found.
 */
class EscapedNeighbourTest {
    private static final Canary IMEI = Canary.of(CanaryKind.IMEI, "865123045678901");
    private static final Canary PHONE = Canary.of(CanaryKind.PHONE_NUMBER, "+919876500001");
    private static final Canary NAME = Canary.of(CanaryKind.CONTACT_NAME, "Canary Name 123456");
    private static final LeakDetector DETECTOR = new LeakDetector(List.of(IMEI, PHONE, NAME));
    /** Long enough that probing around the one escape is cheaper than searching the whole view again. */
    private static final String PAD = "&pad=" + ".".repeat(8000);

    @Test
    void oneEscapedCharacterAnywhereInABase64Value() {
        for (String prefix : List.of("", "x", "xy")) {
            String encoded = b64(prefix + IMEI.value() + "&z");
            for (int k = 0; k < encoded.length(); k++) {
                String body = PAD + "&d=" + encoded.substring(0, k) + "%" + Integer.toHexString(encoded.charAt(k))
                        + encoded.substring(k + 1);
                assertThat(DETECTOR.scan(flow("/s", List.of(), utf8(body))))
                        .as(body.substring(PAD.length())).extracting(Finding::canary).contains(IMEI);
            }
        }
    }

    @Test
    void oneEscapedCharacterAnywhereInAPlainValue() {
        // A shorter form may still be there unescaped (the IMEI without its check digit): any chain will do.
        for (Canary c : List.of(IMEI, PHONE, NAME)) {
            String value = c == PHONE ? "+91 98765 00001" : c.value();
            for (int k = 0; k < value.length(); k++) {
                String body = PAD + "&v=" + value.substring(0, k) + "%" + Integer.toHexString(value.charAt(k))
                        + value.substring(k + 1) + "&b=2";
                assertThat(DETECTOR.scan(flow("/s", List.of(), utf8(body))))
                        .as(body.substring(PAD.length())).extracting(Finding::canary).containsExactly(c);
            }
        }
    }

    @Test
    void spacesAsPlusInAForm() {
        List<Finding> found = DETECTOR.scan(flow("/s", List.of(),
                utf8(PAD + "q=hello+world%21&n=Canary+Name+123456&p=%2B91+98765+00001")));
        assertThat(found).extracting(Finding::canary, Finding::transforms)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(NAME, List.of("url")),
                        org.assertj.core.groups.Tuple.tuple(PHONE, List.of("url")));
    }

    @Test
    void aNonAsciiNameHexEncodedIsDecoded() {
        Canary name = Canary.of(CanaryKind.CONTACT_NAME, "Ñandú Pérez");
        LeakDetector detector = new LeakDetector(List.of(name));
        String hex = java.util.HexFormat.of().formatHex(utf8(name.value()));
        assertThat(detector.scan(flow("/s", List.of(), utf8("{\"n\":\"" + hex + "\"}"))))
                .extracting(Finding::canary, Finding::transforms)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(name, List.of("hex")));
    }

    @Test
    void aThreeCharacterChineseNameIsFoundAsSentEscapedAndEncoded() {
        Canary name = Canary.of(CanaryKind.CONTACT_NAME, "王小明");
        LeakDetector detector = new LeakDetector(List.of(name));
        String url = java.net.URLEncoder.encode(name.value(), java.nio.charset.StandardCharsets.UTF_8);
        String b64 = java.util.Base64.getEncoder().encodeToString(utf8("{\"n\":\"" + name.value() + "\"}"));
        java.util.Map<String, List<String>> chains = new java.util.LinkedHashMap<>();
        chains.put("{\"n\":\"" + name.value() + "\"}", List.of());
        chains.put("{\"n\":\"\\u738b\\u5c0f\\u660e\"}", List.of("json"));
        chains.put("n=" + url + "&x=1", List.of("url"));
        chains.put("d=" + b64 + "&x=1", List.of("base64"));
        chains.forEach((body, chain) -> assertThat(detector.scan(flow("/s", List.of(), utf8(body)))).as(body)
                .extracting(Finding::transforms).containsExactly(chain));
        // Two of its three characters, or the name's own characters apart, are not it.
        String apart = "{\"a\":\"王小\",\"b\":\"小明\",\"c\":\"王 小 明\"}";
        assertThat(detector.scan(flow("/s", List.of(), utf8(apart)))).isEmpty();
    }

    /*
     * A first url round that could change nothing is not built (UrlDecoder.inert): each case below holds a finding
     * only that round shows, through one of the things that make a round matter.
     */

    @Test
    void anEscapeAtEitherEndOfAValueIsNotTakenForAnInertOne() {
        for (String name : List.of("!Canary Name 12345", "Canary Name 12345!")) {
            Canary c = Canary.of(CanaryKind.CONTACT_NAME, name);
            String body = "name=" + name.replace("!", "%21") + "&x=1";
            assertThat(new LeakDetector(List.of(c)).scan(flow("/s", List.of(), utf8(body))))
                    .as(body).extracting(Finding::canary, Finding::transforms)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(c, List.of("url")));
        }
    }

    @Test
    void aBase64RunThatStartsRightAfterAnEscapeIsDecodedFromThere() {
        // In the body the run starts with the escape's "21", two characters early: only the round decodes it aligned.
        String body = "data=%21" + b64(gzip(utf8("{\"imei\":\"" + IMEI.value() + "\"}"))) + "&x=1";
        assertThat(DETECTOR.scan(flow("/s", List.of(), utf8(body)))).extracting(Finding::canary, Finding::transforms)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IMEI, List.of("url", "base64", "gzip")));
    }

    @Test
    void anEscapedBackslashLeavesJsonEscapesToUndo() {
        StringBuilder escaped = new StringBuilder();
        for (char ch : IMEI.value().toCharArray()) {
            escaped.append("%5Cu00").append(Integer.toHexString(ch));
        }
        assertThat(DETECTOR.scan(flow("/s", List.of(), utf8("imei=" + escaped + "&x=1"))))
                .extracting(Finding::canary, Finding::transforms)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IMEI, List.of("url", "json")));
    }

    @Test
    void anEscapedPercentLeavesASecondRound() {
        StringBuilder twice = new StringBuilder();
        for (char ch : IMEI.value().toCharArray()) {
            twice.append("%25").append(Integer.toHexString(ch));
        }
        assertThat(DETECTOR.scan(flow("/s", List.of(), utf8("imei=" + twice + "&x=1"))))
                .extracting(Finding::canary, Finding::transforms)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IMEI, List.of("url")));
    }
}
