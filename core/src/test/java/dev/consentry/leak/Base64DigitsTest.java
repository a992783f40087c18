package dev.consentry.leak;

import dev.consentry.canary.Canary;
import dev.consentry.canary.CanaryKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A base64 run of digits only is asked about brotli alone, never decoded for its text ({@link Base64Alphabet#digits}):
 * whatever its bytes could hold that a search finds, the run itself shows as an encoded form.
 */
class Base64DigitsTest {
    /**
     * Each group of four characters decodes to three bytes of its own, so walking every group (and the two and three
     * characters a run can end with) covers every run of digits of any length.
     */
    @Test
    void everyGroupOfDigitsDecodesToBytesNoLayerCanTakeUp() {
        int groups = 0;
        for (int n = 2; n <= 4; n++) {
            int count = (int) Math.pow(10, n);
            for (int v = 0; v < count; v++) {
                String g = String.format("%0" + n + "d", v);
                byte[] d = Base64Alphabet.decode(g.getBytes(StandardCharsets.US_ASCII), 0, n);
                int first = d[0] & 0xff;
                // Not ASCII: no three ASCII bytes in a row anywhere in the run's bytes.
                assertThat(first).as(g).isGreaterThanOrEqualTo(0xd3);
                assertThat(ProtobufWire.shortKey(first)).as(g).isFalse();
                for (int second = 0; second < 256; second++) {
                    assertThat(Plausible.magic(first, second)).as(g).isFalse();
                    assertThat(Plausible.magic(first, second, 0x2f, 0xfd)).as(g).isFalse();
                }
                for (byte b : d) {
                    assertThat(b).as(g).isNotIn((byte) '%', (byte) '+', (byte) '\\');
                }
                groups++;
            }
        }
        assertThat(groups).isEqualTo(11_100);
    }

    @Test
    void digitsAreTellingAsAByteAtATimeLoopWouldOnRunsOfEveryLength() {
        Random r = new Random(41);
        String others = "AZaz+/-_";
        int yes = 0;
        for (int round = 0; round < 100_000; round++) {
            int n = 8 + r.nextInt(40);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                s.append((char) ('0' + r.nextInt(10)));
            }
            if (r.nextBoolean()) {
                s.setCharAt(r.nextInt(n), others.charAt(r.nextInt(others.length())));
            }
            String before = r.nextBoolean() ? "\"" : "";
            byte[] text = (before + s + (r.nextBoolean() ? "\"," : "")).getBytes(StandardCharsets.US_ASCII);
            boolean expected = s.chars().allMatch(c -> c >= '0' && c <= '9');
            yes += expected ? 1 : 0;
            assertThat(Base64Alphabet.digits(text, before.length(), before.length() + n)).as(s.toString()).isEqualTo(expected);
        }
        assertThat(yes).isBetween(40_000, 60_000);
    }

    /** The bench's JSON has such runs: a fraction's digits that decode to UTF-8 text ("06573601064125167"). */
    @Test
    void aRunOfDigitsThatDecodesToTextIsNotDecoded() {
        byte[] json = utf8("{\"v\":0.06573601064125167}");
        assertThat(Plausible.worthSearching(Base64Alphabet.decode(json, 7, 24))).isTrue();

        List<View> children = new ArrayList<>();
        new Base64RunDecoder(16, 14).decode(View.root(json, ""), children::add);
        assertThat(children).isEmpty();

        byte[] hex = utf8("{\"v\":\"065736010641251f7\"}");
        assertThat(Plausible.worthSearching(Base64Alphabet.decode(hex, 6, 23))).isTrue();
        new Base64RunDecoder(16, 14).decode(View.root(hex, ""), children::add);
        assertThat(children).as("one letter makes it a run like any other").hasSize(1);
    }

    /**
     * A name in another script can decode from digits: each of these characters is four digits of base64. The
     * search of the run itself finds it, as it finds any value directly under base64.
     */
    @Test
    void aNameWhoseBase64IsAllDigitsIsStillFound() {
        String name = "獸玺睹瞻獻玷";
        String encoded = Base64.getEncoder().encodeToString(utf8(name));
        assertThat(encoded).isEqualTo("542454665525556754275463");
        Canary canary = Canary.of(CanaryKind.CONTACT_NAME, name);
        LeakDetector detector = new LeakDetector(List.of(canary, LeakDetectorTest.IMEI));

        for (String prefix : new String[]{"", "5420", "54205421"}) {
            List<Finding> findings = detector.scan(flow("/sync", List.of(),
                    utf8("{\"names\":\"" + prefix + encoded + "5429\"}")));
            assertThat(findings).as(prefix).extracting(Finding::canary, Finding::location, Finding::transforms,
                    Finding::offset).containsExactly(tuple(canary, "body", List.of("base64"), prefix.length() / 4 * 3L));
        }
    }
}
