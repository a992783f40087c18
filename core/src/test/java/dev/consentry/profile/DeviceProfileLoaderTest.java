package dev.consentry.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceProfileLoaderTest {
    static final String VALID = """
            manufacturer: Google
            model: Pixel 7
            firmware:
              fingerprint: "google/panther/panther:14/AP2A/1:user/release-keys"
              android: "14"
              released: "2024-06"
            uiDialect: aosp
            appium:
              udid: "2A111FDH200"
              systemPort: 8210
            identifiers:
              imei: { command: "service call iphonesubinfo 1 s16 com.android.shell", parse: "parcel-utf16" }
              phoneNumber: { command: "cmd phone get-line1", parse: "trim" }
            ca:
              store: system
              directory: /apex/com.android.conscrypt/cacerts
            """;

    @TempDir
    Path dir;

    @Test
    void loadsTheRealProfiles() {
        Path real = Paths.get("..", "device-profiles");
        List<DeviceProfile> all = DeviceProfileLoader.loadAll(real);
        assertThat(all).extracting(DeviceProfile::name)
                .containsExactly("galaxy-s23-oneui6", "pixel-8-android14", "redmi-1s-miui5-2014",
                        "redmi-1s-miui5-2014-08", "redmi-note-8-miui12");
        assertThat(all).extracting(DeviceProfile::systemPort).doesNotHaveDuplicates();
        assertThat(all).extracting(DeviceProfile::udid).doesNotHaveDuplicates();
        DeviceProfile p = all.get(3);
        assertThat(p.manufacturer()).isEqualTo("Xiaomi");
        assertThat(p.model()).isEqualTo("Redmi 1S");
        assertThat(p.firmware()).isEqualTo(new Firmware(
                "Xiaomi/armani/armani:4.4.4/KTU84P/JHCMIBH42.0:user/release-keys", "4.4.4", "MIUI V5", "2014-08"));
        assertThat(p.uiDialect()).isEqualTo(UiDialect.MIUI);
        assertThat(p.udid()).isEqualTo("redmi1s-2014-08");
        assertThat(p.systemPort()).isEqualTo(8202);
        assertThat(p.imei()).isEqualTo(new IdentifierRead("dumpsys iphonesubinfo", "line:Device ID"));
        assertThat(p.phoneNumber()).isEqualTo(new IdentifierRead("service call iphonesubinfo 6", "parcel-utf16"));
        assertThat(p.ca()).isEqualTo(new CaInstall("user", "/data/misc/keychain/cacerts-added", java.util.Optional.empty()));
        assertThat(p.virtualFirmware()).contains("redmi-1s-miui5-2014-08");
        assertThat(p.source()).isEqualTo(real.resolve("redmi-1s-miui5-2014-08.yaml"));
        assertThat(DeviceProfileLoader.load(real.resolve("redmi-1s-miui5-2014.yaml")).systemPort()).isEqualTo(8201);
        assertThat(p.build().adbThroughWizard()).isTrue();

        DeviceProfile pixel = all.get(1);
        assertThat(pixel.ca().store()).isEqualTo("apex");
        assertThat(pixel.ca().note()).hasValueSatisfying(n -> assertThat(n).contains("Conscrypt APEX"));
        assertThat(pixel.imei()).isEqualTo(new IdentifierRead("cmd phone get-imei 0", "line:Device IMEI"));
        DeviceProfile samsung = all.get(0);
        assertThat(samsung.uiDialect()).isEqualTo(UiDialect.ONE_UI);
        assertThat(samsung.build().adbThroughWizard()).isFalse();
        assertThat(samsung.build().skipReason()).contains("does not keep ADB through the setup wizard");
        DeviceProfile note8 = all.get(4);
        assertThat(note8.precheck()).hasValueSatisfying(c -> {
            assertThat(c.command()).isEqualTo("getprop persist.security.adbinput");
            assertThat(c.problem()).contains("USB debugging (Security settings)");
        });
        assertThat(note8.androidId()).contains(new IdentifierRead("settings get secure android_id", "trim"));
    }

    @Test
    void buildPrecheckAndExtraIdentifiersAreChecked() throws IOException {
        Path f = write("x.yaml", VALID + """
                build: { type: retail, adbThroughWizard: maybe }
                precheck: { command: "getprop x" }
                """);
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":17:16: build.type: expected one of user, userdebug, eng, got \"retail\"",
                        f + ":17:42: build.adbThroughWizard: expected one of true, false, got \"maybe\"",
                        f + ":18:11: precheck.expect: required field missing",
                        f + ":18:11: precheck.problem: required field missing"));
        DeviceProfile p = DeviceProfileLoader.load(write("y.yaml", VALID.replace("  phoneNumber:",
                "  serial: { command: \"getprop ro.serialno\", parse: trim }\n  phoneNumber:")
                + "build: { type: user, adbThroughWizard: false, note: stock }\n"));
        assertThat(p.build()).isEqualTo(new BuildKind("user", false, Optional.of("stock")));
        assertThat(p.serial()).contains(new IdentifierRead("getprop ro.serialno", "trim"));
        assertThat(p.androidId()).isEmpty();
    }

    @Test
    void testHarnessResetIsRefusedBeforeAndroid10WithFileLineAndField() throws IOException {
        assertThat(DeviceProfileLoader.load(write("a14.yaml", VALID + "reset: test-harness\n")).reset())
                .isEqualTo(Reset.TEST_HARNESS);
        assertThat(DeviceProfileLoader.load(write("a10.yaml", VALID.replace("android: \"14\"", "android: \"10\"")
                + "reset: test-harness\n")).reset()).isEqualTo(Reset.TEST_HARNESS);
        assertThat(DeviceProfileLoader.load(write("none.yaml", VALID + "reset: none\n")).reset())
                .isEqualTo(Reset.NONE);
        Path kitkat = write("kitkat.yaml", VALID.replace("android: \"14\"", "android: \"4.4.4\"")
                + "reset: test-harness\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(kitkat)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(kitkat + ":17:8: reset: test-harness needs Android 10 "
                        + "or later (cmd testharness); firmware.android is \"4.4.4\", got \"test-harness\""));
        Path pie = write("pie.yaml", VALID.replace("android: \"14\"", "android: \"9\"") + "reset: test-harness\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(pie)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("firmware.android is \"9\"");
        Path typo = write("typo.yaml", VALID + "reset: wipe\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(typo)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        typo + ":17:8: reset: expected one of none, test-harness, got \"wipe\""));
    }

    @Test
    void optionalFieldsMayBeLeftOut() throws IOException {
        DeviceProfile p = DeviceProfileLoader.load(write("pixel-7.yaml", VALID));
        assertThat(p.name()).isEqualTo("pixel-7");
        assertThat(p.firmware().skin()).isEmpty();
        assertThat(p.virtualFirmware()).isEqualTo(Optional.empty());
        assertThat(p.uiDialect()).isEqualTo(UiDialect.AOSP);
        assertThat(p.reset()).isEqualTo(Reset.NONE);
    }

    @Test
    void accessPointCaptureIsReadAndChecked() throws IOException {
        DeviceProfile p = DeviceProfileLoader.load(write("ap.yaml", VALID + """
                capture: { mode: access-point, interface: wlan0, address: 192.168.50.23, port: 8091 }
                """));
        assertThat(p.accessPoint()).contains(new AccessPointCapture("wlan0", "192.168.50.23", 8091));
        assertThat(DeviceProfileLoader.load(write("proxy.yaml", VALID + "capture: { mode: proxy }\n"))
                .accessPoint()).isEmpty();
        assertThat(DeviceProfileLoader.load(write("none.yaml", VALID)).accessPoint()).isEmpty();

        Path f = write("x.yaml", VALID + """
                capture:
                  mode: access-point
                  interface: "wlan0; reboot"
                  address: 192.168.50.300
                """);
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":18:3: capture.port: required field missing",
                        f + ":19:14: capture.interface: expected the access point's Wi-Fi interface name, like wlan0"
                                + ", got \"wlan0; reboot\"",
                        f + ":20:12: capture.address: expected the handset's IPv4 address on the access point's "
                                + "Wi-Fi, like 192.168.50.23, got \"192.168.50.300\""));
        Path g = write("y.yaml", VALID + "capture: { mode: transparent-ish }\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(g)).hasMessageContaining(
                "capture.mode: expected one of proxy, access-point, got \"transparent-ish\"");
        Path h = write("z.yaml", VALID + "capture: { mode: proxy, port: 8091 }\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(h)).hasMessageContaining(
                "capture.port: only for mode: access-point");
    }

    @Test
    void wrongIntegerNamesFileLineColumnAndFieldPath() throws IOException {
        Path f = write("x.yaml", VALID.replace("systemPort: 8210", "systemPort: abc"));
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOf(ProfileException.class)
                .hasMessage(f + ":10:15: appium.systemPort: expected an integer 1024-65535, got \"abc\"");
    }

    @Test
    void portOutOfRangeAndListsAreWrongTypes() throws IOException {
        Path f = write("x.yaml", VALID.replace("systemPort: 8210", "systemPort: 80")
                .replace("model: Pixel 7", "model: [Pixel, 7]"));
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":2:8: model: expected a non-empty string, got a list",
                        f + ":10:15: appium.systemPort: expected an integer 1024-65535, got \"80\""));
    }

    @Test
    void missingRequiredFieldsPointAtTheirParent() throws IOException {
        Path f = write("x.yaml", VALID.replace("  udid: \"2A111FDH200\"\n", "").replace("model: Pixel 7\n", ""));
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":1:1: model: required field missing",
                        f + ":8:3: appium.udid: required field missing"));
    }

    @Test
    void unknownKeysAreRefusedWithTheAllowedOnes() throws IOException {
        Path f = write("x.yaml", VALID.replace("  systemPort: 8210", "  systemPort: 8210\n  sytemPort: 8211")
                + "colour: red\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":11:3: appium.sytemPort: unknown field; allowed here: udid, systemPort, server",
                        f + ":18:1: colour: unknown field; allowed here: manufacturer, model, firmware, uiDialect,"
                                + " appium, identifiers, ca, virtual, build, precheck, tap, reset, capture"));
    }

    @Test
    void aTapNamesTheInterfaceAndTheHandsetsAddressAsAnIpLiteral() throws IOException {
        DeviceProfile p = DeviceProfileLoader.load(write("t.yaml", VALID
                + "tap: { interface: cst-ap0, address: 10.61.0.2, namespace: cst-abc123-ap }\n"));
        assertThat(p.tap()).contains(new TapConfig("cst-ap0", InetAddress.getByName("10.61.0.2"),
                Optional.of("cst-abc123-ap")));
        assertThat(DeviceProfileLoader.load(write("u.yaml", VALID)).tap()).isEmpty();
        Path f = write("x.yaml", VALID + "tap: { interface: \"wlan 0\", address: handset.lab }\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":17:19: tap.interface: expected an interface name (ip link lists them), got \"wlan 0\"",
                        f + ":17:38: tap.address: expected the handset's IP address on the tapped network (an IPv4 or"
                                + " IPv6 literal), got \"handset.lab\""));
    }

    @Test
    void badUiDialectListsTheAllowedValues() throws IOException {
        Path f = write("x.yaml", VALID.replace("uiDialect: aosp", "uiDialect: hyperos"));
        assertThatThrownBy(() -> DeviceProfileLoader.load(f))
                .hasMessage(f + ":7:12: uiDialect: expected one of miui, aosp, one_ui, got \"hyperos\"");
    }

    @Test
    void nestedValuesAreChecked() throws IOException {
        Path f = write("x.yaml", VALID.replace("parse: \"trim\"", "parse: \"regex\"")
                .replace("store: system", "store: both").replace("directory: /apex", "directory: apex")
                .replace("firmware:\n  fingerprint: \"google/panther/panther:14/AP2A/1:user/release-keys\"\n"
                        + "  android: \"14\"\n  released: \"2024-06\"\n", "firmware: 14\n\n\n\n"));
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":3:11: firmware: expected a mapping, got \"14\"",
                        f + ":13:57: identifiers.phoneNumber.parse: expected one of line:<label>, parcel-utf16,"
                                + " trim, mac, got \"regex\"",
                        f + ":15:10: ca.store: expected one of user, system, apex, got \"both\"",
                        f + ":16:14: ca.directory: expected an absolute path on the handset, got \"apex/com.android"
                                + ".conscrypt/cacerts\""));
    }

    @Test
    void duplicateKeysAndEmptyValuesAreProblems() throws IOException {
        Path f = write("x.yaml", VALID.replace("model: Pixel 7", "model: Pixel 7\nmodel: Pixel 8")
                .replace("android: \"14\"", "android:"));
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).containsExactly(
                        f + ":3:1: model: duplicate field",
                        f + ":6:11: firmware.android: expected a non-empty string, got nothing"));
    }

    @Test
    void nonYamlFilesAreRefusedWithAPosition() throws IOException {
        Path f = write("x.yaml", "manufacturer: Google\nmodel: [Pixel\n  firmware: {\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(f)).isInstanceOf(ProfileException.class)
                .hasMessage(f + ":3:11: not valid YAML: expected ',' or ']', but got :");
        Path bin = dir.resolve("bin.yaml");
        Files.write(bin, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3});
        assertThatThrownBy(() -> DeviceProfileLoader.load(bin)).isInstanceOf(ProfileException.class)
                .hasMessage(bin + ":1:1: not UTF-8 text (byte 0x89 at offset 0): a YAML file must be UTF-8");
        Path text = write("text.yaml", "just some words\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(text))
                .hasMessage(text + ":1:1: expected a mapping, got \"just some words\"");
        Path empty = write("empty.yaml", "# nothing\n");
        assertThatThrownBy(() -> DeviceProfileLoader.load(empty))
                .hasMessage(empty + ": empty file, expected a device profile mapping");
    }

    @Test
    void missingFileAndWrongSuffix() {
        assertThatThrownBy(() -> DeviceProfileLoader.load(dir.resolve("gone.yaml")))
                .isInstanceOf(ProfileException.class).hasMessageStartingWith(dir.resolve("gone.yaml") + ": cannot read");
        assertThatThrownBy(() -> DeviceProfileLoader.load(dir.resolve("x.yml")))
                .hasMessageContaining("<name>.yaml");
    }

    @Test
    void loadAllReportsEveryBrokenFileAndIgnoresOtherFiles() throws IOException {
        write("a.yaml", VALID.replace("uiDialect: aosp", "uiDialect: x"));
        write("b.yaml", VALID);
        write("c.yaml", VALID.replace("systemPort: 8210", "systemPort: -1"));
        write("README.md", "not a profile");
        assertThatThrownBy(() -> DeviceProfileLoader.loadAll(dir)).isInstanceOfSatisfying(ProfileException.class,
                e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).startsWith(dir.resolve("a.yaml") + ":7:12: uiDialect"))
                        .anySatisfy(p -> assertThat(p).startsWith(dir.resolve("c.yaml") + ":10:15: appium.systemPort")));
        Files.delete(dir.resolve("a.yaml"));
        Files.delete(dir.resolve("c.yaml"));
        assertThat(DeviceProfileLoader.loadAll(dir)).extracting(DeviceProfile::name).containsExactly("b");
    }

    @Test
    void anEmptyDirectoryIsAnError() {
        assertThatThrownBy(() -> DeviceProfileLoader.loadAll(dir)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("no *.yaml device profiles");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
