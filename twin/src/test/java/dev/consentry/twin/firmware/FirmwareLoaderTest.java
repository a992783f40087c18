package dev.consentry.twin.firmware;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FirmwareLoaderTest {
    private static final String VALID = String.join("\n",
            "name: test",
            "device:",
            "  manufacturer: X",
            "  model: Y",
            "  screen: { width: 720, height: 1280, density: 320 }",
            "  caDirectory: /data/misc/keychain/cacerts-added",
            "setupWizard:",
            "  package: com.android.provision",
            "  screens:",
            "    - id: only",
            "      title: Only",
            "      controls:",
            "        - { type: checkbox, id: box, text: Box, setting: thing }",
            "        - { type: button, id: done, text: Done, action: finish }",
            "home: { package: com.miui.home }",
            "traffic:",
            "  - name: r",
            "    on: [\"toggle:thing=on\", \"idle_every:3\"]",
            "    delay: 250ms",
            "    transport: https",
            "    method: POST",
            "    host: example.com",
            "    path: /x?i={imei}",
            "    body: { format: json, gzip: true, fields: { a: { value: \"{contacts.phones}\", encode: base64 } } }",
            "");

    @Test
    void bundledFirmwaresLoad() {
        Firmware f2014 = FirmwareLoader.bundled("redmi-1s-miui5-2014");
        Firmware f201408 = FirmwareLoader.bundled("redmi-1s-miui5-2014-08");
        assertThat(f2014.wizard().screens()).extracting(ScreenSpec::id).doesNotContain("mi_cloud");
        assertThat(f201408.wizard().screens()).extracting(ScreenSpec::id).contains("mi_cloud");
        assertThat(f2014.properties()).containsEntry("ro.miui.ui.version.name", "V5");
        assertThat(f2014.serviceCalls().get("iphonesubinfo")).containsEntry(1, "device_id")
                .containsEntry(6, "line1_number");
    }

    @Test
    void parsesEveryRuleField() {
        Firmware f = FirmwareLoader.parse("test.yaml", VALID);
        TrafficRule r = f.traffic().get(0);
        assertThat(r.triggers()).containsExactly(new Trigger.Toggle("thing", true),
                new Trigger.IdleEvery(java.time.Duration.ofSeconds(3)));
        assertThat(r.delay()).hasMillis(250);
        assertThat(r.port()).isEqualTo(443);
        assertThat(r.body().orElseThrow().gzip()).isTrue();
        assertThat(r.body().orElseThrow().fields().get(0).encodes()).containsExactly(BodySpec.Encode.BASE64);
    }

    @Test
    void parsesAppsSettingsAndConditions() {
        Firmware f = FirmwareLoader.parse("test.yaml", VALID.replace("home: { package: com.miui.home }\n", String.join("\n",
                "home: { package: com.miui.home }",
                "settings: { secure: { sync: \"1\" } }",
                "apps:",
                "  - id: cloud",
                "    package: com.example.cloud",
                "    activity: .Settings",
                "    title: Cloud",
                "    controls:",
                "      - { type: switch, id: sync_switch, text: Sync, setting: sync }",
                "      - { type: button, id: back, text: Back, action: back }",
                "")).replace("    delay: 250ms", "    when: [sync=on, device_provisioned=on]\n    delay: 250ms")
                .replace("\"idle_every:3\"", "contacts_changed, \"screen_entered:cloud\""));
        assertThat(f.apps()).singleElement().satisfies(a -> {
            assertThat(a.component()).isEqualTo("com.example.cloud/com.example.cloud.Settings");
            assertThat(a.screen().controls().get(0).type()).isEqualTo(ControlSpec.ControlType.SWITCH);
        });
        assertThat(f.settings()).containsEntry("secure", java.util.Map.of("sync", "1"));
        TrafficRule r = f.traffic().get(0);
        assertThat(r.when()).containsExactly(new Condition("sync", true), new Condition("device_provisioned", true));
        assertThat(r.triggers()).contains(new Trigger.ContactsChanged(), new Trigger.ScreenEntered("cloud"));
    }

    @Test
    void directAndPinnedTransports() {
        String pin = "sha256/" + "A".repeat(43) + "=";
        Firmware direct = FirmwareLoader.parse("t.yaml", VALID.replace("transport: https", "transport: direct"));
        assertThat(direct.traffic().get(0).transport()).isEqualTo(TrafficRule.Transport.DIRECT);
        assertThat(direct.traffic().get(0).port()).isEqualTo(80);
        assertThat(direct.traffic().get(0).pins()).isEmpty();
        Firmware pinned = FirmwareLoader.parse("t.yaml", VALID.replace("transport: https",
                "transport: https-pinned\n    pins: [\"" + pin + "\"]"));
        assertThat(pinned.traffic().get(0).transport()).isEqualTo(TrafficRule.Transport.HTTPS_PINNED);
        assertThat(pinned.traffic().get(0).port()).isEqualTo(443);
        assertThat(pinned.traffic().get(0).pins()).containsExactly(pin);
    }

    @Test
    void webSocketTransportsOpenWithGetAndLeaveTheHandshakeHeadersToTheStack() {
        String ws = VALID.replace("transport: https", "transport: wss").replace("method: POST", "method: GET");
        TrafficRule wss = FirmwareLoader.parse("t.yaml", ws).traffic().get(0);
        assertThat(wss.transport()).isEqualTo(TrafficRule.Transport.WSS);
        assertThat(wss.transport().tls()).isTrue();
        assertThat(wss.port()).isEqualTo(443);
        TrafficRule plain = FirmwareLoader.parse("t.yaml", ws.replace("transport: wss", "transport: ws"))
                .traffic().get(0);
        assertThat(plain.transport().tls()).isFalse();
        assertThat(plain.port()).isEqualTo(80);
        assertThat(FirmwareLoader.parse("t.yaml", ws.replace("    path:", "    headers: { Origin: \"x\" }\n    path:"))
                .traffic().get(0).headers()).containsEntry("Origin", "x");

        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", ws.replace("method: GET", "method: POST")))
                .isInstanceOf(FirmwareException.class)
                .hasMessageStartingWith("bad.yaml:21: traffic[0].method: a WebSocket opens with GET (RFC 6455 4.1), "
                        + "not POST");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", ws.replace("    path:",
                "    headers:\n      Sec-WebSocket-Key: \"abc\"\n    path:")))
                .isInstanceOf(FirmwareException.class)
                .hasMessageStartingWith("bad.yaml:24: traffic[0].headers.Sec-WebSocket-Key: header 'Sec-WebSocket-Key' "
                        + "is the WebSocket handshake's own");
        // The same header on an https rule is the firmware's business.
        assertThat(FirmwareLoader.parse("t.yaml", VALID.replace("    path:", "    headers: { Upgrade: \"h2c\" }\n    path:"))
                .traffic().get(0).headers()).containsEntry("Upgrade", "h2c");
    }

    @Test
    void pinsAreRequiredForPinnedAndRefusedElsewhere() {
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("transport: https",
                "transport: https-pinned")))
                .hasMessageStartingWith("bad.yaml:17: traffic[0]: transport https-pinned needs 'pins'");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("transport: https",
                "transport: https\n    pins: [\"sha256/" + "A".repeat(43) + "=\"]")))
                .hasMessageStartingWith("bad.yaml:21: traffic[0].pins: pins belong to transport https-pinned, "
                        + "not https");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("transport: https",
                "transport: https-pinned\n    pins: [\"md5/abc\"]")))
                .hasMessageStartingWith("bad.yaml:21: traffic[0].pins[0]: expected sha256/<base64 of 32 bytes>, "
                        + "got 'md5/abc'");
    }

    @Test
    void errorsNameFileLineAndField() {
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("transport: https", "transport: ftp")))
                .isInstanceOf(FirmwareException.class)
                .hasMessage("bad.yaml:20: traffic[0].transport: unknown value 'ftp' (use one of "
                        + "[http, https, direct, https-pinned, ws, wss])");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("delay: 250ms", "delya: 250ms")))
                .hasMessageStartingWith("bad.yaml:19: traffic[0].delya: unknown field");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("{imei}", "{imie}")))
                .hasMessageStartingWith("bad.yaml:23: traffic[0].path: unknown placeholder(s) [imie]");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("toggle:thing=on", "toggle:other=on")))
                .hasMessageStartingWith("bad.yaml:18: traffic[0].on[0]: no checkbox, switch or default sets 'other'");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("    delay: 250ms",
                "    when: [nothing=on]\n    delay: 250ms")))
                .hasMessageStartingWith("bad.yaml:19: traffic[0].when[0]: no control or default sets 'nothing'");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("action: finish", "action: back")))
                .hasMessageContaining("action 'back' is not for this kind of screen");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("width: 720", "width: wide")))
                .hasMessageStartingWith("bad.yaml:5: device.screen.width: expected a whole number");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("action: finish", "action: next")))
                .hasMessageContaining("setupWizard: the last screen needs a control with action: finish");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("  model: Y\n", "")))
                .hasMessageStartingWith("bad.yaml:3: device: missing required field 'model'");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", "name: [unclosed"))
                .hasMessageStartingWith("bad.yaml:1: not valid YAML");
        assertThatThrownBy(() -> FirmwareLoader.bundled("no-such-firmware"))
                .hasMessageContaining("no bundled firmware 'no-such-firmware'");
    }

    @Test
    void encodingStepsParseAsAListAndBrokenBodiesNameTheirLine() {
        Firmware f = FirmwareLoader.parse("t.yaml", VALID.replace("encode: base64", "encode: [sha256, prefix128, base64]"));
        assertThat(f.traffic().get(0).body().orElseThrow().fields().get(0).encodes()).containsExactly(
                BodySpec.Encode.SHA256, BodySpec.Encode.PREFIX128, BodySpec.Encode.BASE64);
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("encode: base64", "encode: [prefix128]")))
                .hasMessageStartingWith("bad.yaml:24: traffic[0].body.fields.a.encode[0]: prefix128 keeps the first");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("encode: base64", "encode: rot13")))
                .hasMessageStartingWith("bad.yaml:24: traffic[0].body.fields.a.encode: unknown value 'rot13'");
        assertThatThrownBy(() -> FirmwareLoader.parse("bad.yaml", VALID.replace("format: json", "format: protobuf")))
                .hasMessageStartingWith("bad.yaml:24: traffic[0].body.fields.a: protobuf field 'a' must be a field number");
    }
}
