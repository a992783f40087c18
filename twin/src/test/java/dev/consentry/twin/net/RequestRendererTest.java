package dev.consentry.twin.net;

import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.firmware.FirmwareLoader;
import dev.consentry.twin.identity.Identity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRendererTest {
    private static final Identity ID = new Identity("ser123456", "865123045678905", "+919876543210",
            "3f9a1c2b4d5e6f70", "02:00:00:aa:bb:cc");

    private static Firmware firmware(String body) {
        return firmware("transport: https, method: POST", body);
    }

    private static Firmware firmware(String transport, String body) {
        return FirmwareLoader.parse("t.yaml", String.join("\n",
                "name: t",
                "device: { manufacturer: X, model: Y, screen: { width: 720, height: 1280, density: 320 },"
                        + " caDirectory: /x }",
                "setupWizard:",
                "  package: p",
                "  screens:",
                "    - { id: only, title: Only, controls: [ { type: button, id: done, text: Done, action: finish } ] }",
                "home: { package: h }",
                "traffic:",
                "  - { name: r, on: [boot], " + transport + ", host: h.example, path: /log, body: " + body
                        + " }",
                ""));
    }

    private static RenderedRequest render(String body) {
        return new RequestRenderer().render(firmware(body).traffic().get(0),
                new TemplateValues(ID, List.of(), Map.of("ro.product.model", "Pixel 8")));
    }

    @Test
    void aWebSocketRuleIsAWsOrWssUrlWhoseMessageIsTheBodyWithoutHeadersDescribingIt() throws Exception {
        String body = "{ format: json, gzip: true, fields: { i: \"{imei}\" } }";
        RenderedRequest wss = new RequestRenderer().render(firmware("transport: wss, method: GET", body).traffic().get(0),
                new TemplateValues(ID, List.of(), Map.of()));
        assertThat(wss.uri()).hasToString("wss://h.example/log");
        assertThat(wss.headers()).doesNotContainKeys("Content-Type", "Content-Encoding");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(wss.body())).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo("{\"i\":\"" + ID.imei() + "\"}");
        RenderedRequest ws = new RequestRenderer().render(firmware("transport: ws, method: GET, port: 8080", body)
                .traffic().get(0), new TemplateValues(ID, List.of(), Map.of()));
        assertThat(ws.uri()).hasToString("ws://h.example:8080/log");
    }

    @Test
    void protobufBodyCarriesEachFieldAsALengthDelimitedStringUnderItsNumber() throws Exception {
        RenderedRequest r = render("{ format: protobuf, gzip: true, fields: { 1: \"{prop:ro.product.model}\","
                + " 2: { value: \"{android_id}\", encode: [sha256, prefix128] }, 17: { value: \"{imei}\","
                + " encode: [md5, base64] } } }");
        assertThat(r.headers()).containsEntry("Content-Type", "application/x-protobuf")
                .containsEntry("Content-Encoding", "gzip");
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
        Map<Integer, String> fields = decode(plain);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(ID.androidId().getBytes(StandardCharsets.UTF_8));
        byte[] md5 = MessageDigest.getInstance("MD5").digest(ID.imei().getBytes(StandardCharsets.UTF_8));
        assertThat(fields).containsExactly(Map.entry(1, "Pixel 8"),
                Map.entry(2, HexFormat.of().formatHex(sha, 0, 16)),
                Map.entry(17, Base64.getEncoder().encodeToString(md5)));
        // Field 17 needs a two-byte tag: (17 << 3 | 2) = 138 does not fit one varint byte.
        assertThat(HexFormat.of().formatHex(plain)).contains("8a01");
    }

    @Test
    void stepsApplyInOrderAndADigestLeftRawGoesOutAsLowercaseHex() throws Exception {
        assertThat(FieldEncoding.apply("abc", List.of())).isEqualTo("abc");
        assertThat(FieldEncoding.apply("abc", List.of(dev.consentry.twin.firmware.BodySpec.Encode.HEX)))
                .isEqualTo("616263");
        assertThat(FieldEncoding.apply("a?b>", List.of(dev.consentry.twin.firmware.BodySpec.Encode.BASE64URL)))
                .isEqualTo("YT9iPg");
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(FieldEncoding.apply("abc", List.of(dev.consentry.twin.firmware.BodySpec.Encode.SHA1)))
                .isEqualTo(HexFormat.of().formatHex(sha1)).hasSize(40);
        assertThat(FieldEncoding.apply("abc", List.of(dev.consentry.twin.firmware.BodySpec.Encode.SHA512,
                dev.consentry.twin.firmware.BodySpec.Encode.PREFIX128))).hasSize(32);
    }

    /** A minimal reader for what the renderer writes: varint tags, wire type 2 only. */
    private static Map<Integer, String> decode(byte[] data) {
        Map<Integer, String> out = new LinkedHashMap<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long tag = varint(data, pos);
            assertThat(tag & 7).as("wire type").isEqualTo(2);
            int len = (int) varint(data, pos);
            out.put((int) (tag >>> 3), new String(data, pos[0], len, StandardCharsets.UTF_8));
            pos[0] += len;
        }
        return out;
    }

    private static long varint(byte[] data, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = data[pos[0]++] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }
}
