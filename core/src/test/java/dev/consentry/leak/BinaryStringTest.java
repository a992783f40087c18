package dev.consentry.leak;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static dev.consentry.leak.LeakDetectorTest.DETECTOR;
import static dev.consentry.leak.LeakDetectorTest.IMEI;
import static dev.consentry.leak.LeakDetectorTest.flow;
import static dev.consentry.leak.LeakDetectorTest.gzip;
import static dev.consentry.leak.LeakDetectorTest.single;
import static dev.consentry.leak.LeakDetectorTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Binary strings in JSON: one character per byte, escaped as JavaScript and Python write them. */
class BinaryStringTest {
    /** Python's json.dumps(bytes.decode("latin-1")) with ensure_ascii: every byte outside printable ASCII escaped. */
    static String python(byte[] b) {
        return binaryString(b, true);
    }

    /** JavaScript's JSON.stringify of a binary string: controls escaped, 0x80-0xFF written as their characters. */
    static String javascript(byte[] b) {
        return binaryString(b, false);
    }

    /** A JSON string of one character per byte; {@code asciiOnly}: 0x7F and above escaped too. */
    private static String binaryString(byte[] b, boolean asciiOnly) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> s.append(c < 0x20 || asciiOnly && c >= 0x7f ? String.format("\\u%04x", c)
                        : String.valueOf((char) c));
            }
        }
        return s.toString();
    }

    private static final byte[] GZIPPED = gzip(utf8("{\"imei\":\"" + IMEI.value() + "\",\"model\":\"Redmi Note 8\"}"));

    @Test
    void aGzipStreamSentAsABinaryStringIsFoundAsJavaScriptAndPythonWriteIt() {
        for (String body : List.of("{\"v\":2,\"payload\":\"" + python(GZIPPED) + "\"}",
                "{\"v\":2,\"payload\":\"" + javascript(GZIPPED) + "\"}")) {
            Finding f = single(DETECTOR.scan(flow("/log", List.of(), utf8(body))));
            assertThat(f.canary()).isEqualTo(IMEI);
            assertThat(f.transforms()).as(body).containsExactly("json", "gzip");
        }
    }

    @Test
    void theLatin1ReadingComesOnlyWithAnEscapeForAControlOrAByteAbove0x7f() {
        List<byte[]> name = raw("{\"n\":\"Jos\\u00e9\"}");
        assertThat(name).hasSize(2);
        assertThat(new String(name.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"n\":\"Jos\u00e9\"}");
        assertThat(new String(name.get(1), StandardCharsets.ISO_8859_1)).isEqualTo("{\"n\":\"Jos\u00e9\"}");
        // Tabs, line breaks, quotes and slashes are everyday text: one reading.
        assertThat(raw("{\"t\":\"a\\tb\\nc\\u0022d\\/\\u000a\"}")).hasSize(1);
        // Raw UTF-8 between escapes collapses to one byte per character up to U+00FF, not beyond.
        List<byte[]> both = raw("\\u001f\u00e9\u4e2d");
        assertThat(both).hasSize(2);
        assertThat(both.get(0)).containsExactly(0x1f, 0xc3, 0xa9, 0xe4, 0xb8, 0xad);
        assertThat(both.get(1)).containsExactly(0x1f, 0xe9, 0xe4, 0xb8, 0xad);
    }

    private static List<byte[]> raw(String json) {
        List<byte[]> out = new ArrayList<>();
        new JsonUnescaper().decode(View.root(json.getBytes(StandardCharsets.UTF_8), ""), v -> out.add(v.data()));
        return out;
    }
}
